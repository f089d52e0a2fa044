package io.bpfstore.cli;

import java.util.List;
import picocli.CommandLine;
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
 * <p>Start-up: picocli builds a command's model by reflection, which loads every class its options name, and each
 * annotation type it reads makes the JVM generate a proxy class. So a run models only the subcommand it names;
 * {@code --help}, an unknown command and usage errors at the top see each subcommand only by name and description
 * ({@link CommandIndex}, written into the jar by the build), and {@code --version} sees none: they read no
 * annotation and load no library code.
 */
public final class Main implements Runnable {
    /** What {@code bpfstore --version} prints. */
    static final String VERSION = "bpfstore 0.1.0";
    private static final String DESCRIPTION =
            "An eBPF store: inspect, package, publish, verify and install eBPF programs.";

    /** Every subcommand, in the order the usage message lists them. */
    static final List<Class<?>> SUBCOMMANDS = List.of(
            InspectCommand.class, DisasmCommand.class, BtfCommand.class, PsCommand.class, CheckCommand.class,
            ProbeCommand.class, LoadCommand.class,
            PackageCommand.class, LoginCommand.class, PushCommand.class, PullCommand.class, SearchCommand.class,
            ShowCommand.class, YankCommand.class, ServeCommand.class, PublisherCommand.class, RegistryCommand.class,
            KeygenCommand.class, SignCommand.class, VerifyCommand.class, PolicyCommand.class,
            InstallCommand.class, UpgradeCommand.class, UninstallCommand.class, ListCommand.class, StatusCommand.class,
            DataCommand.class, DoctorCommand.class, AgentCommand.class, EventsCommand.class, FollowCommand.class,
            UnfollowCommand.class, ReplayCommand.class, CompletionCommand.class);

    private CommandLine commandLine;

    /** {@code bpfstore} alone prints the usage message. */
    @Override
    public void run() {
        commandLine.usage(commandLine.getOut());
    }

    /** Runs the CLI and returns its exit status; tests call this instead of {@link #main}. */
    public static int run(String... args) {
        return commandLine(args).execute(args);
    }

    /** The command line with every subcommand fully modelled (tests; shell completion). */
    public static CommandLine commandLine() {
        CommandLine cmd = top();
        cmd.addSubcommand(new CommandLine.HelpCommand());
        SUBCOMMANDS.forEach(c -> cmd.addSubcommand(modelled(c)));
        return finish(cmd);
    }

    /**
     * The command line for {@code args}: the subcommand the first argument names (or {@code help NAME} names) is
     * the only one modelled; otherwise every subcommand is present by name and description only.
     */
    public static CommandLine commandLine(String... args) {
        CommandLine cmd = top();
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            return finish(cmd);  // the version needs no subcommand, not even its name
        }
        List<CommandIndex> index = CommandIndex.load();
        int at = args.length > 1 && args[0].equals("help") ? 1 : 0;
        for (int i = 0; i < index.size() && args.length > 0; i++) {
            if (index.get(i).name().equals(args[at])) {
                cmd.addSubcommand(new CommandLine.HelpCommand());
                cmd.addSubcommand(modelled(SUBCOMMANDS.get(i)));
                return finish(cmd);
            }
        }
        if (args.length > 0 && args[0].equals("help")) {
            cmd.addSubcommand(new CommandLine.HelpCommand());
        } else {
            // picocli's HelpCommand is modelled from annotations: listed by name only where it does not run
            cmd.addSubcommand(listed(new CommandIndex("help", "Display help information about the specified command.")));
        }
        index.forEach(c -> cmd.addSubcommand(listed(c)));
        return finish(cmd);
    }

    /** The top-level command, built without reading annotations (see the class comment). */
    private static CommandLine top() {
        Main main = new Main();
        CommandSpec spec = CommandSpec.wrapWithoutInspection(main).name("bpfstore").version(VERSION);
        spec.usageMessage().description(DESCRIPTION);
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
                .description("Show this help message and exit.").build());
        spec.addOption(OptionSpec.builder("-V", "--version").versionHelp(true)
                .description("Print version information and exit.").build());
        main.commandLine = new CommandLine(spec);
        return main.commandLine;
    }

    private static CommandLine modelled(Class<?> command) {
        CommandLine cmd = new CommandLine(command);
        withHelpOption(cmd);
        return cmd;
    }

    /** A stand-in that gives the usage message and picocli's suggestions a name and description, and loads nothing. */
    private static CommandLine listed(CommandIndex command) {
        CommandSpec spec = CommandSpec.create().name(command.name());
        spec.usageMessage().description(command.description());
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
