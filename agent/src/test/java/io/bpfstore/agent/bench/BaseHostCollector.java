package io.bpfstore.agent.bench;

import io.bpfstore.agent.watch.InstallationCheck;
import io.bpfstore.agent.watch.InstallationSource;
import io.bpfstore.install.HookTarget;
import io.bpfstore.install.Installation;
import io.bpfstore.install.InstallationStatus.ObjectStatus;
import io.bpfstore.install.Pin;
import io.bpfstore.kernel.BpfException;
import io.bpfstore.kernel.BpfMap;
import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.kernel.MapInfo;
import io.bpfstore.kernel.ObjectIds;
import io.bpfstore.kernel.link.BpfLink;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The scrape as it was before the one-pass collector (commit 16d4eae's {@code HostCollector}, copied unchanged but for
 * its name): install's status for every installation, the watch's checks, the client library's model and writer.
 * The benchmark times it beside the agent's collector in the same rounds, over the same installations.
 *
 * <p>Its original description follows.
 *
 * The host's series, read from the kernel at each scrape: run count and run time of every installed program
 * (BPF_OBJ_GET_INFO_BY_FD's run_cnt and run_time_ns), entries and memory of every installed map, one info and one
 * health series per installation, and the programs of other tools by type.
 *
 * <p>XDP: an interface runs one composed dispatcher program, into which the members' code is linked; the kernel
 * counts the dispatcher's runs only. The dispatcher counts each member's runs itself (kernel's
 * {@code MemberRuns}, whether or not BPF_ENABLE_STATS is held): a member's entry program gets
 * {@code bpfstore_program_run_count_total} from that count and no {@code run_seconds} (not measured per member);
 * {@code bpfstore_xdp_dispatcher_run_*_total{hook}} counts every packet the interface's dispatcher saw (all its
 * members together) and the time spent in all of them.
 */
public final class BaseHostCollector implements MultiCollector {
    private static final double NANOS = 1e9;

    private static final byte[] MEMLOCK = "memlock:".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final InstallationSource source;
    /** One map's fdinfo text (the collector runs one scrape at a time: {@link #collect} is synchronized). */
    private final ByteBuffer fdinfo = ByteBuffer.allocate(4096);
    /** Type names of the host's programs by id, as of the last scrape (the collector runs one scrape at a time). */
    private Map<Integer, String> programTypes = Map.of();

    public BaseHostCollector(InstallationSource source) {
        this.source = source;
    }

