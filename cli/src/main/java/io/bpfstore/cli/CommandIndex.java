package io.bpfstore.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

/**
 * The name and one-line description of every subcommand, in {@link Main#SUBCOMMANDS} order, written by the build
 * into the jar ({@value #RESOURCE}) so that start-up reads no annotation: reading one makes the JVM generate a
 * proxy class, which costs {@code --version} and {@code --help} more than the rest of their work. Without the
 * resource (a run from an IDE), the annotations are read instead.
 *
 * @param name        the subcommand's name
 * @param description the first line of its description
 */
record CommandIndex(String name, String description) {
    /** The resource beside this class. */
    static final String RESOURCE = "commands.tsv";

    /** The index of {@link Main#SUBCOMMANDS}: from the resource when the build wrote one, else from annotations. */
    static List<CommandIndex> load() {
        try (InputStream in = CommandIndex.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return fromAnnotations();
            }
            List<CommandIndex> index = new ArrayList<>();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                int tab = line.indexOf('\t');
                index.add(new CommandIndex(line.substring(0, tab), line.substring(tab + 1)));
            }
            return index.size() == Main.SUBCOMMANDS.size() ? index : fromAnnotations();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The index read from each subcommand's {@code @Command} annotation. */
    static List<CommandIndex> fromAnnotations() {
        return Main.SUBCOMMANDS.stream().map(c -> c.getAnnotation(Command.class))
                .map(c -> new CommandIndex(c.name(), c.description().length == 0 ? "" : c.description()[0])).toList();
    }

    /** Writes the resource: {@code CommandIndex DIR} (the build runs this after compiling). */
    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]).resolve(CommandIndex.class.getPackageName().replace('.', '/')).resolve(RESOURCE);
        List<String> lines = fromAnnotations().stream().map(c -> c.name() + "\t" + c.description().replace('\n', ' '))
                .toList();
        Files.write(file, lines, StandardCharsets.UTF_8);
    }
}
