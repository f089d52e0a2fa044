package io.bpfstore.kernel.sys;

import java.util.Locale;

/**
 * The platform facts bpf(2) depends on: the operating system and the syscall number of bpf on this CPU
 * architecture (x86_64: 321, aarch64: 280; every other architecture is refused rather than guessed).
 */
public enum Platform {
    /** 64-bit x86; bpf is syscall 321 (arch/x86/entry/syscalls/syscall_64.tbl). */
    X86_64(321),
    /** 64-bit ARM; bpf is syscall 280 (the generic table, include/uapi/asm-generic/unistd.h). */
    AARCH64(280);

    private final long bpfSyscallNumber;

    Platform(long bpfSyscallNumber) {
        this.bpfSyscallNumber = bpfSyscallNumber;
    }

    /** The number to pass to syscall(2) for bpf on this architecture. */
    public long bpfSyscallNumber() {
        return bpfSyscallNumber;
    }

    /**
     * The platform this JVM runs on.
     *
     * @throws UnsupportedPlatformException if it is not Linux on x86_64 or aarch64
     */
    public static Platform current() {
        return detect(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
    }

    /** Maps the JVM's {@code os.name}/{@code os.arch} to a platform, refusing what we do not know. */
    static Platform detect(String osName, String osArch) {
        if (!osName.toLowerCase(Locale.ROOT).startsWith("linux")) {
            throw new UnsupportedPlatformException("bpf(2) exists only on Linux; this JVM runs on " + osName);
        }
        return switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> X86_64;
            case "aarch64", "arm64" -> AARCH64;
            default -> throw new UnsupportedPlatformException("unsupported CPU architecture " + osArch
                    + ": bpfstore knows the bpf(2) syscall number only for x86_64 (321) and aarch64 (280)");
        };
    }
}
