package io.bpfstore.agent.event;

/** The kinds of {@link AgentEvent}; their lower-case names are the {@code kind} label of {@code bpfstore_events_total}. */
public enum EventKind {
    /** An installation was made, upgraded or removed through the agent. */
    INSTALLED, UPGRADED, UNINSTALLED,
    /** Restore after a start: an installation re-created, or kept out with the reason. */
    RESTORED, RESTORE_REFUSED,
    /** A program of another tool now sits at one of an installation's hooks (in front of it, or replacing it). */
    FOREIGN_PROGRAM,
    /** An installation's link was detached, its pins removed, or its interface, namespace or cgroup is gone. */
    LINK_DETACHED, PINS_REMOVED, TARGET_GONE,
    /** Follow: a newer version was installed, refused by a gate (with the reason), or rolled back after failing. */
    FOLLOW_UPGRADED, FOLLOW_REFUSED, FOLLOW_ROLLED_BACK, FOLLOW_ERROR;

    /** The metric label and JSON name: lower case. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
