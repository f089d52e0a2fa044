package io.bpfstore.kernel.inventory;

import io.bpfstore.bytecode.sections.AttachType;
import io.bpfstore.kernel.AttachedPrograms;
import io.bpfstore.kernel.BpfException;
import io.bpfstore.kernel.Cgroup;
import io.bpfstore.kernel.sys.Errno;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Programs attached to cgroups: walks the cgroup v2 tree and asks BPF_PROG_QUERY, for every cgroup and
 * every cgroup attach type, which programs are attached there (not inherited ones; those are attached at
 * an ancestor and reported there).
 */
public final class CgroupScan {
    private static final int MAX_CGROUPS = 1 << 16;

    /** The attach types of cgroup hooks that BPF_PROG_QUERY answers for (LSM_CGROUP needs BTF ids; left out). */
    static final List<AttachType> CGROUP_HOOKS = List.of(
            AttachType.CGROUP_INET_INGRESS, AttachType.CGROUP_INET_EGRESS, AttachType.CGROUP_INET_SOCK_CREATE,
            AttachType.CGROUP_SOCK_OPS, AttachType.CGROUP_DEVICE, AttachType.CGROUP_INET4_BIND,
            AttachType.CGROUP_INET6_BIND, AttachType.CGROUP_INET4_CONNECT, AttachType.CGROUP_INET6_CONNECT,
            AttachType.CGROUP_INET4_POST_BIND, AttachType.CGROUP_INET6_POST_BIND, AttachType.CGROUP_UDP4_SENDMSG,
            AttachType.CGROUP_UDP6_SENDMSG, AttachType.CGROUP_SYSCTL, AttachType.CGROUP_UDP4_RECVMSG,
            AttachType.CGROUP_UDP6_RECVMSG, AttachType.CGROUP_GETSOCKOPT, AttachType.CGROUP_SETSOCKOPT,
            AttachType.CGROUP_INET4_GETPEERNAME, AttachType.CGROUP_INET6_GETPEERNAME,
            AttachType.CGROUP_INET4_GETSOCKNAME, AttachType.CGROUP_INET6_GETSOCKNAME,
            AttachType.CGROUP_INET_SOCK_RELEASE, AttachType.CGROUP_UNIX_CONNECT, AttachType.CGROUP_UNIX_SENDMSG,
            AttachType.CGROUP_UNIX_RECVMSG, AttachType.CGROUP_UNIX_GETPEERNAME, AttachType.CGROUP_UNIX_GETSOCKNAME);

    private CgroupScan() {
    }

    /** The mount point of the cgroup v2 hierarchy, if one is mounted (/sys/fs/cgroup or .../unified). */
    public static Optional<Path> cgroup2Root() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
                String[] f = line.split(" ");
                if (f.length > 2 && f[2].equals("cgroup2")) {
                    return Optional.of(Path.of(f[1]));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("read /proc/self/mounts: " + e.getMessage(), e);
        }
        return Optional.empty();
    }

    /** Every program attached anywhere in the cgroup v2 tree (empty when no cgroup v2 is mounted). */
    public static List<CgroupAttachment> scan() {
        return cgroup2Root().map(CgroupScan::scan).orElse(List.of());
    }

    /** Every program attached to {@code root} or a cgroup below it. Cgroups removed while walking are skipped. */
    public static List<CgroupAttachment> scan(Path root) {
        List<Path> cgroups;
        try (Stream<Path> walk = Files.walk(root)) {
            cgroups = walk.filter(Files::isDirectory).limit(MAX_CGROUPS).toList();
        } catch (IOException | UncheckedIOException e) {
            throw new UncheckedIOException("walk the cgroup tree at " + root + ": " + e.getMessage(),
                    e instanceof IOException io ? io : ((UncheckedIOException) e).getCause());
        }
        List<CgroupAttachment> out = new ArrayList<>();
        for (Path path : cgroups) {
            Cgroup cgroup;
            try {
                cgroup = Cgroup.open(path);
            } catch (UncheckedIOException gone) {
                continue;
            }
            try (cgroup) {
                for (AttachType hook : CGROUP_HOOKS) {
                    AttachedPrograms attached;
                    try {
                        attached = AttachedPrograms.query(cgroup.fd().value(), hook, false);
                    } catch (BpfException e) {
                        if (Errno.isAny(e.errnoNumber(), Errno.EINVAL, Errno.ENOENT)) {
                            continue; // a hook this kernel does not have, or the cgroup went away
                        }
                        throw e;
                    }
                    for (int programId : attached.programIds()) {
                        out.add(new CgroupAttachment(path, cgroup.id(), hook, programId, attached.attachFlags()));
                    }
                }
            }
        }
        return out;
    }
}
