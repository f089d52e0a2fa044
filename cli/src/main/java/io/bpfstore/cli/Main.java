package io.bpfstore.cli;

import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the {@code bpfstore} command. Each subcommand is a thin shell over a library call.
 *
 * <p>picocli builds a command's model by reflection, which costs most of a short command's start-up when every
 * subcommand is modelled; so a run that names a subcommand models only that one (see {@link #commandLine(String...)}).
 */
@Command(name = "bpfstore", mixinStandardHelpOptions = true, version = "bpfstore 0.1.0",
        description = "An eBPF store: inspect, package, publish, verify and install eBPF programs.")
public final class Main implements Runnable {

    /** Every subcommand, in the order the usage message lists them. */
    static final List<Class<?>> SUBCOMMANDS = List.of(
            InspectCommand.class, DisasmCommand.class, BtfCommand.class, PsCommand.class, CheckCommand.class,
            ProbeCommand.class, LoadCommand.class,
            PackageCommand.class, LoginCommand.class, PushCommand.class, PullCommand.class, SearchCommand.class,
            ShowCommand.class, YankCommand.class, ServeCommand.class, PublisherCommand.class,
            KeygenCommand.class, SignCommand.class, VerifyCommand.class, PolicyCommand.class,
            InstallCommand.class, UpgradeCommand.class, UninstallCommand.class, ListCommand.class, StatusCommand.class,
            DataCommand.class, DoctorCommand.class, AgentCommand.class, EventsCommand.class, FollowCommand.class,
            UnfollowCommand.class, ReplayCommand.class,
            CommandLine.HelpCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Runs the CLI and returns its exit code; tests call this instead of {@link #main}. */
    public static int run(String... args) {
        return commandLine(args).execute(args);
    }

    /** The configured command line with every subcommand (errors become one line on stderr; see {@link ErrorReporter}). */
    public static CommandLine commandLine() {
        return configure(SUBCOMMANDS);
    }

    /**
     * The command line for {@code args}: when the first argument names a subcommand (other than {@code help}),
     * only that subcommand is modelled; otherwise all are, so usage and errors list every command.
     */
    public static CommandLine commandLine(String... args) {
        Optional<Class<?>> named = args.length == 0 ? Optional.empty()
                : SUBCOMMANDS.stream()
                        .filter(c -> c != CommandLine.HelpCommand.class && c.getAnnotation(Command.class).name().equals(args[0]))
                        .findFirst();
        return configure(named.<List<Class<?>>>map(List::of).orElse(SUBCOMMANDS));
    }

    private static CommandLine configure(List<Class<?>> subcommands) {
        CommandLine cmd = new CommandLine(new Main());
        subcommands.forEach(cmd::addSubcommand);
        cmd.setExecutionExceptionHandler(new ErrorReporter());
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        return cmd;
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }
}
