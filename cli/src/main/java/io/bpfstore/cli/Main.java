package io.bpfstore.cli;

import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Entry point of the {@code bpfstore} command. Each subcommand is a thin shell over a library call: it parses,
 * calls one entry point of a library module, and prints.
 *
 * <p>Adding a command: write a class annotated with {@code @Command(name = ..., description = ...)} and add it to
 * {@link #SUBCOMMANDS}. It gets {@code -h}/{@code --help}, the error contract of {@link ErrorReporter} and shell
 * completion from here.
 *
 * <p>Start-up: picocli builds a command's model by reflection, which loads every class its options name. So a run
 * models only the subcommand it names; {@code --version}, {@code --help}, an unknown command and usage errors at
 * the top see each subcommand only by name and description (read from its annotation), and load no library code.
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
            DoctorCommand.class, CompletionCommand.class);

    @CommandLine.Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Runs the CLI and returns its exit status; tests call this instead of {@link #main}. */
    public static int run(String... args) {
        return commandLine(args).execute(args);
    }

    /** The command line with every subcommand fully modelled (tests; shell completion). */
    public static CommandLine commandLine() {
        CommandLine cmd = top();
        SUBCOMMANDS.forEach(c -> cmd.addSubcommand(modelled(c)));
        return finish(cmd);
    }

    /**
     * The command line for {@code args}: the subcommand the first argument names (or {@code help NAME} names) is
     * the only one modelled; otherwise every subcommand is present by name and description only.
     */
    public static CommandLine commandLine(String... args) {
        CommandLine cmd = top();
        int at = args.length > 1 && args[0].equals("help") ? 1 : 0;
        Optional<Class<?>> named = args.length == 0 ? Optional.empty() : named(args[at]);
        if (named.isPresent()) {
            cmd.addSubcommand(modelled(named.get()));
        } else {
            SUBCOMMANDS.forEach(c -> cmd.addSubcommand(listed(c)));
        }
        return finish(cmd);
    }

    private static Optional<Class<?>> named(String name) {
        return SUBCOMMANDS.stream().filter(c -> c.getAnnotation(Command.class).name().equals(name)).findFirst();
    }

    private static CommandLine top() {
        CommandLine cmd = new CommandLine(new Main());
        cmd.addSubcommand(new CommandLine.HelpCommand());
        return cmd;
    }

    private static CommandLine modelled(Class<?> command) {
        CommandLine cmd = new CommandLine(command);
        withHelpOption(cmd);
        return cmd;
    }

    /** A stand-in that gives the usage message and picocli's suggestions a name and description, and loads nothing. */
    private static CommandLine listed(Class<?> command) {
        Command c = command.getAnnotation(Command.class);
        CommandSpec spec = CommandSpec.create().name(c.name());
        spec.usageMessage().description(c.description());
        return new CommandLine(spec);
    }

    /** Every command and subcommand answers {@code -h} and {@code --help}, whether or not it declares them. */
    private static void withHelpOption(CommandLine cmd) {
        CommandSpec spec = cmd.getCommandSpec();
        if (spec.findOption("--help") == null && spec.findOption("-h") == null) {
            spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
                    .description("Show this help message and exit.").build());
        }
        cmd.getSubcommands().values().forEach(Main::withHelpOption);
    }

    private static CommandLine finish(CommandLine cmd) {
        ErrorReporter reporter = new ErrorReporter();
        cmd.setExecutionExceptionHandler(reporter);
        cmd.setParameterExceptionHandler(reporter);
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        return cmd;
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }
}
