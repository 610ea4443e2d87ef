package org.stratos.update.update;

/** How one cluster of an update stands or ended (also the {@code clusterOutcome} the cluster flows return). */
public enum ClusterOutcome {
    PENDING, RUNNING, UPDATED, ROLLING_BACK, ROLLED_BACK, FAILED, ABORTED
}
