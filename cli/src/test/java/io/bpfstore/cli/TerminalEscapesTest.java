package io.bpfstore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.bpfstore.testsupport.BpfClang;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Text from packages reaches the terminal with its control characters escaped (issue 17 item 5): a registry that
 * answers with ESC sequences in descriptions, names and error messages (an in-test server on 127.0.0.1, since the
 * real registry refuses them at push), and an object compiled by clang whose section name and source line carry
 * them (clang keeps them; {@code package} would refuse such a manifest, {@code inspect} and {@code disasm} read
 * the object directly).
 */
class TerminalEscapesTest {
    /** Sets the terminal title (OSC 0, ended by BEL). */
    private static final String TITLE = "\u001b]0;pwned\u0007";
    /** Clears the screen (CSI 2J). */
    private static final String CLEAR = "\u001b[2J";

    @TempDir
    Path dir;

    private static void handle(HttpExchange x) throws IOException {
        try (x) {
            String path = x.getRequestURI().getPath();
            ObjectNode doc = Json.mapper().createObjectNode();
            int status = 200;
            switch (path) {
                case "/api/v1/search" -> {
                    ObjectNode r = doc.putArray("results").addObject();
                    r.put("namespace", "evil").put("name", "pkg").put("version", "1.0.0")
                            .put("description", "counts" + CLEAR + TITLE).put("license", "GPL").put("downloads", 1);
                    r.putArray("program_types").add("xdp");
                    doc.put("total", 1);
                }
                case "/api/v1/packages/evil/pkg" -> {
                    doc.put("namespace", "evil").put("name", "pkg").put("description", "counts" + TITLE)
                            .put("latest", "1.0.0").put("downloads", 1);
                    doc.putArray("versions").addObject().put("version", "1.0.0").put("digest", "sha256:" + "ab".repeat(32))
                            .put("published_at", "2026-01-01T00:00:00Z" + CLEAR).put("downloads", 1);
                }
                case "/api/v1/packages/evil/pkg/1.0.0" -> {
                    doc.put("namespace", "evil").put("name", "pkg").put("version", "1.0.0")
                            .put("description", "counts" + TITLE).put("license", "GPL" + CLEAR);
                    doc.putArray("programs").addObject().put("name", "prog" + CLEAR).put("type", "xdp")
                            .put("instructions", 2);
                    doc.putArray("maps").addObject().put("name", "map" + TITLE).put("type", "array");
                }
                default -> {
                    status = 404;
                    doc.putObject("error").put("code", "NOT_FOUND").put("message", "no such package" + TITLE);
                }
            }
            byte[] body = doc.toString().getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().add("Content-Type", "application/json");
            x.sendResponseHeaders(status, body.length);
            x.getResponseBody().write(body);
        }
    }

    private static void assertEscaped(String printed, String... escapedForms) {
        assertFalse(printed.contains("\u001b"), "raw ESC printed: " + printed);
        assertFalse(printed.contains("\u0007"), "raw BEL printed: " + printed);
        for (String escaped : escapedForms) {
            assertTrue(printed.contains(escaped), escaped + " missing from: " + printed);
        }
    }

    @Test
    void registryAnswersArePrintedEscaped() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", TerminalEscapesTest::handle);
        server.start();
        System.setProperty("bpfstore.config", dir.resolve("config.yaml").toString());
        try {
            assertAnswersEscaped("http://127.0.0.1:" + server.getAddress().getPort());
        } finally {
            server.stop(0);
            System.clearProperty("bpfstore.config");
        }
    }

    private static void assertAnswersEscaped(String url) {
        Cli.Result search = Cli.run("search", "counts", "--registry", url);
        assertEquals(0, search.exit(), search.err());
        assertEscaped(search.out(), "counts\\u001b[2J\\u001b]0;pwned\\u0007");

        Cli.Result pkg = Cli.run("show", "evil/pkg", "--registry", url);
        assertEquals(0, pkg.exit(), pkg.err());
        assertEscaped(pkg.out(), "evil/pkg — counts\\u001b]0;pwned\\u0007", "2026-01-01T00:00:00Z\\u001b[2J");

        Cli.Result version = Cli.run("show", "evil/pkg@1.0.0", "--registry", url);
        assertEquals(0, version.exit(), version.err());
        assertEscaped(version.out(), "counts\\u001b]0;pwned\\u0007", "license GPL\\u001b[2J", "prog\\u001b[2J",
                "map\\u001b]0;pwned\\u0007");

        Cli.Result missing = Cli.run("show", "evil/other", "--registry", url);
        assertEquals(1, missing.exit());
        assertEscaped(missing.err(), "no such package\\u001b]0;pwned\\u0007");
        // JSON output is left to Jackson, which writes control characters as \\u escapes too
        assertEscaped(Cli.run("show", "evil/pkg", "--registry", url, "-o", "json").out(), "\\u001B]0;pwned\\u0007");
    }

    @Test
    void objectNamesAndSourceLinesArePrintedEscaped() throws IOException {
        Path source = dir.resolve("evil.c");
        Files.writeString(source, "typedef unsigned int __u32;\nstruct xdp_md { __u32 data; };\n"
                + "__attribute__((section(\"xdp.frags/\\x1b]0;pwned\\x07\"), used))\n"
                + "int prog(struct xdp_md *ctx)\n{\n\treturn 2; /* " + CLEAR + " */\n}\n"
                + "char _license[] __attribute__((section(\"license\"), used)) = \"GPL\";\n");
        Path object = BpfClang.compile(source, dir.resolve("evil.o"));
        assertTrue(new String(Files.readAllBytes(object), StandardCharsets.ISO_8859_1).contains(TITLE),
                "clang kept the raw section name");

        Cli.Result inspect = Cli.run("inspect", object.toString());
        assertEquals(0, inspect.exit(), inspect.err());
        assertEscaped(inspect.out(), "xdp.frags/\\u001b]0;pwned\\u0007");

        Cli.Result disasm = Cli.run("disasm", "--source", object.toString());
        assertEquals(0, disasm.exit(), disasm.err());
        assertEscaped(disasm.out(), "xdp.frags/\\u001b]0;pwned\\u0007", "/* \\u001b[2J */");
    }
}
