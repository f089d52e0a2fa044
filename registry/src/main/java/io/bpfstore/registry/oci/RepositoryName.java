package io.bpfstore.registry.oci;

import java.util.regex.Pattern;

/** Repository names as the distribution spec defines them (lowercase path components), at most 255 chars. */
public final class RepositoryName {
    private static final Pattern NAME = Pattern.compile(
            "[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*)*");
    private static final int MAX_LENGTH = 255;

    private RepositoryName() {
    }

    /** True if {@code name} is a valid repository name. */
    public static boolean isValid(String name) {
        return name != null && name.length() <= MAX_LENGTH && NAME.matcher(name).matches();
    }

    /** Returns {@code name} or throws NAME_INVALID. */
    public static String require(String name) throws OciException {
        if (!isValid(name)) {
            throw new OciException(OciError.NAME_INVALID, "invalid repository name",
                    "repository names are lowercase [a-z0-9] components separated by '/', '.', '_', '__' or '-'");
        }
        return name;
    }
}
