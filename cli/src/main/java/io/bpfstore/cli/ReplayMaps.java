package io.bpfstore.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpfstore.kernel.BpfException;
import io.bpfstore.kernel.BpfMap;
import io.bpfstore.vm.replay.Replay;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Initial map contents of {@code bpfstore replay}: from a JSON file, or copied from live pinned maps. */
final class ReplayMaps {
    private ReplayMaps() {
    }

    /** Entries of a JSON list of {"package", "map", "key", "value"} (hex); none when {@code file} is null. */
    static List<Replay.InitialEntry> fromJson(Path file) throws IOException {
        List<Replay.InitialEntry> out = new ArrayList<>();
        if (file == null) {
            return out;
        }
        JsonNode root;
        try {
            root = Json.mapper().readTree(Files.readString(file));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UserError(file + ": not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isArray()) {
            throw new UserError(file + ": expected a JSON list of {\"package\", \"map\", \"key\", \"value\"}");
        }
        for (int i = 0; i < root.size(); i++) {
            JsonNode e = root.get(i);
            String where = file + " entry " + i;
            try {
                out.add(new Replay.InitialEntry(text(e, "package", where), text(e, "map", where),
                        HexFormat.of().parseHex(text(e, "key", where)), HexFormat.of().parseHex(text(e, "value", where))));
            } catch (IllegalArgumentException bad) {
                throw new UserError(where + ": key and value must be hex bytes: " + bad.getMessage());
            }
        }
        return out;
    }

    private static String text(JsonNode entry, String field, String where) {
        JsonNode n = entry.get(field);
        if (n == null || !n.isTextual()) {
            throw new UserError(where + ": field \"" + field + "\" missing or not a string");
        }
        return n.asText();
    }

    /** Entries of live pinned maps, each argument PACKAGE:MAP=PIN. */
    static List<Replay.InitialEntry> fromPins(List<String> arguments) {
        List<Replay.InitialEntry> out = new ArrayList<>();
        for (String arg : arguments) {
            int eq = arg.lastIndexOf('=');
            int colon = eq < 0 ? -1 : arg.lastIndexOf(':', eq);
            if (eq < 0 || colon <= 0) {
                throw new UserError("--map-from " + arg + ": expected PACKAGE:MAP=PIN");
            }
            String pkg = arg.substring(0, colon);
            String map = arg.substring(colon + 1, eq);
            Path pin = Path.of(arg.substring(eq + 1));
            try (BpfMap live = BpfMap.openPinned(pin)) {
                if (live.isPerCpu()) {
                    throw new UserError("--map-from " + arg + ": per-CPU maps are not copied (their values differ by CPU)");
                }
                for (byte[] key : live.keys()) { // key by key: LPM tries and others have no batch lookup
                    live.lookup(key).ifPresent(value -> out.add(new Replay.InitialEntry(pkg, map, key, value)));
                }
            } catch (BpfException e) {
                throw new UserError("--map-from " + arg + ": " + e.getMessage());
            }
        }
        return out;
    }
}
