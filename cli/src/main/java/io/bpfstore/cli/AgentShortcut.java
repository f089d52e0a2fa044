package io.bpfstore.cli;

import io.bpfstore.agent.api.Installations;
import io.bpfstore.agent.client.AgentClient;
import io.bpfstore.install.api.TcMode;
import io.bpfstore.install.api.TrafficDirection;
import java.io.BufferedWriter;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The launcher's entry point for the commands the agent serves ({@code list}, {@code install}, {@code upgrade},
 * {@code uninstall}) while its socket answers: it reads their plain arguments itself, fills the command object
 * picocli would have filled and runs that command's own code against the agent's client, so the output, exit
 * status and errors are the command's. Picocli's model of a command (reflection over its annotations, a proxy
 * class for each annotation type) and Jackson's databind cost several times a JVM's start; this path loads
 * neither, nor any kernel, analysis or registry code.
 *
 * <p>Anything else goes to {@link Main} in this JVM, which answers as it always did: another command, help, an
 * option or a form of one this class does not take (clusters, {@code @files}, {@code --}, a repeated
 * single-valued option, a value it cannot convert), {@code --no-agent}, {@code --state-dir}, {@code --bpffs}, or no
 * agent taking a connection on its socket.
 */
public final class AgentShortcut {
    /** The output option, which every command here has. */
    private static final Set<String> OUTPUT = Set.of("-o", "--output");
    /** The trust options of install and upgrade ({@link PackageTrust}). */
    private static final Set<String> TRUST = Set.of("--registry", "--key", "--policy");

    /**
     * What each command takes here: its positional arguments, the options with a value and the flags. A subset of
     * the command's picocli options (AgentShortcutTest holds them to the model); the rest go to {@link Main}.
     */
    record Syntax(int positionals, Set<String> valued, Set<String> flags) {
    }

    /** The commands taken here, by name. */
    static final Map<String, Syntax> COMMANDS = Map.of(
            "list", new Syntax(0, OUTPUT, Set.of()),
            "uninstall", new Syntax(1, OUTPUT, Set.of()),
            "install", new Syntax(1, union(OUTPUT, TRUST, Set.of("--iface", "--netns", "--direction", "--cgroup",
                    "--program", "--name", "--priority", "--proceed-on", "--tc-mode", "--set")),
                    Set.of("--before-foreign", "--allow-downgrade", "--force", "--allow-unsigned")),
            "upgrade", new Syntax(1, union(OUTPUT, TRUST, Set.of("--from")),
                    Set.of("--reset-maps", "--allow-downgrade", "--allow-unsigned")));

    private AgentShortcut() {
    }

    /** Runs {@code bpfstore ARGS}: here when this class takes them and the agent answers, else through {@link Main}. */
    public static void main(String[] args) {
        PrintWriter out = writer(System.out, "sun.stdout.encoding");
        PrintWriter err = writer(System.err, "sun.stderr.encoding");
        OptionalInt status = run(args, System.getenv(), out, err);
        if (status.isEmpty()) {
            Main.main(args);
        } else if (status.getAsInt() != 0) {
            System.exit(status.getAsInt());
        }
        // success returns: Runtime.exit would first look up its logger (java.util.logging's classes, ~10 ms)
    }

    /** The writers picocli would give the command: its encoding (the property, else the default), flushing lines. */
    private static PrintWriter writer(OutputStream stream, String encodingProperty) {
        Charset charset = Charset.defaultCharset();
        String name = System.getProperty(encodingProperty);
        if (name != null && Charset.isSupported(name)) {
            charset = Charset.forName(name);
        }
        return new PrintWriter(new BufferedWriter(new OutputStreamWriter(stream, charset)), true);
    }

