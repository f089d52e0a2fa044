package io.bpfstore.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.kernel.sys.Errno;
import io.bpfstore.kernel.testing.TestNetwork;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@link Netns#run}: the work sees the namespace it asked for (the kernel's nsfs inode of the calling thread's
 * {@code /proc/thread-self/ns/net} against the inode of the namespace file, the kernel's own identity of a
 * namespace), a platform thread does the work itself and is back in its own namespace afterwards — also when the
 * work throws and when entries nest — and a virtual thread's work runs on a platform thread of its own.
 */
class NetnsTest {
    private static long inode(Path nsfs) throws Exception {
        return ((Number) Files.getAttribute(nsfs, "unix:ino")).longValue();
    }

    /** The namespace of the calling thread, by nsfs inode. */
    private static long here() throws Exception {
        return inode(Path.of("/proc/thread-self/ns/net"));
    }

    private static long of(String name) throws Exception {
        return inode(Netns.file(name));
    }

    @Test
    void aPlatformThreadDoesTheWorkInsideAndComesBack() throws Exception {
        try (TestNetwork net = TestNetwork.create()) {
            long home = here();
            assertNotEquals(home, of(net.nameA()));
            Thread caller = Thread.currentThread();
            long inside = net.a().run(() -> {
                assertSame(caller, Thread.currentThread(), "no thread is started for the work");
                return here();
            });
            assertEquals(of(net.nameA()), inside);
            assertEquals(home, here());
        }
    }

    @Test
    void theThreadComesBackWhenTheWorkThrows() throws Exception {
        try (TestNetwork net = TestNetwork.create()) {
            long home = here();
            IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> net.a().run(() -> {
                throw new IllegalStateException("refused inside");
            }));
            assertEquals("refused inside", thrown.getMessage());
            assertEquals(home, here());
            Exception checked = assertThrows(IllegalStateException.class, () -> net.a().run(() -> {
                throw new java.io.IOException("read failed inside");
            }));
            assertTrue(checked.getMessage().contains("read failed inside"), checked.getMessage());
            assertEquals(home, here());
        }
    }

    @Test
    void nestedEntriesComeBackOneLevelAtATime() throws Exception {
        try (TestNetwork net = TestNetwork.create()) {
            long home = here();
            long[] seen = net.a().run(() -> {
                long a = here();
                long b = net.b().run(NetnsTest::here);
                long current = Netns.CURRENT.run(NetnsTest::here);
                return new long[] {a, b, here(), current};
            });
            assertEquals(of(net.nameA()), seen[0]);
            assertEquals(of(net.nameB()), seen[1]);
            assertEquals(of(net.nameA()), seen[2], "back in A after the work in B");
            assertEquals(of(net.nameA()), seen[3], "CURRENT inside A is A");
            assertEquals(home, here());
        }
    }

    @Test
    void aVirtualThreadsWorkRunsOnAPlatformThreadOfItsOwn() throws Exception {
        try (TestNetwork net = TestNetwork.create()) {
            AtomicReference<Object[]> seen = new AtomicReference<>();
            Thread.ofVirtual().start(() -> {
                try {
                    Thread caller = Thread.currentThread();
                    long before = here();
                    Object[] inside = net.a().run(() -> new Object[] {Thread.currentThread(), here()});
                    seen.set(new Object[] {caller, inside[0], inside[1], before, here()});
                } catch (Exception e) {
                    seen.set(new Object[] {e});
                }
            }).join();
            Object[] s = seen.get();
            assertEquals(5, s.length, () -> String.valueOf(s[0]));
            Thread worker = (Thread) s[1];
            assertNotEquals(s[0], worker);
            assertFalse(worker.isVirtual());
            assertEquals(of(net.nameA()), s[2]);
            assertEquals(s[3], s[4], "the virtual thread's namespace is unchanged");
        }
    }

    @Test
    void aMissingNamespaceIsRefusedAndTheThreadStaysHome() throws Exception {
        long home = here();
        BpfException e = assertThrows(BpfException.class, () -> Netns.at(Path.of("/run/netns/bst-no-such-namespace"))
                .run(() -> "never"));
        assertTrue(e.errno().filter(Errno.ENOENT::equals).isPresent(), e.getMessage());
        assertEquals(home, here());
    }
}
