package io.bpfstore.store.image;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Semantic Versioning 2.0.0 version ({@code MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]}, no leading zeros, no "v"
 * prefix), ordered by the specification's precedence: the numeric core, then a pre-release sorts before its
 * release, identifiers compared in turn (numeric ones numerically and below alphanumeric ones); build metadata is
 * kept but never orders, so {@link #compareTo} can be 0 for versions whose {@link #text} differs.
 *
 * <p>A package version is also the OCI tag it is pushed under, and a tag cannot hold {@code +}: client and
 * registry both take package versions through {@link #packageVersion} / {@link #isPackageVersion}, which refuse
 * build metadata with a message that says so.
 *
 * @param text the version exactly as written
 */
public record SemVer(String text) implements Comparable<SemVer> {
    private static final String NUMBER = "(0|[1-9]\\d*)";
    private static final String IDENTIFIER = "(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)";
    // The grammar semver.org publishes, written with the record's group numbers: 1-3 core, 4 pre-release, 5 build.
    private static final Pattern FORM = Pattern.compile(NUMBER + "\\." + NUMBER + "\\." + NUMBER
            + "(?:-(" + IDENTIFIER + "(?:\\." + IDENTIFIER + ")*))?(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?");
    /** Longest accepted version (an OCI tag holds at most 128 characters). */
    public static final int MAX_LENGTH = 128;

    /** Checks the text; throws {@link InvalidNameException} saying why it is not a semantic version. */
    public SemVer {
        if (text == null || text.isEmpty()) {
            throw new InvalidNameException("empty version");
        }
        if (text.length() > MAX_LENGTH) {
            throw new InvalidNameException("version longer than " + MAX_LENGTH + " characters");
        }
        if (!FORM.matcher(text).matches()) {
            throw new InvalidNameException("\"" + text
                    + "\" is not a semantic version (MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD], no leading zeros)");
        }
    }

    /** Whether {@code text} is a semantic version. */
    public static boolean isValid(String text) {
        return text != null && !text.isEmpty() && text.length() <= MAX_LENGTH && FORM.matcher(text).matches();
    }

    /** A package version: a semantic version without build metadata (it is an OCI tag); says why not. */
    public static SemVer packageVersion(String text) {
        SemVer v = new SemVer(text);
        if (v.buildMetadata().length() > 0) {
            throw new InvalidNameException("\"" + text
                    + "\": build metadata (+...) cannot be part of an OCI tag; use a pre-release (-...) instead");
        }
        return v;
    }

    /** Whether {@code text} is a package version as {@link #packageVersion} accepts it. */
    public static boolean isPackageVersion(String text) {
        return isValid(text) && text.indexOf('+') < 0;
    }

    /** Whether this is a pre-release ({@code 1.0.0-rc.1}). */
    public boolean isPrerelease() {
        return !prerelease().isEmpty();
    }

    /** The pre-release identifiers as written ({@code rc.1}), empty for a release. */
    public String prerelease() {
        return group(4);
    }

    /** The build metadata as written, empty when there is none. */
    public String buildMetadata() {
        return group(5);
    }

    /** Precedence as SemVer 2.0.0 section 11 defines it; build metadata is ignored. */
    @Override
    public int compareTo(SemVer other) {
        Matcher a = matcher();
        Matcher b = other.matcher();
        for (int g = 1; g <= 3; g++) {
            int c = compareNumeric(a.group(g), b.group(g));
            if (c != 0) {
                return c;
            }
        }
        String pa = a.group(4);
        String pb = b.group(4);
        if (pa == null || pb == null) {
            return pa == null ? (pb == null ? 0 : 1) : -1; // a release outranks its pre-releases
        }
        String[] ia = pa.split("\\.");
        String[] ib = pb.split("\\.");
        for (int i = 0; i < Math.min(ia.length, ib.length); i++) {
            boolean na = ia[i].chars().allMatch(Character::isDigit);
            boolean nb = ib[i].chars().allMatch(Character::isDigit);
            int c = na && nb ? compareNumeric(ia[i], ib[i]) : na ? -1 : nb ? 1 : ia[i].compareTo(ib[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(ia.length, ib.length);
    }

    private Matcher matcher() {
        Matcher m = FORM.matcher(text);
        m.matches(); // the constructor checked the form
        return m;
    }

    private String group(int g) {
        String s = matcher().group(g);
        return s == null ? "" : s;
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
