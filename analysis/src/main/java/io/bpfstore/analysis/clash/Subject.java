package io.bpfstore.analysis.clash;

/** An object a finding is about: the things a user would look up or act on. */
public sealed interface Subject {
    /** The subject in words ("program xdp_firewall of package fw"). */
    String describe();

    /**
     * A checked package.
     *
     * @param name the package's name (the object's file name for now)
     */
    record PackageRef(String name) implements Subject {
        @Override
        public String describe() {
            return "package " + name;
        }
    }

    /**
     * A program of a checked package.
     *
     * @param pkg  the package's name
     * @param name the program's name
     */
    record ProgramRef(String pkg, String name) implements Subject {
        @Override
        public String describe() {
            return "program " + name + " (" + pkg + ")";
        }
    }

    /**
     * A map of a checked package.
     *
     * @param pkg  the package's name
     * @param name the map's name
     */
    record MapRef(String pkg, String name) implements Subject {
        @Override
        public String describe() {
            return "map " + name + " (" + pkg + ")";
        }
    }

    /**
     * A network interface.
     *
     * @param name the interface's name
     * @param netns the network namespace's name, empty for the caller's
     */
    record InterfaceRef(String name, String netns) implements Subject {
        @Override
        public String describe() {
            return "interface " + name + (netns.isEmpty() ? "" : " (netns " + netns + ")");
        }
    }

    /**
     * A program already loaded on the host that is not one of the checked packages.
     *
     * @param id   its kernel id
     * @param name its kernel name (may be truncated to 15 characters by the kernel)
     */
    record ForeignProgram(int id, String name) implements Subject {
        @Override
        public String describe() {
            return "foreign program " + id + " '" + name + "'";
        }
    }

    /**
     * Traffic the finding is about, in protocol terms.
     *
     * @param description for example "IPv4 TCP dst port 22"
     */
    record Traffic(String description) implements Subject {
        @Override
        public String describe() {
            return "traffic " + description;
        }
    }

    /**
     * A map already on the host that is not one of the checked packages'.
     *
     * @param id   its kernel id
     * @param name its kernel name
     * @param path where it is pinned
     */
    record ForeignMap(int id, String name, String path) implements Subject {
        @Override
        public String describe() {
            return "foreign map " + id + " '" + name + "' pinned at " + path;
        }
    }

    /**
     * A cgroup hook.
     *
     * @param path the cgroup's path
     * @param hook the attach type, as libbpf names it ("cgroup_inet_egress")
     */
    record CgroupRef(String path, String hook) implements Subject {
        @Override
        public String describe() {
            return "cgroup " + path + " (" + hook + ")";
        }
    }

    /**
     * A point in the kernel that programs attach to or register under, other than interfaces and cgroups.
     *
     * @param kind what it is: "kernel function", "tracepoint", "struct_ops tcp_congestion_ops", "netns hook"
     * @param name its name: "tcp_v4_connect", "bst_cc", "flow_dissector"
     */
    record AttachPoint(String kind, String name) implements Subject {
        @Override
        public String describe() {
            return kind + " " + name;
        }
    }
}
