package io.bpfstore.registry.packages;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A semantic version (semver.org 2.0.0), ordered by precedence; build metadata is kept but does not order.
 *
 * @param major      major
 * @param minor      minor
 * @param patch      patch
 * @param preRelease dot-separated pre-release identifiers (empty for a release)
 * @param text       the version as written
 */
public record SemVer(long major, long minor, long patch, List<String> preRelease, String text)
        implements Comparable<SemVer> {
    private static final String NUM = "(0|[1-9][0-9]{0,17})";
    private static final String ID = "(?:0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*)";
    private static final Pattern FORM = Pattern.compile(NUM + "\\." + NUM + "\\." + NUM
            + "(?:-(" + ID + "(?:\\." + ID + ")*))?(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?");

    /** Copies the list. */
    public SemVer {
        preRelease = List.copyOf(preRelease);
    }

    /** Parses {@code text}; empty if it is not a semantic version. */
    public static Optional<SemVer> parse(String text) {
        if (text == null || text.length() > 128) {
            return Optional.empty();
        }
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        List<String> pre = m.group(4) == null ? List.of() : List.of(m.group(4).split("\\."));
        return Optional.of(new SemVer(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)),
                Long.parseLong(m.group(3)), pre, text));
    }

    @Override
    public int compareTo(SemVer o) {
        int c = Long.compare(major, o.major);
        if (c == 0) c = Long.compare(minor, o.minor);
        if (c == 0) c = Long.compare(patch, o.patch);
        if (c != 0) return c;
        // A release outranks any of its pre-releases.
        if (preRelease.isEmpty() || o.preRelease.isEmpty()) {
            return Boolean.compare(preRelease.isEmpty(), o.preRelease.isEmpty());
        }
        for (int i = 0; i < Math.min(preRelease.size(), o.preRelease.size()); i++) {
            c = compareIdentifier(preRelease.get(i), o.preRelease.get(i));
            if (c != 0) return c;
        }
        return Integer.compare(preRelease.size(), o.preRelease.size());
    }

    private static int compareIdentifier(String a, String b) {
        boolean na = a.chars().allMatch(Character::isDigit);
        boolean nb = b.chars().allMatch(Character::isDigit);
        if (na && nb) {
            return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
        }
        if (na != nb) {
            return na ? -1 : 1; // numeric identifiers have lower precedence
        }
        return a.compareTo(b);
    }

    @Override
    public String toString() {
        return text;
    }
}