    /**
     * Runs {@code args} through the agent {@code env} names and returns the exit status, or nothing (having printed
     * nothing) when {@link Main} must answer instead.
     */
    static OptionalInt run(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
        if (args.length == 0) {
            return OptionalInt.empty();
        }
        Syntax syntax = COMMANDS.get(args[0]);
        Optional<Arguments> parsed = syntax == null ? Optional.empty() : parse(args, syntax);
        Optional<Command> command = parsed.flatMap(a -> switch (args[0]) {
            case "list" -> list(a);
            case "uninstall" -> uninstall(a);
            case "install" -> install(a);
            default -> upgrade(a);
        });
        if (command.isEmpty()) {
            return OptionalInt.empty();
        }
        Optional<AgentClient> agent = connect(env);
        if (agent.isEmpty()) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(command.get().run(agent.get(), out, err));
        } catch (Exception e) {
            return OptionalInt.of(ErrorReporter.failed(e, "bpfstore " + args[0], command.get().output().json(), out, err));
        }
    }

    /**
     * A client of the agent {@code env} names, if its socket takes a connection ({@link AgentClient#connected}: the
     * command's own first request is the only exchange, no ping before it). The first unix-domain connection of a
     * JVM initialises the JDK's support for it (sun.nio.ch.UnixDomainSockets: libnio, and a SecureRandom that brings
     * up the security providers), the largest single cost of this path; it runs on a second thread while this one
     * readies the client's JSON parser and generator, which do not depend on it.
     */
    private static Optional<AgentClient> connect(Map<String, String> env) {
        FutureTask<Optional<AgentClient>> connecting = new FutureTask<>(() -> AgentClient.connected(env));
        Thread thread = new Thread(connecting, "bpfstore-agent-connect");
        thread.setDaemon(true);
        thread.start();
        AgentClient.prepare();
        try {
            return connecting.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /** A command filled from the arguments, ready to run against an agent; {@code output} its -o option. */
    private record Command(OutputOption output, Body body) {
        int run(Installations agent, PrintWriter out, PrintWriter err) {
            return body.run(agent, out, err);
        }
    }

    /** The command's own code, run with the agent's client. */
    private interface Body {
        int run(Installations agent, PrintWriter out, PrintWriter err);
    }

    private static Optional<Command> list(Arguments a) {
        ListCommand c = new ListCommand();
        c.output = new OutputOption();
        return a.output(c.output) ? Optional.of(command(c.output, (agent, out, err) -> c.run(agent, out))) : Optional.empty();
    }

    private static Optional<Command> uninstall(Arguments a) {
        UninstallCommand c = new UninstallCommand();
        c.output = new OutputOption();
        c.name = a.positional.getFirst();
        return a.output(c.output) ? Optional.of(command(c.output, (agent, out, err) -> c.run(agent, out))) : Optional.empty();
    }

    private static Optional<Command> install(Arguments a) {
        InstallCommand c = new InstallCommand();
        c.output = new OutputOption();
        c.trust = new PackageTrust();
        c.name = a.positional.getFirst();
        c.iface = a.value("--iface");
        c.netns = a.value("--netns");
        c.program = a.value("--program");
        c.installationName = a.value("--name");
        c.cgroup = a.path("--cgroup");
        c.beforeForeign = a.flag("--before-foreign");
        c.allowDowngrade = a.flag("--allow-downgrade");
        c.force = a.flag("--force");
        Optional<TrafficDirection> direction = a.constant("--direction", TrafficDirection.class);
        Optional<TcMode> tcMode = a.constant("--tc-mode", TcMode.class);
        String priority = a.value("--priority");
        if (direction == null || tcMode == null || priority != null && !digits(priority)) {
            return Optional.empty();
        }
        c.direction = direction.orElse(null);
        c.tcMode = tcMode.orElse(null);
        c.priority = priority == null ? null : Integer.valueOf(priority);
        List<String> proceedOn = new ArrayList<>();
        for (String v : a.values("--proceed-on")) {
            for (String action : v.split(",", -1)) {
                if (action.isEmpty() || action.contains("\"")) {
                    return Optional.empty();
                }
                proceedOn.add(action);
            }
        }
        c.proceedOn = a.values("--proceed-on").isEmpty() ? null : proceedOn;
        for (String v : a.values("--set")) {
            int eq = v.indexOf('=');
            if (eq <= 0) {
                return Optional.empty();
            }
            c.globals.put(v.substring(0, eq), v.substring(eq + 1));
        }
        return a.trust(c.trust) && a.output(c.output) ? Optional.of(command(c.output, c::run)) : Optional.empty();
    }

    /** One to nine decimal digits (an int picocli would read alike); no regex: its classes would join the cache. */
    private static boolean digits(String s) {
        if (s.isEmpty() || s.length() > 9) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static Optional<Command> upgrade(Arguments a) {
        UpgradeCommand c = new UpgradeCommand();
        c.output = new OutputOption();
        c.trust = new PackageTrust();
        c.name = a.positional.getFirst();
        c.from = a.value("--from");
        c.resetMaps = a.flag("--reset-maps");
        c.allowDowngrade = a.flag("--allow-downgrade");
        return a.trust(c.trust) && a.output(c.output)
                ? Optional.of(command(c.output, (agent, out, err) -> c.run(agent, out))) : Optional.empty();
    }

    private static Command command(OutputOption output, Body body) {
        return new Command(output, body);
    }

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        Set<String> all = new java.util.HashSet<>();
        for (Set<String> s : sets) {
            all.addAll(s);
        }
        return all;
    }

    /**
     * {@code args} after the command name as {@code syntax} has them: its positional arguments, its options with a
     * value (as {@code --opt VALUE} or {@code --opt=VALUE}) and its flags; empty for anything else, which picocli
     * is to judge.
     */
    static Optional<Arguments> parse(String[] args, Syntax syntax) {
        Arguments a = new Arguments();
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (arg.startsWith("@") || arg.equals("--")) {
                return Optional.empty();
            }
            if (!arg.startsWith("-")) {
                a.positional.add(arg);
                continue;
            }
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            if (syntax.flags().contains(name) && eq < 0) {
                if (!a.flags.add(name)) {
                    return Optional.empty();
                }
            } else if (syntax.valued().contains(name)) {
                String value;
                if (eq >= 0) {
                    value = arg.substring(eq + 1);
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    return Optional.empty();
                }
                if (value.startsWith("-") || value.startsWith("@")) {
                    return Optional.empty();
                }
                a.values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            } else {
                return Optional.empty();
            }
        }
        return a.positional.size() == syntax.positionals() && a.single() ? Optional.of(a) : Optional.empty();
    }

    /** Parsed arguments. */
    static final class Arguments {
        /** Options that may be given more than once. */
        static final Set<String> REPEATABLE = Set.of("--key", "--set", "--proceed-on");

        final List<String> positional = new ArrayList<>();
        final Map<String, List<String>> values = new LinkedHashMap<>();
        final Set<String> flags = new java.util.HashSet<>();

        /** Whether each option that takes one value was given at most once (-o and --output are one option). */
        boolean single() {
            if (values.containsKey("-o") && values.containsKey("--output")) {
                return false;
            }
            for (Map.Entry<String, List<String>> e : values.entrySet()) {
                if (e.getValue().size() > 1 && !REPEATABLE.contains(e.getKey())) {
                    return false;
                }
            }
            return true;
        }

        String value(String option) {
            List<String> v = values.get(option);
            return v == null ? null : v.getFirst();
        }

        List<String> values(String option) {
            return values.getOrDefault(option, List.of());
        }

        Path path(String option) {
            String v = value(option);
            return v == null ? null : Path.of(v);
        }

        boolean flag(String option) {
            return flags.contains(option);
        }

        /** The option's enum constant, ignoring case as picocli does here; null when it names none. */
        <E extends Enum<E>> Optional<E> constant(String option, Class<E> type) {
            String v = value(option);
            if (v == null) {
                return Optional.empty();
            }
            for (E e : type.getEnumConstants()) {
                if (e.name().equalsIgnoreCase(v)) {
                    return Optional.of(e);
                }
            }
            return null;
        }

        /** Sets {@code -o}/{@code --output}; false when its value is neither text nor json. */
        boolean output(OutputOption output) {
            String v = Optional.ofNullable(value("-o")).orElse(value("--output"));
            if (v == null) {
                return true;
            }
            Optional<OutputFormat> format = constant(values.containsKey("-o") ? "-o" : "--output", OutputFormat.class);
            if (format == null) {
                return false;
            }
            output.format = format.get();
            return true;
        }

        /** Sets the trust options; always true (they take any text). */
        boolean trust(PackageTrust trust) {
            trust.registry = new RegistryOption();
            trust.registry.url = value("--registry");
            values("--key").forEach(k -> trust.keys.add(Path.of(k)));
            trust.policyFile = path("--policy");
            trust.allowUnsigned = flag("--allow-unsigned");
            return true;
        }
    }
}
