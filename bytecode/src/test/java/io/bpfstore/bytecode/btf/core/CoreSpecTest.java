package io.bpfstore.bytecode.btf.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * libbpf's flavour rule ({@code bpf_core_essential_name_len}): the name up to the last {@code ___} that has a
 * non-underscore on both sides; the kernel-side behaviour is covered by the CO-RE comparison with libbpf.
 */
class CoreSpecTest {
    @Test
    void flavourSuffixIsCutAtTheLastSeparator() {
        assertEquals("task_struct", CoreSpec.essentialName("task_struct___v2"));
        assertEquals("task_struct___a", CoreSpec.essentialName("task_struct___a___b"));
        assertEquals("task_struct", CoreSpec.essentialName("task_struct"));
        assertEquals("x____y", CoreSpec.essentialName("x____y"), "four underscores are no separator");
        assertEquals("a___", CoreSpec.essentialName("a___"), "nothing after the separator");
        assertEquals("___a", CoreSpec.essentialName("___a"), "nothing before the separator");
        assertEquals("", CoreSpec.essentialName(""));
    }
}
