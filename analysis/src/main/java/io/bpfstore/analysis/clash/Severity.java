package io.bpfstore.analysis.clash;

/** How bad a finding is: an error stops the install, a warning asks the user to look. */
public enum Severity {
    /** The install would fail or break another package or host program. */
    ERROR,
    /** Both would run, but one changes what the other sees or does. */
    WARNING
}
