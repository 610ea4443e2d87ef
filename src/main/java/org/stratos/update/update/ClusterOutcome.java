package org.stratos.update.update;

/**
 * How one cluster's update ended or is to end: the {@code clusterOutcome} the cluster flows return and their gateways
 * compare by name. Recorded as the cluster's {@link ClusterProgress}, which also has the states before an outcome.
 */
public enum ClusterOutcome {
    /** every member the update targeted is Active on the target version */
    UPDATED,
    /** the update went through the whole cluster, but some members failed (within maxFailures) or were not applied */
    UPDATED_WITH_FAILURES,
    /** the members the update changed are to be rolled back */
    ROLLING_BACK,
    /** every member the update changed is back on the previous version */
    ROLLED_BACK,
    /** some changed members could not be brought back (named in the message) */
    ROLLBACK_FAILED,
    /** the failure budget was spent or the healthy floor would have been broken, and no rollback was asked for */
    FAILED,
    /** an operator aborted: no new batch started */
    ABORTED;

    /** The value of the {@code clusterOutcome} process variable. */
    public String variableValue() {
        return name();
    }
}
