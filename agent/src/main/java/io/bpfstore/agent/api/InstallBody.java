package io.bpfstore.agent.api;

import java.util.List;

/**
 * {@code POST /v1/installations}: what to install and where, as {@code bpfstore install}'s options say it. Absent
 * (null) fields take install's defaults.
 *
 * @param pkg            {@code NAMESPACE/NAME[@VERSION|@DIGEST]}, or a layout directory or object file on the agent's host
 * @param registry       registry address (default: the agent's {@code --registry}, else its config)
 * @param keys           trusted public key files (default: the trusted-keys directory)
 * @param allowUnsigned  accept a package without a verified signature
 * @param policy         host policy file (default: /etc/bpfstore/policy.yaml)
 * @param iface          network interface (XDP, tc)
 * @param netns          network namespace of the interface (ip netns name)
 * @param direction      tc direction: ingress or egress
 * @param cgroup         cgroup v2 directory
 * @param program        the one program to attach when the package has several for the hook
 * @param name           installation name (default: the package name)
 * @param priority       place at a shared hook, 1..1000
 * @param proceedOn      XDP proceed-on actions
 * @param force          install despite clash errors
 * @param beforeForeign  tc: go before other tools' links
 * @param tcMode         auto, tcx or legacy
 */
public record InstallBody(String pkg, String registry, List<String> keys, boolean allowUnsigned, String policy,
                          String iface, String netns, String direction, String cgroup, String program, String name,
                          Integer priority, List<String> proceedOn, boolean force, boolean beforeForeign,
                          String tcMode) {
    /** Copies the lists. */
    public InstallBody {
        keys = keys == null ? List.of() : List.copyOf(keys);
        proceedOn = proceedOn == null ? null : List.copyOf(proceedOn);
    }

    /** This request with {@code priority}. */
    public InstallBody withPriority(int priority) {
        return new InstallBody(pkg, registry, keys, allowUnsigned, policy, iface, netns, direction, cgroup, program,
                name, priority, proceedOn, force, beforeForeign, tcMode);
    }

    /** The trust part of the request (registry, keys, unsigned, policy). */
    public Trust trust() {
        return new Trust(registry, keys, allowUnsigned, policy);
    }

    /**
     * How a package is admitted: where it is pulled from and which signers and policy judge it.
     *
     * @param registry      registry address, or null for the default
     * @param keys          trusted public key files (empty: the trusted-keys directory)
     * @param allowUnsigned accept a package without a verified signature
     * @param policy        host policy file, or null for the default
     */
    public record Trust(String registry, List<String> keys, boolean allowUnsigned, String policy) {
        /** Copies. */
        public Trust {
            keys = keys == null ? List.of() : List.copyOf(keys);
        }
    }
}
