package io.bpfstore.bytecode.sections;

/**
 * How a {@link SectionDefinition}'s prefix matches an ELF section name, following libbpf 1.x. libbpf writes the
 * second rule as a trailing {@code +} on the prefix ({@code "kprobe+"}).
 */
public enum MatchRule {
    /** The section name must equal the prefix: {@code SEC("xdp")}, {@code SEC("cgroup/connect4")}. */
    EXACT,
    /**
     * The section name equals the prefix, or is the prefix, a {@code '/'} and anything after it: {@code
     * SEC("kprobe")} and {@code SEC("kprobe/do_unlinkat")} both match {@code kprobe}, {@code SEC("kprobe.foo")}
     * and {@code SEC("kprobefoo")} do not. The text after the {@code '/'} is the attach target, if the definition
     * has one ({@link SectionDefinition#target()}).
     */
    EXACT_OR_SLASH_SUFFIX;

    /** Whether {@code sectionName} matches {@code prefix} under this rule. */
    boolean matches(String prefix, String sectionName) {
        return switch (this) {
            case EXACT -> sectionName.equals(prefix);
            case EXACT_OR_SLASH_SUFFIX -> sectionName.startsWith(prefix)
                    && (sectionName.length() == prefix.length() || sectionName.charAt(prefix.length()) == '/');
        };
    }
}
