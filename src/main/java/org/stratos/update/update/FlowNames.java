package org.stratos.update.update;

/** Process keys, message names and error codes of the flows in {@code processes/}: the contract with the BPMN. */
public final class FlowNames {

    public static final String SOFTWARE_UPDATE = "softwareUpdate";
    public static final String PHASED_CLUSTER_UPDATE = "phasedClusterUpdate";
    public static final String ALL_AT_ONCE_CLUSTER_UPDATE = "allAtOnceClusterUpdate";
    public static final String BATCH_UPDATE = "batchUpdate";
    public static final String MEMBER_UPDATE = "memberUpdate";
    public static final String CLUSTER_ROLLBACK = "clusterRollback";

    public static final String MESSAGE_AGENTS_REPORTED = "batchUpdate.agentsReported";
    public static final String MESSAGE_REPLACEMENT_READY = "memberUpdate.replacementReady";
    public static final String MESSAGE_REPLACEMENT_FAILED = "memberUpdate.replacementFailed";
    public static final String MESSAGE_UPDATE_RESUMED = "softwareUpdate.resumed";
    public static final String MESSAGE_UPDATE_ABORTED = "softwareUpdate.aborted";

    public static final String ERROR_UPDATE_REJECTED = "updateRejected";
    public static final String ERROR_MEMBER_UNHEALTHY = "memberUnhealthy";

    public static final String APPROVAL_TASK = "userTask_approveNextBatch";

    /** Business key of a member's flow: {@code <updateId>/<memberId>}, with {@code /rollback} for its rollback. */
    public static String memberBusinessKey(String updateId, String memberId, boolean rollback) {
        return updateId + "/" + memberId + (rollback ? "/rollback" : "");
    }

    private FlowNames() {}
}
