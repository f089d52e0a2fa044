package io.bpfstore.registry.web;

import io.bpfstore.analysis.permissions.ProgramPermissions;
import java.util.List;
import java.util.Map;

/** What the web UI learnt from a package's object file: an analysis, or why there is none. */
public sealed interface ObjectReport {

    /**
     * The object parsed.
     *
     * @param fileName    the object's file name in the layer
     * @param permissions derived permissions by program name, in object order
     * @param sections    disassembly listing lines by code section name, in object order
     */
    record Analysed(String fileName, Map<String, ProgramPermissions> permissions,
                    Map<String, List<String>> sections) implements ObjectReport {
        /** Copies the maps (their order is kept). */
        public Analysed {
            permissions = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(permissions));
            sections = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(sections));
        }
    }

    /**
     * The object could not be read or parsed.
     *
     * @param reason what went wrong, for the page
     */
    record Unavailable(String reason) implements ObjectReport {
    }

    /** The analysis has not finished yet (it runs in the background; the page says so). */
    record Pending() implements ObjectReport {
    }
}
