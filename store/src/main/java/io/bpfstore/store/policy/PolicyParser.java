package io.bpfstore.store.policy;

import io.bpfstore.analysis.permissions.Permission;
import io.bpfstore.bytecode.sections.ProgramType;
import io.bpfstore.store.signing.KeyException;
import io.bpfstore.store.signing.TrustedKey;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.AnchorNode;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads the host policy YAML into a {@link HostPolicy}. Works on SnakeYAML's node graph (composed, never
 * constructed into objects), so every value keeps its line and column for the error that names it; aliases,
 * unknown keys, duplicate keys and wrong types are refused.
 */
final class PolicyParser {
    /** Largest policy file accepted. */
    static final int MAX_CHARS = 256 * 1024;
    /** Most entries in any list or mapping. */
    static final int MAX_ENTRIES = 256;
    private static final Pattern NAMESPACE = Pattern.compile("\\*|[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*");
    private static final List<String> KEYS = List.of("allow-unsigned", "signers", "deny-permissions",
            "allow-program-types");

    private final String file;
    private final Path baseDir;

    private PolicyParser(String file, Path baseDir) {
        this.file = file;
        this.baseDir = baseDir;
    }

    static HostPolicy parse(String text, String file, Path baseDir) {
        return new PolicyParser(file, baseDir).parse(text);
    }

    private HostPolicy parse(String text) {
        if (text.length() > MAX_CHARS) {
            throw error("", null, "larger than " + MAX_CHARS + " characters");
        }
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(0);
        options.setNestingDepthLimit(8);
        options.setCodePointLimit(MAX_CHARS);
        Node root;
        try {
            root = new Yaml(options).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            throw new PolicyException(file, "", location(e.getProblemMark()), "not valid YAML: " + e.getProblem());
        } catch (YAMLException e) {
            throw error("", null, "not valid YAML: " + e.getMessage());
        }
        if (root == null) {
            return HostPolicy.defaults(); // an empty file: the defaults, said in so many words
        }
        MappingNode map = mapping("", root);
        boolean allowUnsigned = false;
        Map<String, List<TrustedKey>> signers = new LinkedHashMap<>();
        Set<Permission> denied = EnumSet.noneOf(Permission.class);
        Optional<Set<ProgramType>> allowedTypes = Optional.empty();
        for (NodeTuple t : map.getValue()) {
            String key = scalar("", t.getKeyNode());
            Node value = t.getValueNode();
            switch (key) {
                case "allow-unsigned" -> allowUnsigned = bool(key, value);
                case "signers" -> signers = signers(value);
                case "deny-permissions" -> denied = permissions(key, value);
                case "allow-program-types" -> allowedTypes = Optional.of(programTypes(key, value));
                default -> throw error(key, t.getKeyNode(), "unknown key (known: " + String.join(", ", KEYS) + ")");
            }
        }
        return new HostPolicy(Optional.of(file), allowUnsigned, signers, denied, allowedTypes);
    }

    private Map<String, List<TrustedKey>> signers(Node node) {
        MappingNode map = mapping("signers", node);
        Map<String, List<TrustedKey>> out = new LinkedHashMap<>();
        for (NodeTuple t : map.getValue()) {
            String namespace = scalar("signers", t.getKeyNode());
            String field = "signers." + namespace;
            if (!NAMESPACE.matcher(namespace).matches()) {
                throw error(field, t.getKeyNode(), "\"" + namespace + "\" is not a namespace (or \"*\" for all)");
            }
            List<Node> entries = sequence(field, t.getValueNode());
            List<TrustedKey> keys = new ArrayList<>();
            for (int i = 0; i < entries.size(); i++) {
                keys.add(key(field + "[" + i + "]", entries.get(i)));
            }
            out.put(namespace, List.copyOf(keys));
        }
        return out;
    }

