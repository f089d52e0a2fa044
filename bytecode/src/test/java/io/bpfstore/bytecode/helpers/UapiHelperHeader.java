package io.bpfstore.bytecode.helpers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the helper list out of a kernel {@code include/uapi/linux/bpf.h}: the ids from the {@code FN(...)} mapper
 * macro and the prototypes from the documentation comment. Used by the catalog generator and, on the installed
 * 6.1 header, by the tests as an oracle.
 *
 * <p>Two macro styles exist: up to 6.1 {@code __BPF_FUNC_MAPPER(FN)} lists {@code FN(name)} and the id is the
 * position; from 6.2 {@code ___BPF_FUNC_MAPPER(FN, ctx...)} lists {@code FN(name, id, ##ctx)}.
 */
record UapiHelperHeader(Map<Integer, Entry> helpers) {

    /** One helper of the header: id, C name ({@code bpf_} prefix) and its documented prototypes (maybe none). */
    record Entry(int id, String name, List<String> prototypes) {
    }

    private static final Pattern FN = Pattern.compile("^\\s*FN\\((\\w+)(?:\\s*,\\s*(\\d+)\\s*,[^)]*)?\\)");
    private static final Pattern DESCRIPTION = Pattern.compile(" \\*\\s+Description");
    private static final String DOC_START = "Start of BPF helper function descriptions:";

    static UapiHelperHeader parse(String header) {
        List<String> lines = header.lines().toList();
        Map<Integer, String> ids = ids(lines);
        Map<String, List<String>> prototypes = prototypes(lines);
        Map<Integer, Entry> helpers = new LinkedHashMap<>();
        for (var id : ids.entrySet()) {
            if (id.getKey() == 0) {
                continue; // BPF_FUNC_unspec
            }
            String name = "bpf_" + id.getValue();
            helpers.put(id.getKey(), new Entry(id.getKey(), name, prototypes.getOrDefault(name, List.of())));
        }
        for (String documented : prototypes.keySet()) {
            if (helpers.values().stream().noneMatch(e -> e.name().equals(documented))) {
                throw new IllegalArgumentException("bpf.h documents " + documented + " but its FN list lacks it");
            }
        }
        return new UapiHelperHeader(helpers);
    }

    private static Map<Integer, String> ids(List<String> lines) {
        int start = -1;
        boolean explicitIds = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("#define ___BPF_FUNC_MAPPER(FN, ctx...)")) {
                start = i;
                explicitIds = true;
                break;
            }
            if (line.startsWith("#define __BPF_FUNC_MAPPER(FN)") && line.strip().endsWith("\\")) {
                start = i;
            }
        }
        if (start < 0) {
            throw new IllegalArgumentException("no __BPF_FUNC_MAPPER / ___BPF_FUNC_MAPPER definition in the header");
        }
        Map<Integer, String> ids = new LinkedHashMap<>();
        int next = 0;
        for (int i = start + 1; i < lines.size() && lines.get(i - 1).strip().endsWith("\\"); i++) {
            Matcher m = FN.matcher(lines.get(i));
            if (!m.find()) {
                continue;
            }
            int id = explicitIds ? Integer.parseInt(m.group(2)) : next;
            if (explicitIds && m.group(2) == null) {
                throw new IllegalArgumentException("FN without id: " + lines.get(i));
            }
            if (ids.put(id, m.group(1)) != null) {
                throw new IllegalArgumentException("helper id " + id + " twice");
            }
            next++;
        }
        return ids;
    }

    private static Map<String, List<String>> prototypes(List<String> lines) {
        Map<String, List<String>> prototypes = new LinkedHashMap<>();
        int i = 0;
        while (i < lines.size() && !lines.get(i).contains(DOC_START)) {
            i++;
        }
        if (i == lines.size()) {
            throw new IllegalArgumentException("no \"" + DOC_START + "\" in the header");
        }
        for (; i + 1 < lines.size() && !lines.get(i).strip().equals("*/"); i++) {
            // A prototype is the line right above a "Description" heading.
            if (DESCRIPTION.matcher(lines.get(i + 1)).matches() && lines.get(i).startsWith(" * ")) {
                String text = lines.get(i).substring(3).strip();
                String name = HelperPrototype.parse(text).name();
                prototypes.computeIfAbsent(name, k -> new ArrayList<>()).add(text);
            }
        }
        return prototypes;
    }
}
