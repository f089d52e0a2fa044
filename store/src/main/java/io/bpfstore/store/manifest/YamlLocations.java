package io.bpfstore.store.manifest;

import java.io.StringReader;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Line and column of a key or value in a manifest's text, by a path of mapping keys: Jackson forgets positions once
 * it has bound the document, and a problem found while validating (a program type, a program the object lacks) is
 * reported where it is written. Reads SnakeYAML's node tree, with the parser's limits and no aliases (the parser
 * refused them before).
 */
final class YamlLocations {
    private YamlLocations() {
    }

    /** Where the last key of {@code path} is written, if the text has it. */
    static Optional<ManifestException.Location> key(String text, String... path) {
        return find(text, path, true);
    }

    /** Where the value of the last key of {@code path} starts, if the text has it. */
    static Optional<ManifestException.Location> value(String text, String... path) {
        return find(text, path, false);
    }

    private static Optional<ManifestException.Location> find(String text, String[] path, boolean key) {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(ManifestParser.MAX_BYTES);
        options.setNestingDepthLimit(16);
        options.setMaxAliasesForCollections(16);
        Node node;
        try {
            node = new Yaml(options).compose(new StringReader(text));
        } catch (RuntimeException e) {
            return Optional.empty(); // the document parsed before; no position rather than a second error
        }
        for (int i = 0; i < path.length; i++) {
            if (!(node instanceof MappingNode mapping)) {
                return Optional.empty();
            }
            NodeTuple found = null;
            for (NodeTuple t : mapping.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode s && s.getValue().equals(path[i])) {
                    found = t;
                }
            }
            if (found == null) {
                return Optional.empty();
            }
            if (i == path.length - 1) {
                return Optional.of(at((key ? found.getKeyNode() : found.getValueNode()).getStartMark()));
            }
            node = found.getValueNode();
        }
        return Optional.empty();
    }

    private static ManifestException.Location at(Mark m) {
        return new ManifestException.Location(m.getLine() + 1, m.getColumn() + 1);
    }
}
