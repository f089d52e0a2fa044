package io.bpfstore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bpfstore.registry.server.RegistryConfig;
import io.bpfstore.registry.server.RegistryServer;
import io.bpfstore.testsupport.ExampleObjects;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code -o json} on every command that prints data: the test walks picocli's model of the whole command line,
 * requires the one shared {@link OutputOption} on every command that prints data, runs each of them with
 * {@code -o json} for real (bpfstore's own registry in-process, a test host of namespaces for the installation
 * commands) and parses what it printed with Jackson. A command added without {@code -o json}, or without a run
 * here, fails the test.
 */
class JsonOutputTest extends IsolatedConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Commands that print no data, and why: they get no {@code -o}. */
    private static final Map<String, String> NO_DATA = Map.of(
            "serve", "runs the registry in the foreground; its address goes to stderr",
            "agent", "runs the agent in the foreground; it logs to stderr",
            "completion", "prints a shell script, which is its data in the shell's own language",
            "publisher", "only lists its subcommands",
            "policy", "only lists its subcommands",
            "registry", "only lists its subcommands");

    /**
     * Commands run here only to a failure, whose JSON error is parsed: they need the resident agent, which this
     * test does not start (AgentTest runs them against one), a capture (ReplayCommandTest), or a PostgreSQL
     * database (RegistryScaledCommandsTest migrates into one).
     */
    private static final Set<String> ERROR_ONLY = Set.of("events", "follow", "unfollow", "replay", "registry migrate");

    @Test
    void everyCommandThatPrintsDataPrintsJsonWithTheSharedOption() throws Exception {
        Map<String, CommandSpec> commands = new LinkedHashMap<>();
        collect(Main.commandLine(), "", commands);
        Set<String> data = new TreeSet<>();
        commands.forEach((path, spec) -> {
            String top = path.split(" ")[0];
            if (NO_DATA.containsKey(path) || NO_DATA.containsKey(top) && !spec.subcommands().isEmpty()) {
                assertTrue(spec.findOption("--output") == null, path + " prints no data: " + NO_DATA.get(top));
                return;
            }
            data.add(path);
            CommandLine.Model.OptionSpec option = spec.findOption("--output");
            assertNotNull(option, path + " prints data but has no -o/--output");
            assertNotNull(spec.findOption("-o"), path + ": -o");
            assertTrue(spec.mixins().values().stream().anyMatch(m -> m.userObject() instanceof OutputOption),
                    path + ": -o comes from the shared OutputOption, not a copy of its own");
        });

        Map<String, Cli.Result> runs = runEveryCommand();
        assertEquals(data, new TreeSet<>(runs.keySet()), "every command that prints data is run with -o json");
        runs.forEach((path, r) -> {
            JsonNode doc;
            try {
                // data and events print JSON lines (one document a line); their errors are one document like the rest
                doc = JSON.readTree(r.exit() == 0 && (path.equals("data") || path.equals("events")) ? r.out().lines().findFirst()
                        .orElse("{}") : r.out());
            } catch (IOException e) {
                throw new AssertionError(path + " -o json printed no JSON: " + e.getMessage() + "\n" + r.out()
                        + "\nstderr: " + r.err(), e);
            }
            assertNotNull(doc, path + " printed nothing");
            if (ERROR_ONLY.contains(path)) {
                assertTrue(r.exit() != 0, path + " fails here");
                JsonNode error = doc.path("error");
                assertEquals(path, error.path("command").asText().replaceFirst("^bpfstore ", ""), doc.toString());
                assertEquals(r.exit(), error.path("exit_status").asInt(), doc.toString());
                assertFalse(error.path("message").asText().isBlank(), doc.toString());
                assertEquals("", r.err(), "with -o json the error goes to stdout only");
            } else {
                // findings (exit 3: a policy's denial, a clash, a doctor's problem) are data, printed as such
                assertTrue(r.exit() == 0 || r.exit() == io.bpfstore.bytecode.Reportable.FINDINGS,
                        () -> path + " failed: " + r.out() + r.err());
                assertTrue(doc.isContainerNode() && !doc.isEmpty(), path + " printed an empty document: " + doc);
                assertFalse(doc.has("error"), path + ": " + doc);
            }
        });
        // a usage error of a command asked for JSON is JSON too
        Cli.Result usage = Cli.run("pull", "-o", "json");
        assertEquals(2, usage.exit());
        assertEquals(2, JSON.readTree(usage.out()).path("error").path("exit_status").asInt(), usage.out());
    }

    /** Runs every command that prints data once with {@code -o json}; keyed by command path. */
    private Map<String, Cli.Result> runEveryCommand() throws Exception {
        Map<String, Cli.Result> runs = new LinkedHashMap<>();
        Path object = ExampleObjects.dir().resolve("xdp_counter.o");
        Path keys = dir.resolve("keys");
        Path data = dir.resolve("registry");
        json(runs, "inspect", object.toString());
        json(runs, "disasm", object.toString());
        json(runs, "btf", object.toString());
        json(runs, "ps");
        json(runs, "check", object.toString());
        json(runs, "probe", "--cache-dir", dir.resolve("probes").toString());
        json(runs, "load", object.toString());
        json(runs, "keygen", "--out", keys.toString());
        Path layout = dir.resolve("layout");
        json(runs, "package", object.toString(), "--namespace", "jsonns", "--out", layout.toString());
        JsonNode created = JSON.readTree(json(runs, "publisher create", "jsonpub", "--namespace", "jsonns", "--data",
                data.toString()).out());
        json(runs, "publisher token", "jsonpub", "--data", data.toString());
        json(runs, "publisher add-key", "jsonpub", keys.resolve("signing.pub").toString(), "--data", data.toString());
        json(runs, "publisher require-signatures", "jsonns", "--off", "--data", data.toString());
        try (RegistryServer server = RegistryServer.start(RegistryConfig.of("127.0.0.1", 0, data))) {
            String url = "http://127.0.0.1:" + server.port();
            InputStream stdin = System.in;
            try {
                System.setIn(new ByteArrayInputStream((created.path("token").asText() + "\n")
                        .getBytes(StandardCharsets.UTF_8)));
                json(runs, "login", "--registry", url, "--username", "jsonpub", "--password-stdin");
            } finally {
                System.setIn(stdin);
            }
            String pub = keys.resolve("signing.pub").toString();
            json(runs, "push", layout.toString(), "--sign", keys.resolve("signing.key").toString());
            json(runs, "sign", "jsonns/xdp-counter@0.1.0", "--key", keys.resolve("signing.key").toString());
            json(runs, "verify", "jsonns/xdp-counter@0.1.0", "--key", pub);
            json(runs, "pull", "jsonns/xdp-counter@0.1.0", "--key", pub, "--out", dir.resolve("pulled").toString());
            json(runs, "search", "counter");
            json(runs, "show", "jsonns/xdp-counter");
            // this registry as another one's origin: its package indexed into a second data directory
            String indexed = dir.resolve("indexing").toString();
            String origin = url + "/jsonns/xdp-counter";
            json(runs, "registry index add", origin, "--data", indexed);
            json(runs, "registry index refresh", "--data", indexed);
            json(runs, "registry index list", "--data", indexed);
            json(runs, "registry index remove", origin, "--data", indexed);
            json(runs, "yank", "jsonns/xdp-counter@0.1.0");
            json(runs, "policy check", layout.toString());
        }
        Path v1 = InstallHost.layout("xdp_counter", "1.0.0", dir);
        Path v2 = InstallHost.layout("xdp_counter", "1.1.0", dir);
        try (InstallHost h = InstallHost.create("j", dir.resolve("host"))) {
            runs.put("install", h.run("install", v1.toString(), "--iface", h.ifB, "--netns", h.nsB, "-o", "json"));
            runs.put("list", h.run("list", "-o", "json"));
            runs.put("status", h.run("status", "xdp-counter", "-o", "json"));
            runs.put("data", h.run("data", "xdp-counter", "-o", "json"));
            runs.put("upgrade", h.run("upgrade", "xdp-counter", "--from", v2.toString(), "-o", "json"));
            runs.put("doctor", h.run("doctor", "-o", "json"));
            runs.put("uninstall", h.run("uninstall", "xdp-counter", "-o", "json"));
        }
        json(runs, "registry migrate", "--from", data.toString(), "--to", "postgresql://nobody@127.0.0.1:1/none");
        json(runs, "events", "no-such-installation");
        json(runs, "follow", "no-such-installation");
        json(runs, "unfollow", "no-such-installation");
        json(runs, "replay", object.toString(), "--pcap", dir.resolve("no-such.pcap").toString());
        return runs;
    }

    private static Cli.Result json(Map<String, Cli.Result> runs, String path, String... args) {
        List<String> all = new ArrayList<>(List.of(path.split(" ")));
        all.addAll(List.of(args));
        all.addAll(List.of("-o", "json"));
        Cli.Result r = Cli.run(all.toArray(String[]::new));
        runs.put(path, r);
        return r;
    }

    private static void collect(CommandLine cmd, String path, Map<String, CommandSpec> out) {
        cmd.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help")) {
                String p = path.isEmpty() ? name : path + " " + name;
                out.put(p, sub.getCommandSpec());
                collect(sub, p, out);
            }
        });
    }
}
