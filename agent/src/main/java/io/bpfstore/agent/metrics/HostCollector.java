package io.bpfstore.agent.metrics;

import io.bpfstore.agent.watch.InstallationCheck;
import io.bpfstore.agent.watch.InstallationSource;
import io.bpfstore.install.HookTarget;
import io.bpfstore.install.InstallLayout;
import io.bpfstore.install.InstallService.Recorded;
import io.bpfstore.install.Installation;
import io.bpfstore.install.InstallationStatus;
import io.bpfstore.install.InstallationStatus.ObjectStatus;
import io.bpfstore.install.Pin;
import io.bpfstore.kernel.BpfException;
import io.bpfstore.kernel.BpfProgram;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The host's series, read from the kernel at each scrape: run count and run time of every installed program
 * (BPF_OBJ_GET_INFO_BY_FD's run_cnt and run_time_ns), entries and memory of every installed map, one info and one
 * health series per installation, and the programs of other tools by type.
 *
 * <p>One pass per scrape: each pin of an installation's current generation is opened once, its info read once and
 * closed ({@link ScrapeReads}); the records come from the source without the kernel's view, so nothing is read that
 * no series shows. What stays between scrapes is what the records fix: the label text of every series, the pins'
 * paths as the kernel takes them (both made again when the records change), a map's charge while it cannot change
 * ({@link ScrapeReads#fixedCharge}) and the type of every program id. No descriptor is kept: an uninstalled program
 * is never held alive by the agent.
 *
 * <p>Health: an installation is healthy when every pin of its current generation opens, every link among them is
 * still attached and its hook target (namespace, interface, cgroup) is there — what the watch reports as
 * {@code pins_removed}, {@code link_detached} and {@code target_gone} — read anew at each scrape.
 *
 * <p>XDP: an interface runs one composed dispatcher program, into which the members' code is linked; the kernel
 * counts the dispatcher's runs only. The dispatcher counts each member's runs itself (kernel's
 * {@code MemberRuns}, whether or not BPF_ENABLE_STATS is held): a member's entry program gets
 * {@code bpfstore_program_run_count_total} from that count and no {@code run_seconds} (not measured per member);
 * {@code bpfstore_xdp_dispatcher_run_*_total{hook}} counts every packet the interface's dispatcher saw (all its
 * members together) and the time spent in all of them. XDP installations are read through install's status (it knows
 * the dispatcher's pins and counters); their maps as above.
 */
final class HostCollector {
    private static final byte[] RUN_COUNT = TextExposition.name("bpfstore_program_run_count_total");
    private static final byte[] RUN_SECONDS = TextExposition.name("bpfstore_program_run_seconds_total");
    private static final byte[] DISPATCHER_RUNS = TextExposition.name("bpfstore_xdp_dispatcher_run_count_total");
    private static final byte[] DISPATCHER_SECONDS = TextExposition.name("bpfstore_xdp_dispatcher_run_seconds_total");
    private static final byte[] MAP_ENTRIES = TextExposition.name("bpfstore_map_entries");
    private static final byte[] MAP_MEMORY = TextExposition.name("bpfstore_map_memory_bytes");
    private static final byte[] INFO = TextExposition.name("bpfstore_installation_info");
    private static final byte[] HEALTHY = TextExposition.name("bpfstore_installation_healthy");
    private static final byte[] HOST_PROGRAMS = TextExposition.name("bpfstore_host_programs");

    private final InstallationSource source;
    private final ScrapeReads reads = new ScrapeReads();
    /** The records {@link #entries} were made for (the source hands out the same list while they are unchanged). */
    private List<Recorded> planned;
    private Entry[] entries = new Entry[0];
    /** XDP dispatchers seen this scrape. */
    private final List<Dispatcher> dispatchers = new ArrayList<>();
    /** Kernel ids of the programs bpfstore installed, this scrape: {@code owned[0 .. ownedCount)}. */
    private int[] owned = new int[256];
    private int ownedCount;
    /** Type names of the host's programs by id, as of the last scrape. */
    private Map<Integer, String> programTypes = new HashMap<>();
    private final Map<String, int[]> byType = new TreeMap<>();

    HostCollector(InstallationSource source) {
        this.source = source;
    }

    /** One installation as a scrape reads it: label text made once per records, figures refreshed each scrape. */
    private static final class Entry {
        final Installation installation;
        final List<Pin> pins;
        final Pinned[] objects;
        final byte[] idLabels;
        final byte[] infoLabels;
        final byte[] hookLabels;
        boolean healthy;

        Entry(Recorded r, Arena arena) {
            installation = r.installation();
            pins = r.pins();
            String pkg = installation.pkg().name();
            List<Pinned> current = new ArrayList<>();
            for (Pin p : pins) {
                if (p.generation() == 0 || p.generation() == installation.generation()) { // as install's status
                    current.add(new Pinned(p, ScrapeReads.path(arena, p.path()), TextExposition.labels("installation",
                            installation.id(), "package", pkg, p.kind() == Pin.Kind.MAP ? "map" : "program", p.name())));
                }
            }
            objects = current.toArray(Pinned[]::new);
            String hook = installation.target().describe();
            idLabels = TextExposition.labels("installation", installation.id());
            infoLabels = TextExposition.labels("installation", installation.id(), "package", pkg,
                    "version", installation.pkg().version(), "hook", hook);
            hookLabels = TextExposition.labels("hook", hook);
        }
    }

    /** One pin of an installation's current generation and what the last scrape read through it. */
    private static final class Pinned {
        final Pin pin;
        final MemorySegment path;
        final byte[] labels;
        boolean alive;
        boolean hasRuns;
        boolean hasSeconds;
        long runs;
        long nanos;
        long entries;
        long memory;
        /** The map id whose charge {@link #fixedMemory} is, while it cannot change; 0: none kept. */
        int memoryOf;
        long fixedMemory;

        Pinned(Pin pin, MemorySegment path, byte[] labels) {
            this.pin = pin;
            this.path = path;
            this.labels = labels;
        }

        void reset() {
            alive = false;
            hasRuns = false;
            hasSeconds = false;
            entries = -1;
            memory = -1;
        }
    }

    /** An interface's XDP dispatcher as read this scrape. */
    private record Dispatcher(byte[] labels, long runs, long nanos) {
    }

    /** Reads the kernel and writes the host's series to {@code out}. */
    synchronized void write(TextExposition out) {
        source.read(this::read);
        write(out, hostPrograms());
    }

    private Void read(List<Recorded> records, InstallLayout layout) {
        if (records != planned) {
            Arena arena = Arena.ofAuto(); // the pins' paths live as long as the entries that point at them
            Entry[] made = new Entry[records.size()];
            for (int i = 0; i < made.length; i++) {
                made[i] = new Entry(records.get(i), arena);
            }
            entries = made;
            planned = records;
        }
        ownedCount = 0;
        dispatchers.clear();
        InstallationCheck.Targets targets = new InstallationCheck.Targets();
        Map<HookTarget, Boolean> present = new HashMap<>();
        Set<String> dispatcherKeys = new HashSet<>();
        for (Entry e : entries) {
            if (e.installation.target() instanceof HookTarget.Xdp x) {
                readXdp(e, x, layout, targets, dispatcherKeys);
            } else {
                boolean alive = true;
                for (Pinned o : e.objects) {
                    readPin(o);
                    alive &= o.alive;
                }
                e.healthy = alive && present.computeIfAbsent(e.installation.target(),
                        t -> InstallationCheck.targetGone(t, targets).isEmpty());
            }
        }
        return null;
    }

    /** Opens {@code o}'s pin once and reads what its series show; a pin that does not open is not alive. */
    private void readPin(Pinned o) {
        o.reset();
        int fd = reads.open(o.path);
        if (fd < 0) {
            return; // ENOENT: the pin was removed; anything else: it cannot be opened, which health reports alike
        }
        try {
            switch (o.pin.kind()) {
                case PROGRAM -> {
                    if (reads.program(fd)) {
                        o.alive = true;
                        o.hasRuns = true;
                        o.hasSeconds = true;
                        o.runs = reads.program.runCnt();
                        o.nanos = reads.program.runTimeNs();
                        own(reads.program.id());
                    }
                }
                case MAP -> {
                    if (reads.map(fd)) {
                        o.alive = true;
                        mapFigures(o, fd);
                    }
                }
                case LINK -> o.alive = reads.link(fd) && reads.linkAttached();
            }
        } finally {
            reads.close(fd);
        }
    }

    /** Entries and charge of the map behind {@code fd}, whose info {@link ScrapeReads#map} holds. */
    private void mapFigures(Pinned o, int fd) {
        o.entries = reads.entries(fd);
        int id = reads.map.id();
        if (o.memoryOf == id) {
            o.memory = o.fixedMemory;
            return;
        }
        o.memory = reads.memlock(fd);
        if (o.memory >= 0 && reads.fixedCharge()) {
            o.memoryOf = id;
            o.fixedMemory = o.memory;
        } else {
            o.memoryOf = 0;
        }
    }

    /**
     * An XDP installation, through install's status: the members' run counts are the dispatcher's counters, the
     * dispatcher's link is the hook's, and the health is the watch's conditions.
     */
    private void readXdp(Entry e, HookTarget.Xdp x, InstallLayout layout, InstallationCheck.Targets targets,
                         Set<String> dispatcherKeys) {
        InstallationStatus status = InstallationStatus.read(e.installation, e.pins, layout);
        InstallationSource.Watched w = new InstallationSource.Watched(e.installation, status);
        List<ObjectStatus> objects = status.objects();
        boolean alive = objects.size() == e.objects.length;
        for (int k = 0; k < e.objects.length; k++) {
            Pinned o = e.objects[k];
            o.reset();
            if (k >= objects.size()) {
                continue;
            }
            ObjectStatus s = objects.get(k);
            alive &= s.alive();
            if (!s.alive()) {
                continue;
            }
            if (s.kind() == Pin.Kind.PROGRAM && s.name().equals(e.installation.programs().getFirst())) {
                // a composed member: the dispatcher counts its runs; its run time is not measured (no run_seconds)
                o.alive = true;
                o.hasRuns = true;
                o.runs = s.runCount();
            } else if (s.kind() == Pin.Kind.MAP) {
                readPin(o);
            } else {
                o.alive = true;
            }
        }
        for (int id : InstallationCheck.ownPrograms(w)) {
            own(id);
        }
        if (dispatcherKeys.add(x.dispatcherKey())) {
            status.dispatcher().filter(ObjectStatus::alive).ifPresent(d ->
                    dispatchers.add(new Dispatcher(e.hookLabels, d.runCount(), d.runTimeNanos())));
        }
        e.healthy = alive && status.dispatcher().map(ObjectStatus::alive).orElse(true)
                && InstallationCheck.problems(w, targets).isEmpty();
    }

    private void own(int id) {
        if (ownedCount == owned.length) {
            owned = Arrays.copyOf(owned, ownedCount * 2);
        }
        owned[ownedCount++] = id;
    }

    /**
     * Programs on the host that bpfstore did not install, by type name. An id's type never changes (the kernel hands
     * ids out cyclically, so one comes back only after 2^31 loads), so only programs new since the last scrape are
     * opened: a scrape lists the ids and opens nothing else.
     */
    private Map<String, int[]> hostPrograms() {
        int n = reads.programIds();
        int[] ids = reads.idList();
        Arrays.sort(owned, 0, ownedCount);
        byType.values().forEach(c -> c[0] = 0);
        int known = 0;
        for (int k = 0; k < n; k++) {
            int id = ids[k];
            String type = programTypes.get(id);
            if (type == null) {
                try (BpfProgram p = BpfProgram.fromId(id)) {
                    type = p.info().typeName();
                } catch (BpfException e) {
                    continue; // unloaded between listing and opening
                }
                programTypes.put(id, type);
            }
            known++;
            if (Arrays.binarySearch(owned, 0, ownedCount, id) < 0) {
                byType.computeIfAbsent(type, t -> new int[1])[0]++;
            }
        }
        if (programTypes.size() > known) { // some were unloaded: keep only the ids there now
            Map<Integer, String> now = new HashMap<>();
            for (int k = 0; k < n; k++) {
                String type = programTypes.get(ids[k]);
                if (type != null) {
                    now.put(ids[k], type);
                }
            }
            programTypes = now;
        }
        return byType;
    }

    private void write(TextExposition out, Map<String, int[]> hostPrograms) {
        out.family("bpfstore_program_run_count_total", "counter",
                "Runs of an installed program (kernel run_cnt; counted while the agent's metrics are on)");
        for (Entry e : entries) {
            for (Pinned o : e.objects) {
                if (o.hasRuns) {
                    out.sample(RUN_COUNT, o.labels, o.runs);
                }
            }
        }
        out.family("bpfstore_program_run_seconds_total", "counter", "Time spent in an installed program (kernel run_time_ns)");
        for (Entry e : entries) {
            for (Pinned o : e.objects) {
                if (o.hasSeconds) {
                    out.sampleSeconds(RUN_SECONDS, o.labels, o.nanos);
                }
            }
        }
        out.family("bpfstore_xdp_dispatcher_run_count_total", "counter",
                "Runs of an interface's composed XDP dispatcher (all its member packages together)");
        for (Dispatcher d : dispatchers) {
            out.sample(DISPATCHER_RUNS, d.labels(), d.runs());
        }
        out.family("bpfstore_xdp_dispatcher_run_seconds_total", "counter",
                "Time spent in an interface's composed XDP dispatcher");
        for (Dispatcher d : dispatchers) {
            out.sampleSeconds(DISPATCHER_SECONDS, d.labels(), d.nanos());
        }
        out.family("bpfstore_map_entries", "gauge", "Entries in an installed map (arrays: max_entries)");
        for (Entry e : entries) {
            for (Pinned o : e.objects) {
                if (o.entries >= 0) {
                    out.sample(MAP_ENTRIES, o.labels, o.entries);
                }
            }
        }
        out.family("bpfstore_map_memory_bytes", "gauge", "Memory the kernel charges for an installed map (fdinfo memlock)");
        for (Entry e : entries) {
            for (Pinned o : e.objects) {
                if (o.memory >= 0) {
                    out.sample(MAP_MEMORY, o.labels, o.memory);
                }
            }
        }
        out.family("bpfstore_installation_info", "gauge", "An installation: its package, version and hook");
        for (Entry e : entries) {
            out.sample(INFO, e.infoLabels, 1);
        }
        out.family("bpfstore_installation_healthy", "gauge",
                "1 when every pin, link and the hook target of the installation are in place, else 0");
        for (Entry e : entries) {
            out.sample(HEALTHY, e.idLabels, e.healthy ? 1 : 0);
        }
        out.family("bpfstore_host_programs", "gauge", "Programs loaded on the host that bpfstore did not install, by program type");
        hostPrograms.forEach((type, count) -> {
            if (count[0] > 0) {
                out.sample(HOST_PROGRAMS, TextExposition.labels("type", type), count[0]);
            }
        });
        out.endFamily();
    }
}
