package org.stratos.update.update;

/**
 * Where one cluster of an update stands, as recorded ({@code stratos_update_cluster.state}) and shown by the API:
 * not started, running, or how it ended ({@link ClusterOutcome}).
 */
public enum ClusterProgress {
    /** not started yet */
    PENDING,
    /** its cluster flow runs */
    RUNNING,
    UPDATED,
    UPDATED_WITH_FAILURES,
    ROLLING_BACK,
    ROLLED_BACK,
    ROLLBACK_FAILED,
    FAILED,
    ABORTED;

    /** The update went through the cluster (with or without failures): the next cluster may start. */
    public boolean wentThrough() {
        return this == UPDATED || this == UPDATED_WITH_FAILURES;
    }

    /** The progress that records an outcome. */
    public static ClusterProgress of(ClusterOutcome outcome) {
        return valueOf(outcome.name());
    }

    /** The outcome recorded; a cluster that has not come to one (PENDING, RUNNING) has none to give. */
    public ClusterOutcome outcome() {
        if (this == PENDING || this == RUNNING) {
            throw new IllegalStateException("the cluster has not come to an outcome: it is " + this);
        }
        return ClusterOutcome.valueOf(name());
    }
}