    /** A key entry: inline PEM, or the path of a PEM file (relative to the policy's directory). */
    private TrustedKey key(String field, Node node) {
        String value = scalar(field, node);
        try {
            if (value.contains("-----BEGIN")) {
                return TrustedKey.parse(value, file + " " + field);
            }
            Path path = baseDir.resolve(value);
            return TrustedKey.read(path);
        } catch (KeyException e) {
            throw error(field, node, "unusable key: " + e.getMessage());
        } catch (java.nio.file.InvalidPathException e) {
            throw error(field, node, "\"" + value + "\" is neither PEM text nor a path: " + e.getReason());
        }
    }

    private Set<Permission> permissions(String field, Node node) {
        Set<Permission> out = EnumSet.noneOf(Permission.class);
        List<Node> entries = sequence(field, node);
        for (int i = 0; i < entries.size(); i++) {
            Node n = entries.get(i);
            String where = field + "[" + i + "]";
            String name = scalar(where, n);
            out.add(Permission.named(name).orElseThrow(() -> error(where, n, "\"" + name
                    + "\" is not a permission (known: " + String.join(", ", Permission.ids()) + ")")));
        }
        return out;
    }

    private Set<ProgramType> programTypes(String field, Node node) {
        Set<ProgramType> out = EnumSet.noneOf(ProgramType.class);
        List<Node> entries = sequence(field, node);
        for (int i = 0; i < entries.size(); i++) {
            Node n = entries.get(i);
            String name = scalar(field + "[" + i + "]", n);
            String where = field + "[" + i + "]";
            out.add(ProgramType.fromBpftoolName(name).orElseThrow(() -> error(where, n, "\"" + name
                    + "\" is not a program type as bpftool names it (xdp, sched_cls, tracepoint, kprobe, ...)")));
        }
        return out;
    }

    private boolean bool(String field, Node node) {
        String v = scalar(field, node);
        return switch (v) {
            case "yes", "true" -> true;
            case "no", "false" -> false;
            default -> throw error(field, node, "\"" + v + "\" is not yes or no");
        };
    }

    private MappingNode mapping(String field, Node node) {
        refuseAlias(field, node);
        if (!(node instanceof MappingNode m)) {
            throw error(field, node, "expected a mapping of keys");
        }
        if (m.getValue().size() > MAX_ENTRIES) {
            throw error(field, node, m.getValue().size() + " entries, at most " + MAX_ENTRIES);
        }
        // composing does not check duplicates (constructing would): a second value must not silently win
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (NodeTuple t : m.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && !seen.add(k.getValue())) {
                String where = field.isEmpty() ? k.getValue() : field + "." + k.getValue();
                throw error(where, k, "duplicate key");
            }
        }
        return m;
    }

    private List<Node> sequence(String field, Node node) {
        refuseAlias(field, node);
        if (!(node instanceof SequenceNode s)) {
            throw error(field, node, "expected a list");
        }
        if (s.getValue().size() > MAX_ENTRIES) {
            throw error(field, node, s.getValue().size() + " entries, at most " + MAX_ENTRIES);
        }
        return s.getValue();
    }

    private String scalar(String field, Node node) {
        refuseAlias(field, node);
        if (!(node instanceof ScalarNode s)) {
            throw error(field, node, "expected a single value");
        }
        if (s.getValue().isBlank()) {
            throw error(field, node, "empty");
        }
        return s.getValue();
    }

    private void refuseAlias(String field, Node node) {
        if (node instanceof AnchorNode) {
            throw error(field, node, "YAML aliases are not allowed in a policy");
        }
    }

    private PolicyException error(String field, Node node, String problem) {
        return new PolicyException(file, field, node == null ? Optional.empty() : location(node.getStartMark()),
                problem);
    }

    private static Optional<PolicyException.Location> location(Mark m) {
        return m == null ? Optional.empty() : Optional.of(new PolicyException.Location(m.getLine() + 1,
                m.getColumn() + 1));
    }
}
