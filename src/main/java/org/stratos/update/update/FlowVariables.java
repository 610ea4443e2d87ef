package org.stratos.update.update;

/**
 * Names of the process variables the flows in {@code processes/} use, defined once. The processes carry ids and
 * decisions, not state: members, clusters and progress live in the database and delegates load them by id.
 */
public final class FlowVariables {

    // carried through every flow
    public static final String UPDATE_ID = "updateId";
    public static final String CLUSTER_ID = "clusterId";
    public static final String MEMBER_ID = "memberId";
    public static final String ROLLBACK = "rollback";

    // softwareUpdate
    public static final String APPLICATION_ID = "applicationId";
    public static final String CLUSTER_FLOW = "clusterFlow";
    public static final String CLUSTER_OUTCOME = "clusterOutcome";
    public static final String UPDATE_OUTCOME = "updateOutcome";
    public static final String CLUSTERS_TO_ROLL_BACK = "clustersToRollBack";
    public static final String REJECTION_REASON = "rejectionReason";
    public static final String UPDATE_STATE = "updateState";
    public static final String PREFLIGHT = "preflight";
    public static final String PREFLIGHT_PASSED = "preflightPassed";

    // cluster flows
    public static final String NEXT_STEP = "nextStep";
    public static final String BATCH_MEMBERS = "batchMembers";
    public static final String BATCH_NUMBER = "batchNumber";
    public static final String BUDGET_EXCEEDED = "budgetExceeded";
    public static final String BAKE_TIME = "bakeTime";
    public static final String ROLLBACK_BATCHES = "rollbackBatches";
    public static final String ROLLBACK_BATCH = "rollbackBatch";
    /** set when the approval task is completed: {@link ApprovalDecision} */
    public static final String APPROVAL_DECISION = "approvalDecision";

    // batchUpdate (applyMode is set by the cluster flows' plans)
    public static final String APPLY_MODE = "applyMode";
    public static final String RESEND_INTERVAL = "resendInterval";
    public static final String BATCH_WAIT = "batchWait";
    /** true: the batch is a pre-flight, its agents run the update in no-op mode */
    public static final String NOOP = "noop";

    // memberUpdate
    public static final String SURGE = "surge";
    public static final String HEALTH_TIMEOUT = "healthTimeout";
    public static final String MIN_HEALTHY_TIME = "minHealthyTime";
    public static final String FAILURE_CAUSE = "failureCause";
    public static final String FAILURE_REASON = "failureReason";

    // values
    public static final String APPLY_BY_AGENT = "agent";
    public static final String APPLY_BY_REPLACEMENT = "replace";

    private FlowVariables() {}
}
