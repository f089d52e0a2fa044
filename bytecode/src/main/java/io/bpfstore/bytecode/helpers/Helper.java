package io.bpfstore.bytecode.helpers;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One BPF helper function: the number a {@code call} instruction carries in its immediate, and what the kernel's
 * UAPI header documents for it.
 *
 * @param id          the helper number ({@code BPF_FUNC_*}), the {@code imm} of {@code call} with {@code src_reg}
 *                    0
 * @param name        the C name, e.g. {@code bpf_map_lookup_elem}
 * @param prototypes  the documented prototypes; more than one where a helper takes different contexts in
 *                    different program types ({@code bpf_get_socket_cookie}, {@code bpf_sk_assign})
 * @param sinceKernel the kernel release that added the helper, e.g. {@code 4.18}, if known
 */
public record Helper(int id, String name, List<HelperPrototype> prototypes, Optional<String> sinceKernel) {
    /** Checks the invariants; copies the prototypes. */
    public Helper {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sinceKernel, "sinceKernel");
        prototypes = List.copyOf(prototypes);
        if (id <= 0) {
            throw new IllegalArgumentException(name + ": helper id " + id + " (0 is BPF_FUNC_unspec, not a helper)");
        }
        if (prototypes.isEmpty()) {
            throw new IllegalArgumentException(name + ": no prototype");
        }
        for (HelperPrototype p : prototypes) {
            if (!p.name().equals(name)) {
                throw new IllegalArgumentException(name + ": prototype of " + p.name());
            }
        }
    }

    /** The first documented prototype (the only one for most helpers). */
    public HelperPrototype prototype() {
        return prototypes.getFirst();
    }

    /** The kernel's enum constant, e.g. {@code BPF_FUNC_map_lookup_elem}. */
    public String kernelName() {
        return "BPF_FUNC_" + name.substring("bpf_".length());
    }
}
