package io.bpfstore.bytecode.helpers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.bytecode.sections.KernelBtf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The bundled helper catalog against the running kernel's BTF ({@code enum bpf_func_id}) and against the
 * installed UAPI header {@code /usr/include/linux/bpf.h} (Debian 12: kernel 6.1), re-parsed here.
 */
class HelperCatalogOracleTest {
    private static final Path INSTALLED_HEADER = Path.of("/usr/include/linux/bpf.h");

    /**
     * Helpers whose documented prototype changed after 6.1 (the catalog has the newer text). Their kinds must
     * not change: the revisions widen integer types, add {@code const} to kernel objects or rename parameters.
     */
    private static final Map<String, String> PROTOTYPES_REVISED_AFTER_61 = Map.of(
            "bpf_redirect_map", "key u32 -> u64",
            "bpf_d_path", "const struct path *",
            "bpf_kptr_xchg", "parameter map_value renamed dst",
            "bpf_dynptr_from_mem", "size u32 -> u64",
            "bpf_dynptr_read", "u32 -> u64, const dynptr",
            "bpf_dynptr_write", "u32 -> u64, const dynptr",
            "bpf_dynptr_data", "u32 -> u64, const dynptr");

    private final HelperCatalog catalog = HelperCatalog.bundled();

    @Test
    void everyKernelHelperIdHasTheKernelsName() {
        Map<String, Long> kernel = KernelBtf.enumerators("bpf_func_id");
        List<String> problems = new ArrayList<>();
        for (var e : kernel.entrySet()) {
            if (e.getValue() == 0) {
                assertEquals("BPF_FUNC_unspec", e.getKey());
                continue;
            }
            String ours = catalog.byId(e.getValue()).map(Helper::kernelName).orElse("nothing");
            if (!ours.equals(e.getKey())) {
                problems.add(e.getKey() + " = " + e.getValue() + ": catalog has " + ours);
            }
        }
        for (Helper h : catalog.all()) {
            if (!kernel.containsKey(h.kernelName())) {
                problems.add(h.kernelName() + " (" + h.id() + ") is not in the running kernel");
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertEquals(kernel.size() - 1, catalog.all().size());
    }

    @Test
    void everyHelperOfTheInstalledHeaderHasItsIdNameAndPrototype() throws IOException {
        UapiHelperHeader header = UapiHelperHeader.parse(Files.readString(INSTALLED_HEADER));
        assertTrue(header.helpers().size() > 200, "only " + header.helpers().size() + " helpers in the header");
        List<String> problems = new ArrayList<>();
        Map<String, String> revised = new HashMap<>();
        for (UapiHelperHeader.Entry e : header.helpers().values()) {
            Helper h = catalog.byId(e.id()).orElse(null);
            if (h == null || !h.name().equals(e.name())) {
                problems.add(e.id() + " " + e.name() + ": catalog has " + (h == null ? "nothing" : h.name()));
                continue;
            }
            List<String> ours = h.prototypes().stream().map(HelperPrototype::text).toList();
            if (ours.equals(e.prototypes())) {
                continue;
            }
            revised.put(e.name(), "");
            if (!PROTOTYPES_REVISED_AFTER_61.containsKey(e.name())) {
                problems.add(e.name() + ": header " + e.prototypes() + ", catalog " + ours);
            } else if (!shape(e.prototypes()).equals(shape(ours))) {
                problems.add(e.name() + ": revised prototype changed kinds: " + e.prototypes() + " vs " + ours);
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertEquals(PROTOTYPES_REVISED_AFTER_61.keySet(), revised.keySet(), "the revision list is stale");
    }

    @Test
    void kernelReleasesAgreeWithTheInstalledHeader() throws IOException {
        // The 6.1 header has exactly the helpers of releases up to 6.1.
        UapiHelperHeader header = UapiHelperHeader.parse(Files.readString(INSTALLED_HEADER));
        List<String> problems = new ArrayList<>();
        for (Helper h : catalog.all()) {
            String since = h.sinceKernel().orElse(null);
            if (since == null) {
                problems.add(h.name() + ": no release");
                continue;
            }
            boolean in61 = header.helpers().containsKey(h.id());
            if (in61 != (compare(since, "6.1") <= 0)) {
                problems.add(h.name() + ": since " + since + ", but in the 6.1 header: " + in61);
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    private static List<String> shape(List<String> prototypes) {
        return prototypes.stream().map(HelperPrototype::parse)
                .map(p -> p.returnKind() + " " + p.arguments().stream().map(HelperArgument::kind).toList())
                .toList();
    }

    private static int compare(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        int major = Integer.compare(Integer.parseInt(x[0]), Integer.parseInt(y[0]));
        return major != 0 ? major : Integer.compare(Integer.parseInt(x[1]), Integer.parseInt(y[1]));
    }
}
