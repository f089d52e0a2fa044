package io.bpfstore.kernel;

import io.bpfstore.bytecode.sections.AttachType;
import io.bpfstore.bytecode.sections.ProgramType;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * What to load: the parameters of BPF_PROG_LOAD for a program given as raw instruction bytes (8 bytes per
 * instruction, little-endian on x86_64/aarch64, map references already resolved).
 *
 * @param name               up to 15 characters of [A-Za-z0-9_.]; empty for none
 * @param type               the program type
 * @param instructions       the instructions; copied, never shared
 * @param license            the license string; helpers marked GPL-only need a GPL-compatible one
 * @param expectedAttachType the attach type the program is verified for, if the type needs one
 * @param flags              prog_flags (BPF_F_SLEEPABLE = 16, BPF_F_XDP_HAS_FRAGS = 32, ...)
 * @param logLevel           0 (log only on failure), 1 (log always), 2 (verbose); 4 adds statistics
 * @param kernelVersion      kern_version, checked for kprobes by kernels before 5.0; 0 otherwise
 */
public record ProgramSpec(String name, ProgramType type, byte[] instructions, String license,
                          Optional<AttachType> expectedAttachType, int flags, int logLevel, int kernelVersion) {
    /** The kernel's limit on instructions for privileged loads (BPF_COMPLEXITY_LIMIT_INSNS). */
    public static final int MAX_INSTRUCTIONS = 1_000_000;

    /** Validates and copies. */
    public ProgramSpec {
        Objects.requireNonNull(type, "type");
        Names.check("program", Objects.requireNonNull(name, "name"));
        Objects.requireNonNull(license, "license");
        Objects.requireNonNull(expectedAttachType, "expectedAttachType");
        if (instructions.length == 0 || instructions.length % 8 != 0) {
            throw new IllegalArgumentException("program \"" + name + "\": " + instructions.length
                    + " bytes of instructions is not a positive multiple of 8");
        }
        if (instructions.length / 8 > MAX_INSTRUCTIONS) {
            throw new IllegalArgumentException("program \"" + name + "\": " + instructions.length / 8
                    + " instructions exceed the kernel's limit of " + MAX_INSTRUCTIONS);
        }
        if (logLevel < 0 || logLevel > 7) {
            throw new IllegalArgumentException("log level " + logLevel + " is not one of 0..7");
        }
        instructions = instructions.clone();
    }

    /** A GPL-licensed program with no attach type, flags or log. */
    public static ProgramSpec of(String name, ProgramType type, byte[] instructions) {
        return new ProgramSpec(name, type, instructions, "GPL", Optional.empty(), 0, 0, 0);
    }

    /** The instructions (a copy). */
    @Override
    public byte[] instructions() {
        return instructions.clone();
    }

    /** Equal when every field is, comparing instructions by content. */
    @Override
    public boolean equals(Object o) {
        return o instanceof ProgramSpec p && name.equals(p.name) && type == p.type
                && Arrays.equals(instructions, p.instructions) && license.equals(p.license)
                && expectedAttachType.equals(p.expectedAttachType) && flags == p.flags && logLevel == p.logLevel
                && kernelVersion == p.kernelVersion;
    }

    /** Consistent with {@link #equals}. */
    @Override
    public int hashCode() {
        return Objects.hash(name, type, Arrays.hashCode(instructions), license, expectedAttachType, flags, logLevel,
                kernelVersion);
    }

    /** The spec without the instruction bytes (their count instead). */
    @Override
    public String toString() {
        return "ProgramSpec[name=" + name + ", type=" + type.bpftoolName() + ", " + instructionCount()
                + " instructions, license=" + license + ", expectedAttachType="
                + expectedAttachType.map(AttachType::kernelName).orElse("none") + ", flags=" + flags
                + ", logLevel=" + logLevel + ", kernelVersion=" + kernelVersion + "]";
    }

    /** The number of 8-byte instruction slots. */
    public int instructionCount() {
        return instructions.length / 8;
    }

    /** This spec with an expected attach type. */
    public ProgramSpec withExpectedAttachType(AttachType attachType) {
        return new ProgramSpec(name, type, instructions, license, Optional.of(attachType), flags, logLevel, kernelVersion);
    }

    /** This spec with another license. */
    public ProgramSpec withLicense(String newLicense) {
        return new ProgramSpec(name, type, instructions, newLicense, expectedAttachType, flags, logLevel, kernelVersion);
    }

    /** This spec with another log level. */
    public ProgramSpec withLogLevel(int level) {
        return new ProgramSpec(name, type, instructions, license, expectedAttachType, flags, level, kernelVersion);
    }

    /** This spec with other prog_flags. */
    public ProgramSpec withFlags(int newFlags) {
        return new ProgramSpec(name, type, instructions, license, expectedAttachType, newFlags, logLevel, kernelVersion);
    }

    /** This spec with a kern_version. */
    public ProgramSpec withKernelVersion(int version) {
        return new ProgramSpec(name, type, instructions, license, expectedAttachType, flags, logLevel, version);
    }
}
