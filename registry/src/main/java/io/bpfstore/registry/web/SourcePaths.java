package io.bpfstore.registry.web;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Source file names in a disassembly listing made relative to the package: objects record the path their compiler
 * was given ({@code /home/alice/build/src/prog.c}), which says nothing to a reader and something about the
 * publisher's machine. The package's directory is taken to be the directory of the source file most lines come
 * from; files below it are shown relative to it, system headers from their include root ({@code bpf/bpf_helpers.h}),
 * anything else by its base name.
 */
final class SourcePaths {
    /** A source line as {@code ObjectDisassembly} writes it: {@code ; <code> @ <file>:<line>:<column>}. */
    private static final Pattern SOURCE_LINE = Pattern.compile("^(; .* @ )(.+)(:\\d+:\\d+)$");
    private static final List<String> INCLUDE_ROOTS = List.of("/usr/include/x86_64-linux-gnu/",
            "/usr/include/aarch64-linux-gnu/", "/usr/local/include/", "/usr/include/");

    private SourcePaths() {
    }

    /** The listing with every source line's file name made relative. */
    static List<String> relativize(List<String> listing) {
        Map<String, Integer> uses = new HashMap<>();
        for (String line : listing) {
            Matcher m = SOURCE_LINE.matcher(line);
            if (m.matches()) {
                uses.merge(m.group(2), 1, Integer::sum);
            }
        }
        if (uses.isEmpty()) {
            return listing;
        }
        String main = uses.entrySet().stream().max(Map.Entry.<String, Integer>comparingByValue()
                .thenComparing(Map.Entry.comparingByKey())).orElseThrow().getKey();
        String base = main.contains("/") ? main.substring(0, main.lastIndexOf('/') + 1) : "";
        List<String> out = new ArrayList<>(listing.size());
        for (String line : listing) {
            Matcher m = SOURCE_LINE.matcher(line);
            out.add(m.matches() ? m.group(1) + relative(m.group(2), base) + m.group(3) : line);
        }
        return out;
    }

    /** {@code path} as the reader of the package should see it, given the package's directory {@code base}. */
    static String relative(String path, String base) {
        if (!base.isEmpty() && path.startsWith(base)) {
            return path.substring(base.length());
        }
        for (String root : INCLUDE_ROOTS) {
            if (path.startsWith(root)) {
                return path.substring(root.length());
            }
        }
        if (path.startsWith("./")) {
            return path.substring(2);
        }
        return path.startsWith("/") ? path.substring(path.lastIndexOf('/') + 1) : path;
    }
}
