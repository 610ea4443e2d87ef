package org.stratos.update.update;

/** Where a member's pre-flight (a no-op run of the update before any member changes) stands. */
public enum PreflightResult {
    /** the agent is running the update in no-op mode */
    CHECKING,
    /** the no-op run succeeded: the update would apply */
    PASSED,
    /** the no-op run failed, or the agent could not run it or did not answer: the update stops before batch 1 */
    FAILED
}
