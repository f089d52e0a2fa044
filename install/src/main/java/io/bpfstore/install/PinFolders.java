package io.bpfstore.install;

import io.bpfstore.kernel.BpfException;
import io.bpfstore.kernel.PinnedObject;
import io.bpfstore.kernel.Pins;
import io.bpfstore.kernel.link.BpfLink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Pin names and folders on the bpffs: creating them, and removing a folder with every pin under it. */
final class PinFolders {
    private PinFolders() {
    }

    /** A pin file name for an object name: bpffs refuses '.' (libbpf's internal maps are named like {@code obj.bss}). */
    static String fileName(String objectName) {
        return objectName.replace('.', '_').replace('/', '_');
    }

    /** Detaches the link pinned at {@code pin}, if it holds one whose type supports detaching. */
    static void detachIfLink(Path pin) {
        boolean link = PinnedObject.read(pin).filter(o -> o.kind() == PinnedObject.Kind.LINK).isPresent();
        if (!link) {
            return;
        }
        try (BpfLink l = BpfLink.openPinned(pin)) {
            l.detach();
        } catch (BpfException e) {
            // perf-event (tracepoint) links cannot be detached explicitly; they go with their last reference
        }
    }

    /** Creates {@code dir} and its parents. */
    static Path create(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("create " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Removes {@code dir} and everything under it, deepest first. Links are detached first (LINK_DETACH, where the
     * link type supports it): the kernel frees a link whose last pin goes away only later, from a work queue, and
     * a caller that has just uninstalled must be able to rely on the hook being free. Removing a program's or
     * map's last reference frees it.
     */
    static void remove(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        List<Path> all;
        try (Stream<Path> s = Files.walk(dir)) {
            all = s.sorted(Comparator.reverseOrder()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("list " + dir + ": " + e.getMessage(), e);
        }
        for (Path p : all) {
            if (Files.isRegularFile(p)) {
                detachIfLink(p);
            }
            Pins.unpin(p);
        }
    }
}
