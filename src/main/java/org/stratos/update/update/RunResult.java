package org.stratos.update.update;

import java.util.Set;

/**
 * What one run on a member came to, as the member's record keeps it: the agent's exit code, the kind of failure (the
 * agent's, see {@code InstanceUpdateFailedEvent}, or the manager's own: {@link #NO_REPORT}, {@link #UNREACHABLE},
 * {@link #WRONG_VERSION}), a message (the reason, or the run's progress), the end of the output, Puppet's counts of
 * changed and failed resources, and a report that came after the manager stopped waiting ({@code lateReport}).
 */
public record RunResult(
        Integer exitCode,
        String failure,
        String message,
        String outputTail,
        Integer resourcesChanged,
        Integer resourcesFailed,
        String lateReport) {

    /** The agent acknowledged the command but sent no report before the deadline. */
    public static final String NO_REPORT = "NO_REPORT";
    /** The agent did not acknowledge the command within the acknowledgement window, resends included. */
    public static final String UNREACHABLE = "UNREACHABLE";
    /** The agent reported another version than the command named. */
    public static final String WRONG_VERSION = "WRONG_VERSION";

    /** Failures the manager decided without an agent's report: a report for the run may still come, late. */
    static final Set<String> GIVEN_UP = Set.of(NO_REPORT, UNREACHABLE);

    boolean givenUp() {
        return failure != null && GIVEN_UP.contains(failure);
    }
}
