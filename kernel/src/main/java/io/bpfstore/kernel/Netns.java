package io.bpfstore.kernel;

import io.bpfstore.kernel.sys.Fd;
import io.bpfstore.kernel.sys.Libc;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A network namespace (the kernel's {@code struct net}, {@code ip netns}). Interface names and indexes,
 * rtnetlink requests and XDP/tcx attach calls are all resolved in the namespace of the calling thread, so
 * every network hook runs its work through {@link #run}. setns(2) switches only the calling OS thread: a platform
 * thread does the work itself — it joins the namespace, runs the task and joins its own namespace again before
 * anything else runs on it (no thread is started, so an install's several entries cost a few system calls each
 * rather than a thread start and two hand-overs); a virtual thread, whose carrier is shared, gets a fresh platform
 * thread that ends afterwards. Either way no pooled or virtual thread is ever left in a foreign namespace: a thread
 * that cannot join its own namespace again stops the process ({@link #returnHome}). A link, once created, is not
 * tied to the namespace of the thread that holds its fd.
 */
public sealed interface Netns {

    /** The namespace of the calling thread. */
    Netns CURRENT = new Current();

    /** A namespace created with {@code ip netns add NAME} (the file /run/netns/NAME). */
    static Netns named(String name) {
        if (name.isEmpty() || name.contains("/")) {
            throw new IllegalArgumentException("not a namespace name: \"" + name + "\"");
        }
        return new File(file(name), name);
    }

    /**
     * The namespace file {@code nameOrPath} stands for, as the {@code --netns} options take it: a name given to
     * {@code ip netns add} (the file /run/netns/NAME), or, when it holds a slash, a path such as /proc/PID/ns/net.
     * Whether the file exists is not checked.
     */
    static Path file(String nameOrPath) {
        return nameOrPath.contains("/") ? Path.of(nameOrPath) : Path.of("/run/netns", nameOrPath);
    }

    /** The namespace behind a namespace file, e.g. /proc/PID/ns/net. */
    static Netns at(Path file) {
        return new File(file, file.toString());
    }

    /** The calling thread's namespace. */
    record Current() implements Netns {
    }

    /** A namespace file. @param file the nsfs file @param label how messages name it */
    record File(Path file, String label) implements Netns {
    }

    /**
     * Runs {@code task} in this namespace and returns its result: a foreign one on the calling platform thread, which
     * comes back to its own namespace afterwards (a virtual thread: on a short-lived platform thread).
     *
     * @throws BpfException if the namespace cannot be entered (ENOENT, EPERM)
     * @throws RuntimeException whatever the task throws, unwrapped
     */
    default <T> T run(Callable<T> task) {
        return switch (this) {
            case Current c -> {
                try {
                    yield task.call();
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            }
            case File f -> runIn(f.file(), task);
        };
    }

    /** A suffix for messages: empty for the current namespace, else {@code " (netns NAME)"}. */
    default String suffix() {
        return switch (this) {
            case Current c -> "";
            case File f -> " (netns " + f.label() + ")";
        };
    }

    private static <T> T runIn(Path nsFile, Callable<T> task) {
        if (Thread.currentThread().isVirtual()) {
            return onOwnThread(nsFile, task);
        }
        String own = "/proc/thread-self/ns/net"; // this thread's namespace, to come back to
        int homeFd = Libc.open(own, Libc.O_RDONLY | Libc.O_CLOEXEC);
        if (homeFd < 0) {
            throw new BpfException("open this thread's network namespace " + own, -homeFd, null, "");
        }
        try (Fd home = new Fd(homeFd)) {
            int fd = Libc.open(nsFile.toString(), Libc.O_RDONLY | Libc.O_CLOEXEC);
            if (fd < 0) {
                throw new BpfException("open network namespace " + nsFile, -fd, null, "");
            }
            try (Fd ns = new Fd(fd)) {
                int joined = Libc.setns(ns.value(), Libc.CLONE_NEWNET);
                if (joined < 0) {
                    throw new BpfException("enter network namespace " + nsFile, -joined, null, "");
                }
            }
            try {
                return task.call();
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("in network namespace " + nsFile + ": " + e.getMessage(), e);
            } finally {
                returnHome(home, nsFile);
            }
        }
    }

    /**
     * Joins the namespace {@code home} again after work in {@code visited}. The kernel refuses this only without
     * CAP_SYS_ADMIN (which the thread had a moment ago to get in) or for want of memory; a few tries cover the latter.
     * A thread that stays in a foreign namespace would run whatever comes next there — interface names resolved in
     * the wrong namespace, a program attached to the wrong interface — so when every try fails the process stops
     * (status 70, one line on standard error) instead; what it was doing is an interrupted operation, which the next
     * start finishes or rolls back from the journal, as after a kill.
     */
    private static void returnHome(Fd home, Path visited) {
        int back = 0;
        for (int attempt = 0; attempt < 3; attempt++) {
            back = Libc.setns(home.value(), Libc.CLONE_NEWNET);
            if (back == 0) {
                return;
            }
        }
        System.err.println("bpfstore: cannot return thread \"" + Thread.currentThread().getName() + "\" from network "
                + "namespace " + visited + " to its own (errno " + -back + "); stopping rather than run later work in "
                + "the wrong namespace");
        Runtime.getRuntime().halt(70);
    }

    /** Runs {@code task} on a fresh platform thread that joins the namespace and ends afterwards. */
    private static <T> T onOwnThread(Path nsFile, Callable<T> task) {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = Thread.ofPlatform().name("netns " + nsFile).start(() -> {
            int fd = Libc.open(nsFile.toString(), Libc.O_RDONLY | Libc.O_CLOEXEC);
            if (fd < 0) {
                failure.set(new BpfException("open network namespace " + nsFile, -fd, null, ""));
                return;
            }
            try (Fd ns = new Fd(fd)) {
                int joined = Libc.setns(ns.value(), Libc.CLONE_NEWNET);
                if (joined < 0) {
                    failure.set(new BpfException("enter network namespace " + nsFile, -joined, null, ""));
                    return;
                }
                result.set(task.call());
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while working in network namespace " + nsFile, e);
        }
        return switch (failure.get()) {
            case null -> result.get();
            case RuntimeException r -> throw r;
            case Error e -> throw e;
            case Throwable t -> throw new IllegalStateException("in network namespace " + nsFile + ": " + t.getMessage(), t);
        };
    }
}