    @Override
    public synchronized MetricSnapshots collect() {
        List<InstallationSource.Watched> all = source.installations();
        CounterSnapshot.Builder runs = CounterSnapshot.builder().name("bpfstore_program_run_count")
                .help("Runs of an installed program (kernel run_cnt; counted while the agent's metrics are on)");
        CounterSnapshot.Builder time = CounterSnapshot.builder().name("bpfstore_program_run_seconds").unit(Unit.SECONDS)
                .help("Time spent in an installed program (kernel run_time_ns)");
        CounterSnapshot.Builder dispatcherRuns = CounterSnapshot.builder().name("bpfstore_xdp_dispatcher_run_count")
                .help("Runs of an interface's composed XDP dispatcher (all its member packages together)");
        CounterSnapshot.Builder dispatcherTime = CounterSnapshot.builder().name("bpfstore_xdp_dispatcher_run_seconds")
                .unit(Unit.SECONDS).help("Time spent in an interface's composed XDP dispatcher");
        GaugeSnapshot.Builder entries = GaugeSnapshot.builder().name("bpfstore_map_entries")
                .help("Entries in an installed map (arrays: max_entries)");
        GaugeSnapshot.Builder memory = GaugeSnapshot.builder().name("bpfstore_map_memory_bytes").unit(Unit.BYTES)
                .help("Memory the kernel charges for an installed map (fdinfo memlock)");
        InfoSnapshot.Builder info = InfoSnapshot.builder().name("bpfstore_installation")
                .help("An installation: its package, version and hook");
        GaugeSnapshot.Builder healthy = GaugeSnapshot.builder().name("bpfstore_installation_healthy")
                .help("1 when every pin, link and the hook target of the installation are in place, else 0");
        Set<Integer> owned = new HashSet<>();
        Set<String> dispatchers = new HashSet<>();
        Map<String, List<String>> problems = InstallationCheck.problems(all);
        for (InstallationSource.Watched w : all) {
            Installation i = w.installation();
            owned.addAll(InstallationCheck.ownPrograms(w));
            info.dataPoint(InfoSnapshot.InfoDataPointSnapshot.builder().labels(Labels.of("installation", i.id(),
                    "package", i.pkg().name(), "version", i.pkg().version(), "hook", i.target().describe())).build());
            healthy.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of("installation", i.id()))
                    .value(healthy(w, problems.get(i.id())) ? 1 : 0).build());
            boolean xdp = i.target() instanceof HookTarget.Xdp;
            for (ObjectStatus o : w.status().objects()) {
                if (!o.alive()) {
                    continue;
                }
                Labels labels = Labels.of("installation", i.id(), "package", i.pkg().name(),
                        o.kind() == Pin.Kind.MAP ? "map" : "program", o.name());
                if (o.kind() == Pin.Kind.PROGRAM && !xdp) {
                    runs.dataPoint(CounterDataPointSnapshot.builder().labels(labels).value(o.runCount()).build());
                    time.dataPoint(CounterDataPointSnapshot.builder().labels(labels).value(o.runTimeNanos() / NANOS).build());
                } else if (o.kind() == Pin.Kind.PROGRAM && o.name().equals(i.programs().getFirst())) {
                    // a composed member: the dispatcher counts its runs (install's status reads the counter); its
                    // run time is not measured, so it has no run_seconds series
                    runs.dataPoint(CounterDataPointSnapshot.builder().labels(labels).value(o.runCount()).build());
                } else if (o.kind() == Pin.Kind.MAP) {
                    mapFigures(o.pin(), labels, entries, memory);
                }
            }
            if (i.target() instanceof HookTarget.Xdp x && dispatchers.add(x.dispatcherKey())) {
                w.status().dispatcher().filter(ObjectStatus::alive).ifPresent(d -> {
                    Labels labels = Labels.of("hook", i.target().describe());
                    dispatcherRuns.dataPoint(CounterDataPointSnapshot.builder().labels(labels).value(d.runCount()).build());
                    dispatcherTime.dataPoint(CounterDataPointSnapshot.builder().labels(labels)
                            .value(d.runTimeNanos() / NANOS).build());
                });
            }
        }
        return MetricSnapshots.builder().metricSnapshot(runs.build()).metricSnapshot(time.build())
                .metricSnapshot(dispatcherRuns.build()).metricSnapshot(dispatcherTime.build())
                .metricSnapshot(entries.build()).metricSnapshot(memory.build()).metricSnapshot(info.build())
                .metricSnapshot(healthy.build()).metricSnapshot(hostPrograms(owned)).build();
    }

    private static boolean healthy(InstallationSource.Watched w, List<String> problems) {
        boolean alive = w.status().objects().stream().allMatch(ObjectStatus::alive)
                && w.status().dispatcher().map(ObjectStatus::alive).orElse(true);
        return alive && problems.isEmpty();
    }

    /** Entries and charged memory of the map pinned at {@code pin}. */
    private void mapFigures(Path pin, Labels labels, GaugeSnapshot.Builder entries, GaugeSnapshot.Builder memory) {
        try (BpfMap map = BpfMap.openPinned(pin)) {
            MapInfo info = map.info();
            long count = switch (info.typeName()) {
                case "array", "percpu_array", "prog_array", "perf_event_array", "cgroup_array", "array_of_maps" ->
                        info.maxEntries();
                case "ringbuf", "user_ringbuf", "queue", "stack", "bloom_filter", "struct_ops", "arena" -> -1;
                default -> map.keys().size();
            };
            if (count >= 0) {
                entries.dataPoint(GaugeDataPointSnapshot.builder().labels(labels).value(count).build());
            }
            long bytes = memlock(map.fd().value());
            if (bytes >= 0) {
                memory.dataPoint(GaugeDataPointSnapshot.builder().labels(labels).value(bytes).build());
            }
        } catch (BpfException e) {
            // unpinned or freed since the status was read: the installation's health says so
        }
    }

    /**
     * The kernel's charge for the map behind {@code fd}: the {@code memlock:} line of its fdinfo, read as ASCII into a
     * buffer kept between reads (a scrape reads one per installed map).
     */
    private long memlock(int fd) {
        try (FileChannel channel = FileChannel.open(Path.of("/proc/self/fdinfo/" + fd))) {
            fdinfo.clear();
            while (fdinfo.hasRemaining() && channel.read(fdinfo) > 0) {
                // fdinfo of a map is a few hundred bytes
            }
        } catch (IOException e) {
            return -1; // closed meanwhile: no figure
        }
        byte[] text = fdinfo.array();
        int end = fdinfo.position();
        for (int line = 0; line < end; ) {
            if (startsWith(text, line, end, MEMLOCK)) {
                long value = 0;
                int at = line + MEMLOCK.length;
                while (at < end && (text[at] == ' ' || text[at] == '\t')) {
                    at++;
                }
                int digits = at;
                while (at < end && text[at] >= '0' && text[at] <= '9') {
                    value = value * 10 + (text[at++] - '0');
                }
                return at > digits ? value : -1;
            }
            while (line < end && text[line] != '\n') {
                line++;
            }
            line++;
        }
        return -1;
    }

    private static boolean startsWith(byte[] text, int at, int end, byte[] prefix) {
        if (end - at < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (text[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Programs on the host that bpfstore did not install, by type. An id's type never changes (the kernel hands ids
     * out cyclically, so one comes back only after 2^31 loads), so only programs new since the last scrape are
     * opened: a scrape lists the ids and opens nothing else.
     */
    private GaugeSnapshot hostPrograms(Set<Integer> owned) {
        Map<Integer, String> now = new HashMap<>();
        for (int id : ObjectIds.PROGRAM.list()) {
            String type = programTypes.get(id);
            if (type == null) {
                try (BpfProgram p = BpfProgram.fromId(id)) {
                    type = p.info().typeName();
                } catch (BpfException e) {
                    continue; // unloaded between listing and opening
                }
            }
            now.put(id, type);
        }
        programTypes = now;
        Map<String, Integer> byType = new TreeMap<>();
        now.forEach((id, type) -> {
            if (!owned.contains(id)) {
                byType.merge(type, 1, Integer::sum);
            }
        });
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name("bpfstore_host_programs")
                .help("Programs loaded on the host that bpfstore did not install, by program type");
        byType.forEach((type, n) -> b.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of("type", type))
                .value(n).build()));
        return b.build();
    }

}
