package io.bpfstore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@link AgentShortcut}, the launcher's entry point for the commands the agent serves: for the same agent state it
 * prints what the full CLI ({@link Main}, picocli) prints — stdout, stderr and exit status, text and JSON, results
 * and errors — while loading neither picocli nor databind nor kernel, analysis or registry code; what it does not
 * take goes to the full CLI. Real agent, real kernel (an XDP package on a veth in a namespace the test creates).
 */
class AgentShortcutTest {
    @TempDir
    Path work;

    private static boolean takes(String... args) {
        AgentShortcut.Syntax syntax = AgentShortcut.COMMANDS.get(args[0]);
        return syntax != null && AgentShortcut.parse(args, syntax).isPresent();
    }

    @Test
    void takesPlainArgumentsAndLeavesEverythingElseToPicocli() {
        assertTrue(takes("list"));
        assertTrue(takes("list", "-o", "json"));
        assertTrue(takes("list", "--output=JSON"));
        assertTrue(takes("install", "ns/pkg@1.0.0", "--iface", "eth0", "--netns=blue", "--key", "a.pem", "--key", "b.pem",
                "--set", "a=1", "--set", "b=2", "--proceed-on", "pass,drop", "--force", "--policy", "p.yaml"));
        assertTrue(takes("upgrade", "x@1.1.0", "--from", "dir", "--reset-maps", "-o", "json"));
        assertTrue(takes("uninstall", "x"));
        for (String[] other : List.of(new String[] {"status", "x"}, new String[] {"list", "--help"},
                new String[] {"list", "-h"}, new String[] {"list", "--no-agent"}, new String[] {"list", "--state-dir", "/s"},
                new String[] {"list", "--bpffs=/b"}, new String[] {"list", "extra"}, new String[] {"list", "-ojson"},
                new String[] {"list", "-o", "json", "--output", "text"}, new String[] {"list", "-o"},
                new String[] {"uninstall"}, new String[] {"uninstall", "a", "b"}, new String[] {"uninstall", "@args"},
                new String[] {"uninstall", "--", "x"}, new String[] {"install", "p", "--iface", "a", "--iface", "b"},
                new String[] {"install", "p", "--force", "--force"}, new String[] {"install", "p", "--force=true"},
                new String[] {"install", "p", "--name", "-x"}, new String[] {"upgrade", "x", "--iface", "eth0"})) {
            assertFalse(takes(other), String.join(" ", other));
        }
    }

