package io.bpfstore.bytecode.sections;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One row of libbpf's section-name table: which ELF section names it matches, and what libbpf then loads the
 * program as.
 *
 * @param prefix              the name or prefix as libbpf writes it without the trailing {@code +}, e.g. {@code
 *                            kprobe}, {@code tcx/ingress}, {@code xdp.frags/devmap}
 * @param rule                how {@code prefix} matches a section name
 * @param programType         the program type libbpf loads the program as
 * @param expectedAttachType  the {@code expected_attach_type} libbpf passes at load time; empty where libbpf passes
 *                            none (0)
 * @param traits              libbpf's per-definition flags
 * @param target              what the text after {@code prefix/} names, {@link AttachTarget#NONE} if nothing
 * @param autoAttach          whether libbpf can attach the program by itself from the section name ({@code
 *                            bpf_program__attach}, skeleton {@code attach()}); for definitions that take a
 *                            target, libbpf skips auto-attach when the section name has none
 * @param legacyPrefixMatch   whether libbpf before 1.0 also matched any section name that merely starts with
 *                            {@code prefix} ("sloppy" matching, e.g. {@code xdp_prog} as {@code xdp}); see
 *                            {@link SectionNames#lookupLegacy(String)}
 * @param sinceLibbpf         the first libbpf release whose table has this row, as {@code major.minor}; {@code 1.1}
 *                            stands for "1.1 or earlier" (the oldest release we compare with, Debian 12's 1.1.2)
 */
public record SectionDefinition(
        String prefix,
        MatchRule rule,
        ProgramType programType,
        Optional<AttachType> expectedAttachType,
        Set<Trait> traits,
        AttachTarget target,
        boolean autoAttach,
        boolean legacyPrefixMatch,
        String sinceLibbpf) {

    /** libbpf's per-definition flags ({@code enum sec_def_flags} in libbpf.c). */
    public enum Trait {
        /**
         * libbpf's {@code SEC_ATTACHABLE}: a type attached with {@code BPF_PROG_ATTACH} (cgroups, sockmaps, flow
         * dissector...). Only {@code libbpf_attach_type_by_name} still reads it.
         */
        ATTACHABLE,
        /**
         * {@code SEC_EXP_ATTACH_OPT}: libbpf retries the load without the expected attach type on kernels that
         * reject it (types that predate {@code expected_attach_type}).
         */
        EXPECTED_ATTACH_TYPE_OPTIONAL,
        /** {@code SEC_ATTACH_BTF}: the target is resolved to a BTF id at load time (fentry, lsm, iter...). */
        ATTACH_BTF,
        /** {@code SEC_SLEEPABLE}: loaded with {@code BPF_F_SLEEPABLE}; may fault and sleep. */
        SLEEPABLE,
        /** {@code SEC_XDP_FRAGS}: loaded with {@code BPF_F_XDP_HAS_FRAGS} (multi-buffer XDP). */
        XDP_FRAGS,
        /** {@code SEC_USDT}: a USDT probe; libbpf uses uprobe-multi links where the kernel has them. */
        USDT
    }

    /** Checks the invariants; copies {@code traits}. */
    public SectionDefinition {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(programType, "programType");
        Objects.requireNonNull(expectedAttachType, "expectedAttachType");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(sinceLibbpf, "sinceLibbpf");
        if (prefix.isEmpty()) {
            throw new IllegalArgumentException("empty prefix");
        }
        if (target != AttachTarget.NONE && rule != MatchRule.EXACT_OR_SLASH_SUFFIX) {
            throw new IllegalArgumentException(prefix + ": a target needs a suffix, which an exact match has not");
        }
        traits = traits.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(traits));
    }

    /** Whether {@code sectionName} matches this definition under libbpf 1.x rules. */
    public boolean matches(String sectionName) {
        return rule.matches(prefix, sectionName);
    }

    /**
     * The text after {@code prefix/} in {@code sectionName} (the attach target, or free text where {@link
     * #target()} is {@link AttachTarget#NONE}), or empty when the name is just the prefix or does not match.
     */
    public Optional<String> suffix(String sectionName) {
        if (rule != MatchRule.EXACT_OR_SLASH_SUFFIX || !matches(sectionName)
                || sectionName.length() == prefix.length()) {
            return Optional.empty();
        }
        return Optional.of(sectionName.substring(prefix.length() + 1));
    }

    /** libbpf's {@code SEC_ATTACHABLE}; see {@link Trait#ATTACHABLE}. */
    public boolean attachable() {
        return traits.contains(Trait.ATTACHABLE);
    }

    /** Whether libbpf loads the program sleepable. */
    public boolean sleepable() {
        return traits.contains(Trait.SLEEPABLE);
    }

    /** How libbpf writes this row's name: the prefix, with {@code +} when a suffix may follow. */
    public String libbpfSpelling() {
        return rule == MatchRule.EXACT_OR_SLASH_SUFFIX ? prefix + "+" : prefix;
    }
}
