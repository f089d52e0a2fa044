package io.bpfstore.agent.follow;

import io.bpfstore.store.image.SemVer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A version range as follow rules give it, in npm's notation: {@code *}, an exact {@code 1.2.3}, x-ranges
 * {@code 1.x} / {@code 1.2.x}, caret {@code ^1.2.0} (same major, or same minor below 1.0), tilde {@code ~1.2.0}
 * (same minor), and comparators {@code >=1.2.0 <2.0.0} (space = and). Pre-releases match only an exact version.
 *
 * @param text the range as written
 */
public record VersionRange(String text) {
    /** Parses (validates) {@code text}. */
    public VersionRange {
        predicate(text);
    }

    /** Whether {@code version} is in the range. */
    public boolean matches(SemVer version) {
        return predicate(text).test(version);
    }

    private static Predicate<SemVer> predicate(String text) {
        String t = text.strip();
        if (t.isEmpty() || t.equals("*") || t.equalsIgnoreCase("x")) {
            return v -> !v.isPrerelease();
        }
        List<Predicate<SemVer>> all = new ArrayList<>();
        for (String part : t.split("\\s+")) {
            all.add(one(part, text));
        }
        return v -> all.stream().allMatch(p -> p.test(v));
    }

    private static Predicate<SemVer> one(String part, String whole) {
        if (part.matches("\\d+\\.(x|\\*)") || part.matches("\\d+")) {
            int major = Integer.parseInt(part.split("\\.")[0]);
            return v -> !v.isPrerelease() && major(v) == major;
        }
        if (part.matches("\\d+\\.\\d+\\.(x|\\*)") || part.matches("\\d+\\.\\d+")) {
            String[] p = part.split("\\.");
            int major = Integer.parseInt(p[0]);
            int minor = Integer.parseInt(p[1]);
            return v -> !v.isPrerelease() && major(v) == major && minor(v) == minor;
        }
        for (String op : List.of(">=", "<=", ">", "<", "^", "~", "=")) {
            if (part.startsWith(op)) {
                SemVer base = version(part.substring(op.length()), whole);
                return switch (op) {
                    case ">=" -> v -> !v.isPrerelease() && v.compareTo(base) >= 0;
                    case "<=" -> v -> !v.isPrerelease() && v.compareTo(base) <= 0;
                    case ">" -> v -> !v.isPrerelease() && v.compareTo(base) > 0;
                    case "<" -> v -> !v.isPrerelease() && v.compareTo(base) < 0;
                    case "^" -> v -> !v.isPrerelease() && v.compareTo(base) >= 0 && (major(base) > 0
                            ? major(v) == major(base) : major(v) == 0 && minor(v) == minor(base));
                    case "~" -> v -> !v.isPrerelease() && v.compareTo(base) >= 0 && major(v) == major(base)
                            && minor(v) == minor(base);
                    default -> v -> v.compareTo(base) == 0;
                };
            }
        }
        SemVer exact = version(part, whole);
        return v -> v.compareTo(exact) == 0;
    }

    private static long major(SemVer v) {
        return Long.parseLong(v.text().split("[.-]")[0]);
    }

    private static long minor(SemVer v) {
        return Long.parseLong(v.text().split("[.-]")[1]);
    }

    private static SemVer version(String text, String whole) {
        if (!SemVer.isValid(text)) {
            throw new IllegalArgumentException("version range \"" + whole + "\": \"" + text + "\" is not a version "
                    + "(use *, 1.x, 1.2.x, ^1.2.0, ~1.2.0, >=1.2.0 <2.0.0 or 1.2.3)");
        }
        return new SemVer(text);
    }
}