    /**
     * The connection is the shortcut's probe (no ping first): a socket file nobody listens on any more (an agent that
     * stopped) refuses it, and the shortcut hands the command to the full CLI having printed nothing; so does a path
     * that is no socket at all.
     */
    @Test
    void handsTheCommandToTheFullCliWhenNoAgentTakesTheConnection() throws IOException {
        Path stale = work.resolve("stale.sock");
        try (ServerSocketChannel gone = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            gone.bind(UnixDomainSocketAddress.of(stale));
        }
        assertTrue(Files.exists(stale), "closing a unix server socket leaves its file");
        Path plain = Files.writeString(work.resolve("plain"), "not a socket");
        for (Path socket : List.of(stale, plain, work.resolve("missing.sock"))) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            OptionalInt status = AgentShortcut.run(new String[] {"list"}, Map.of("BPFSTORE_AGENT_SOCKET", socket.toString()),
                    new PrintWriter(out), new PrintWriter(err));
            assertEquals(OptionalInt.empty(), status, socket.toString());
            assertEquals("", out.toString() + err.toString());
        }
    }

    @Test
    void itsOptionsAreTheCommandsOwnAsPicocliModelsThem() {
        CommandLine top = Main.commandLine();
        for (Map.Entry<String, AgentShortcut.Syntax> e : AgentShortcut.COMMANDS.entrySet()) {
            CommandSpec spec = top.getSubcommands().get(e.getKey()).getCommandSpec();
            assertEquals(spec.positionalParameters().size(), e.getValue().positionals(), e.getKey());
            for (String name : e.getValue().valued()) {
                OptionSpec o = spec.findOption(name);
                assertNotNull(o, e.getKey() + " " + name);
                assertTrue(o.arity().max() >= 1, e.getKey() + " " + name + " takes a value");
                assertEquals(o.isMultiValue(), AgentShortcut.Arguments.REPEATABLE.contains(name), e.getKey() + " " + name);
            }
            for (String name : e.getValue().flags()) {
                OptionSpec o = spec.findOption(name);
                assertNotNull(o, e.getKey() + " " + name);
                assertEquals(0, o.arity().max(), e.getKey() + " " + name + " is a flag");
            }
        }
    }

    @Test
    void printsWhatTheFullCliPrintsForTheSameAgentStateAndLoadsNoneOfTheRest() throws IOException {
        Path v1 = InstallHost.layout("xdp_counter", "1.0.0", work);
        Path v2 = InstallHost.layout("xdp_counter", "1.1.0", work);
        try (InstallHost h = InstallHost.create("h", work); AgentHost a = new AgentHost(h, work)) {
            String[] install = {"install", v1.toString(), "--iface", h.ifB, "--netns", h.nsB, "--policy", h.policy.toString()};
            AgentHost.Run fast = shortcut(a, install);
            assertEquals(0, fast.exit(), fast.err());
            assertTrue(fast.out().startsWith("installed xdp-counter (examples/xdp-counter 1.0.0) on xdp on " + h.ifB),
                    fast.out());
            assertTrue(InstallCommandsTest.xdpProgramOn(h) != 0, "ip link shows an XDP program");

            same(a, "list");
            same(a, "list", "-o", "json");
            same(a, "list", "--output=json");
            same(a, "uninstall", "missing");
            same(a, "uninstall", "missing", "-o", "json");
            same(a, install);  // the name is taken: the agent refuses, both say so alike
            same(a, "list", "extra");  // a usage error: the shortcut hands it to picocli
            same(a, "list", "--help");
            same(a, "list", "--no-agent", "--state-dir", h.state.toString(), "--bpffs", h.pins.toString());

            Path classes = work.resolve("classes.log");
            AgentHost.Run listed = a.cli(AgentShortcut.class, List.of("-Xlog:class+load=info:file=" + classes), "list");
            assertEquals(0, listed.exit(), listed.err());
            String loaded = Files.readString(classes);
            assertTrue(loaded.contains("io.bpfstore.agent.client.AgentClient"), "list went through the agent's client");
            for (String forbidden : List.of("picocli.", "com.fasterxml.jackson.databind.", "io.bpfstore.kernel.",
                    "io.bpfstore.analysis.", "io.bpfstore.registry.", "io.bpfstore.agent.local.", "org.sqlite.")) {
                assertFalse(loaded.contains(" " + forbidden), "the shortcut loaded " + forbidden);
            }

            // upgrade, then back (full CLI), then again through the shortcut: the same words
            AgentHost.Run up = a.cli(List.of(), "upgrade", "xdp-counter", "--from", v2.toString(), "--policy", h.policy.toString());
            assertEquals("upgraded xdp-counter from 1.0.0 to 1.1.0", up.out().strip(), up.err());
            AgentHost.Run back = shortcut(a, "upgrade", "xdp-counter", "--from", v1.toString(), "--policy",
                    h.policy.toString(), "--allow-downgrade");
            assertEquals("upgraded xdp-counter from 1.1.0 to 1.0.0", back.out().strip(), back.err());
            assertEquals(up, shortcut(a, "upgrade", "xdp-counter", "--from", v2.toString(), "--policy", h.policy.toString()));

            // install and uninstall with -o json through each: the same documents but for the install time
            AgentHost.Run fastGone = shortcut(a, "uninstall", "xdp-counter", "-o", "json");
            String[] installJson = {"install", v1.toString(), "--iface", h.ifB, "--netns", h.nsB, "--policy",
                    h.policy.toString(), "-o", "json", "--name", "xdp-counter"};
            AgentHost.Run fastJson = shortcut(a, installJson);
            AgentHost.Run fullGone = a.cli(List.of(), "uninstall", "xdp-counter", "-o", "json");
            AgentHost.Run fullJson = a.cli(List.of(), installJson);
            assertEquals(fullGone, fastGone);
            assertEquals(0, fastJson.exit(), fastJson.err());
            assertTrue(fastJson.out().contains("\"installed_at\""), fastJson.out());
            assertEquals(withoutTime(fullJson), withoutTime(fastJson));
            same(a, "list", "-o", "json");

            assertEquals(0, shortcut(a, "uninstall", "xdp-counter").exit());
            assertEquals(0, InstallCommandsTest.xdpProgramOn(h));
            assertEquals(List.of(), h.pinFiles());
        }
    }

    private static AgentHost.Run shortcut(AgentHost a, String... args) throws IOException {
        return a.cli(AgentShortcut.class, List.of(), args);
    }

    /** {@code bpfstore ARGS} through the shortcut and through the full CLI: the same exit status, stdout and stderr. */
    private static void same(AgentHost a, String... args) throws IOException {
        AgentHost.Run full = a.cli(List.of(), args);
        AgentHost.Run fast = shortcut(a, args);
        assertEquals(full, fast, String.join(" ", args));
    }

    private static AgentHost.Run withoutTime(AgentHost.Run r) {
        return new AgentHost.Run(r.exit(), r.out().replaceAll("\"installed_at\" : \"[^\"]*\"", "\"installed_at\" : \"T\""),
                r.err());
    }
}
