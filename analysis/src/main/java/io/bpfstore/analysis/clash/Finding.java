package io.bpfstore.analysis.clash;

import java.util.List;

/**
 * One clash, explained.
 *
 * @param findingClass what kind of clash
 * @param severity     error (stops the install) or warning
 * @param subjects     the objects involved, the checked package's first
 * @param message      the reasoning in plain words
 * @param fix          what the user can do about it
 */
public record Finding(FindingClass findingClass, Severity severity, List<Subject> subjects, String message,
                      String fix) {
    /** Copies. */
    public Finding {
        subjects = List.copyOf(subjects);
    }

    /** The subjects of one kind. */
    public <T extends Subject> List<T> subjects(Class<T> kind) {
        return subjects.stream().filter(kind::isInstance).map(kind::cast).toList();
    }
}
