package io.bpfstore.store.manifest;

import java.util.regex.Pattern;

/**
 * A version in strict Semantic Versioning 2.0.0 form ({@code MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]}, no leading
 * zeros, no "v" prefix). It is also the OCI tag of the package, so {@code +} build metadata is refused: OCI tags
 * cannot hold a {@code +}.
 *
 * @param text the version exactly as written
 */
public record SemVer(String text) implements Comparable<SemVer> {
    // The regular expression semver.org publishes, less the build-metadata part (see above).
    private static final Pattern STRICT = Pattern.compile(
            "(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
                    + "(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?");
    private static final Pattern WITH_BUILD = Pattern.compile(STRICT.pattern() + "\\+[0-9a-zA-Z-]+(\\.[0-9a-zA-Z-]+)*");
    /** Longest accepted version (an OCI tag holds at most 128 characters). */
    public static final int MAX_LENGTH = 128;

    /** Checks the text; throws {@link InvalidNameException} saying why it is not strict semver. */
    public SemVer {
        if (text == null || text.isEmpty()) {
            throw new InvalidNameException("empty version");
        }
        if (text.length() > MAX_LENGTH) {
            throw new InvalidNameException("version longer than " + MAX_LENGTH + " characters");
        }
        if (!STRICT.matcher(text).matches()) {
            if (WITH_BUILD.matcher(text).matches()) {
                throw new InvalidNameException("\"" + text
                        + "\": build metadata (+...) cannot be part of an OCI tag; use a pre-release (-...) instead");
            }
            throw new InvalidNameException("\"" + text
                    + "\" is not a semantic version (MAJOR.MINOR.PATCH[-PRERELEASE], no leading zeros)");
        }
    }

    /** Whether {@code text} is a strict semantic version as this type accepts it. */
    public static boolean isValid(String text) {
        return text != null && text.length() <= MAX_LENGTH && STRICT.matcher(text).matches();
    }

    /** Semver precedence: numeric core, then a pre-release sorts before its release, identifiers compared in turn. */
    @Override
    public int compareTo(SemVer other) {
        String[] a = text.split("-", 2);
        String[] b = other.text.split("-", 2);
        String[] ca = a[0].split("\\.");
        String[] cb = b[0].split("\\.");
        for (int i = 0; i < 3; i++) {
            int c = compareNumeric(ca[i], cb[i]);
            if (c != 0) {
                return c;
            }
        }
        if (a.length == 1 || b.length == 1) {
            return Integer.compare(b.length, a.length); // no pre-release > pre-release
        }
        String[] pa = a[1].split("\\.");
        String[] pb = b[1].split("\\.");
        for (int i = 0; i < Math.min(pa.length, pb.length); i++) {
            boolean na = pa[i].chars().allMatch(Character::isDigit);
            boolean nb = pb[i].chars().allMatch(Character::isDigit);
            int c = na && nb ? compareNumeric(pa[i], pb[i]) : na ? -1 : nb ? 1 : pa[i].compareTo(pb[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(pa.length, pb.length);
    }

    /** Whether this is a pre-release ({@code 1.0.0-rc.1}). */
    public boolean isPrerelease() {
        return text.contains("-");
    }

    private static int compareNumeric(String x, String y) {
        // No leading zeros, so a longer digit string is a larger number (and may exceed long).
        return x.length() != y.length() ? Integer.compare(x.length(), y.length()) : x.compareTo(y);
    }

    @Override
    public String toString() {
        return text;
    }
}
