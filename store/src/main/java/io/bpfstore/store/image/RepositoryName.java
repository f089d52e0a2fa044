package io.bpfstore.store.image;

import java.util.regex.Pattern;

/**
 * The rules a package's namespace and name obey so that {@code namespace/name} is a valid OCI repository name:
 * lower-case alphanumeric segments joined by single {@code .}, {@code _} or {@code -}.
 */
public final class RepositoryName {
    // The distribution specification's repository-name grammar (path components separated by '/').
    private static final Pattern PATH = Pattern.compile(
            "[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*)*");
    /** Longest repository name a registry accepts (the distribution specification's limit). */
    public static final int MAX_PATH = 255;
    private static final Pattern SEGMENT = Pattern.compile("[a-z0-9]+(?:[._-][a-z0-9]+)*");
    /** Longest namespace or name; two of them and a slash stay far below the 255 characters registries allow. */
    public static final int MAX_SEGMENT = 64;

    private RepositoryName() {
    }

    /** Why {@code segment} cannot be a namespace or name, or null when it can. */
    public static String problem(String segment) {
        if (segment == null || segment.isEmpty()) {
            return "must not be empty";
        }
        if (segment.length() > MAX_SEGMENT) {
            return "longer than " + MAX_SEGMENT + " characters";
        }
        if (!SEGMENT.matcher(segment).matches()) {
            return "\"" + segment + "\" is not a valid OCI repository segment (lower-case letters and digits, "
                    + "separated by single '.', '_' or '-')";
        }
        return null;
    }

    /** Whether {@code segment} is a valid namespace or name. */
    public static boolean isValid(String segment) {
        return problem(segment) == null;
    }

    /**
     * Whether {@code path} is a repository name as the distribution specification allows it (any number of
     * components); a package's repository is the narrower {@code namespace/name} that {@link #of} builds.
     */
    public static boolean isRepository(String path) {
        return path != null && path.length() <= MAX_PATH && PATH.matcher(path).matches();
    }

    /** The repository path of a package in a registry: {@code namespace/name}. */
    public static String of(String namespace, String name) {
        for (String s : new String[] {namespace, name}) {
            String problem = problem(s);
            if (problem != null) {
                throw new InvalidNameException("repository name: " + problem);
            }
        }
        return namespace + "/" + name;
    }
}
