package org.stratos.update.update;

/** How one cluster of an update stands or ended (also the {@code clusterOutcome} the cluster flows return). */
public enum ClusterOutcome {
    PENDING, RUNNING,
    /** every member the update targeted is Active on the target version */
    UPDATED,
    /** the update went through the whole cluster, but some members failed (within maxFailures) or were not applied */
    UPDATED_WITH_FAILURES,
    ROLLING_BACK,
    /** every member the update changed is back on the previous version */
    ROLLED_BACK,
    /** some changed members could not be brought back (named in the message) */
    ROLLBACK_FAILED,
    FAILED, ABORTED;

    /** The update went through the cluster (with or without failures): the next cluster may start. */
    public boolean wentThrough() {
        return this == UPDATED || this == UPDATED_WITH_FAILURES;
    }
}
