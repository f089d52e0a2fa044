package io.bpfstore.install;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where installations live on this host: the state directory (holding {@code state.db}) and the bpffs folder
 * holding the pins ({@code <bpffs>/<installation-id>/g<N>/{maps,programs}}, {@code <bpffs>/<installation-id>/links},
 * and one {@code <bpffs>/dispatch/<hook>} folder per composed XDP hook).
 *
 * @param stateDir the state directory
 * @param bpffs    the bpffs folder bpfstore owns
 */
public record InstallLayout(Path stateDir, Path bpffs) {
    /** Default state directory. */
    public static final Path DEFAULT_STATE_DIR = Path.of("/var/lib/bpfstore");
    /** Default bpffs folder. */
    public static final Path DEFAULT_BPFFS = Path.of("/sys/fs/bpf/bpfstore");
    /** Environment variable naming the state directory. */
    public static final String STATE_DIR_ENV = "BPFSTORE_STATE_DIR";
    /** Environment variable naming the bpffs folder. */
    public static final String BPFFS_ENV = "BPFSTORE_BPFFS";
    /** Name of the folder holding the per-hook dispatcher pins. */
    public static final String DISPATCH_DIR = "dispatch";

    /** Makes the paths absolute. */
    public InstallLayout {
        stateDir = stateDir.toAbsolutePath().normalize();
        bpffs = bpffs.toAbsolutePath().normalize();
    }

    /** The layout from the flags, else the environment, else the defaults. */
    public static InstallLayout resolve(Optional<Path> stateDir, Optional<Path> bpffs, Map<String, String> env) {
        Path state = stateDir.or(() -> Optional.ofNullable(env.get(STATE_DIR_ENV)).filter(s -> !s.isEmpty()).map(Path::of))
                .orElse(DEFAULT_STATE_DIR);
        Path pins = bpffs.or(() -> Optional.ofNullable(env.get(BPFFS_ENV)).filter(s -> !s.isEmpty()).map(Path::of))
                .orElse(DEFAULT_BPFFS);
        return new InstallLayout(state, pins);
    }

    /** The SQLite state database. */
    public Path database() {
        return stateDir.resolve("state.db");
    }

    /** The folder of one installation. */
    public Path installation(String id) {
        return bpffs.resolve(id);
    }

    /** The folder of one generation (the programs and maps of one version) of an installation. */
    public Path generation(String id, int generation) {
        return installation(id).resolve("g" + generation);
    }

    /** The folder holding an installation's link pins (stable across upgrades: the links are updated, not replaced). */
    public Path links(String id) {
        return installation(id).resolve("links");
    }

    /** The folder of the dispatcher pins of one composed hook. */
    public Path dispatcher(String hookKey) {
        return bpffs.resolve(DISPATCH_DIR).resolve(hookKey);
    }

    /**
     * Where the dispatcher of a composed hook counts installation {@code id}'s runs (a
     * {@link io.bpfstore.kernel.dispatch.MemberRuns} counter): beside the dispatcher's link, so it lasts across
     * recompositions and upgrades and goes with the hook's folder.
     */
    public Path memberRuns(String hookKey, String id) {
        return memberRuns(hookKey).resolve(id);
    }

    /** The folder of a composed hook's member run counters. */
    public Path memberRuns(String hookKey) {
        return dispatcher(hookKey).resolve("runs");
    }

    /**
     * Creates the state directory and the bpffs folder, refusing when the folder is not on a bpf filesystem.
     *
     * @throws InstallException naming the folder and how to mount a bpffs there
     */
    public void prepare() {
        try {
            Files.createDirectories(stateDir);
        } catch (IOException e) {
            throw new InstallException("cannot create the state directory " + stateDir + ": " + e.getMessage(), e);
        }
        Path existing = bpffs;
        while (existing != null && !Files.isDirectory(existing)) {
            existing = existing.getParent();
        }
        String fs = existing == null ? "" : Mounts.filesystemOf(existing);
        if (!fs.equals("bpf")) {
            throw new InstallException(bpffs + " is not on a bpf filesystem (" + (existing == null ? "no such folder"
                    : existing + " is on " + (fs.isEmpty() ? "an unknown filesystem" : fs)) + "): mount one with "
                    + "'mount -t bpf bpf /sys/fs/bpf' or pass --bpffs DIR (env " + BPFFS_ENV + ") on a bpffs");
        }
        try {
            Files.createDirectories(bpffs);
        } catch (IOException e) {
            throw new UncheckedIOException("create " + bpffs + ": " + e.getMessage(), e);
        }
    }
}
