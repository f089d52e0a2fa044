package io.bpfstore.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code bpfstore} command. Each subcommand is a thin shell over a library call. */
@Command(name = "bpfstore", mixinStandardHelpOptions = true, version = "bpfstore 0.1.0",
        description = "An eBPF store: inspect, package, publish, verify and install eBPF programs.",
        subcommands = {InspectCommand.class, DisasmCommand.class, BtfCommand.class, PsCommand.class, CheckCommand.class,
                ProbeCommand.class, LoadCommand.class,
                PackageCommand.class, LoginCommand.class, PushCommand.class, PullCommand.class, SearchCommand.class,
                ShowCommand.class, YankCommand.class, ServeCommand.class, PublisherCommand.class,
                KeygenCommand.class,
                SignCommand.class,
                VerifyCommand.class,
                InstallCommand.class, UpgradeCommand.class, UninstallCommand.class, ListCommand.class,
                StatusCommand.class, DoctorCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Runs the CLI and returns its exit code; tests call this instead of {@link #main}. */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The configured command line (errors become one line on stderr; see {@link ErrorReporter}). */
    public static CommandLine commandLine() {
        CommandLine cmd = new CommandLine(new Main());
        cmd.setExecutionExceptionHandler(new ErrorReporter());
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        return cmd;
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }
}
