package io.bpfstore.kernel.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.kernel.link.Attachment;
import io.bpfstore.kernel.link.BpfLink;
import io.bpfstore.kernel.loader.LoadOptions;
import io.bpfstore.kernel.loader.Loader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Records the kernel objects, namespaces, cgroups and mounts a test made, and proves with the kernel's
 * own tools (bpftool, /run/netns, /proc/self/mounts) that none of them is left after teardown.
 *
 * <p>As a class extension ({@code @RegisterExtension static final Leftovers LEFT = new Leftovers();}) it also
 * requires root before the first test ({@link Oracles#requireRoot}) and asserts that nothing is left after the
 * last one, after the class's own {@code @AfterAll} teardown.
 */
public final class Leftovers implements BeforeAllCallback, AfterAllCallback {
    private final Set<Integer> programIds = new HashSet<>();
    private final Set<Integer> linkIds = new HashSet<>();
    private final List<Path> paths = new ArrayList<>();

    /** Remembers program ids that must be gone. */
    public void programs(List<Integer> ids) {
        programIds.addAll(ids);
    }

    /**
     * Loads {@code object} without pinning and remembers its programs, which must be gone after the test (closing
     * the returned object releases them).
     */
    public io.bpfstore.kernel.loader.LoadedObject load(BpfObject object) {
        return load(object, LoadOptions.defaults().withoutPinning());
    }

    /** Loads {@code object} with {@code options} and remembers its programs, which must be gone after the test. */
    public io.bpfstore.kernel.loader.LoadedObject load(BpfObject object, LoadOptions options) {
        io.bpfstore.kernel.loader.LoadedObject loaded = Loader.load(object, options);
        programs(loaded.programs().values().stream().map(BpfProgram::id).toList());
        return loaded;
    }

    /** Remembers a link id that must be gone. */
    public void link(int id) {
        linkIds.add(id);
    }

    /** Remembers {@code attachment}'s link, when it is one, which must be gone after the test; returns it. */
    public <A extends Attachment> A attached(A attachment) {
        if (attachment instanceof BpfLink link) {
            link(link.id());
        }
        return attachment;
    }

    /** Remembers a path (cgroup, mount point, pin) that must be gone. */
    public void path(Path path) {
        paths.add(path);
    }

    /** Asserts that nothing recorded, and no namespace of this process, remains. */
    public void assertNoneLeft() throws IOException, InterruptedException {
        Set<Integer> leftPrograms = new HashSet<>(programIds);
        Set<Integer> leftLinks = new HashSet<>(linkIds);
        for (int attempt = 0; attempt < 20; attempt++) { // the kernel may free a released object a moment later
            leftPrograms.retainAll(ids(Oracles.bpftool("prog", "show")));
            leftLinks.retainAll(ids(Oracles.bpftool("link", "show")));
            if (leftPrograms.isEmpty() && leftLinks.isEmpty()) {
                break;
            }
            Thread.sleep(100);
        }
        assertEquals(Set.of(), leftPrograms, "programs left behind (bpftool prog show)");
        assertEquals(Set.of(), leftLinks, "links left behind (bpftool link show)");
        String mine = TestNetwork.PREFIX + ProcessHandle.current().pid() + "-";
        assertTrue(TestNetwork.namespaces().stream().noneMatch(n -> n.startsWith(mine)),
                "network namespaces left behind: " + TestNetwork.namespaces());
        String mounts = Files.readString(Path.of("/proc/self/mounts"));
        for (Path p : paths) {
            assertTrue(!Files.exists(p), p + " left behind");
            assertTrue(!mounts.contains(" " + p + " "), p + " still mounted");
        }
        assertTrue(!mounts.contains("bst-test-" + ProcessHandle.current().pid() + "-"), "a test mount is left:\n" + mounts);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Oracles.requireRoot();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        assertNoneLeft();
    }

    private static Set<Integer> ids(JsonNode list) {
        Set<Integer> out = new HashSet<>();
        list.forEach(n -> out.add(n.get("id").asInt()));
        return out;
    }
}
