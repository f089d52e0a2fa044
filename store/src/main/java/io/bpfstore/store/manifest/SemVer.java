package io.bpfstore.store.manifest;

import java.util.regex.Pattern;

/**
 * A version in strict Semantic Versioning 2.0.0 form ({@code MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]}, no leading
 * zeros, no "v" prefix). It is also the OCI tag of the package, so {@code +} build metadata is refused: OCI tags
 * cannot hold a {@code +}.
 *
 * @param text the version exactly as written
 */
public record SemVer(String text) {
    // The regular expression semver.org publishes, less the build-metadata part (see above).
    private static final Pattern STRICT = Pattern.compile(
            "(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
                    + "(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?");
    private static final Pattern WITH_BUILD = Pattern.compile(STRICT.pattern() + "\\+[0-9a-zA-Z-]+(\\.[0-9a-zA-Z-]+)*");
    /** Longest accepted version (an OCI tag holds at most 128 characters). */
    public static final int MAX_LENGTH = 128;

    /** Checks the text; throws {@link IllegalArgumentException} saying why it is not strict semver. */
    public SemVer {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("empty version");
        }
        if (text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("version longer than " + MAX_LENGTH + " characters");
        }
        if (!STRICT.matcher(text).matches()) {
            if (WITH_BUILD.matcher(text).matches()) {
                throw new IllegalArgumentException("\"" + text
                        + "\": build metadata (+...) cannot be part of an OCI tag; use a pre-release (-...) instead");
            }
            throw new IllegalArgumentException("\"" + text
                    + "\" is not a semantic version (MAJOR.MINOR.PATCH[-PRERELEASE], no leading zeros)");
        }
    }

    /** Whether {@code text} is a strict semantic version as this type accepts it. */
    public static boolean isValid(String text) {
        return text != null && text.length() <= MAX_LENGTH && STRICT.matcher(text).matches();
    }

    @Override
    public String toString() {
        return text;
    }
}
