package org.stratos.update.update.delegate;

import java.beans.Introspector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.stratos.update.update.AgentBatchService;
import org.stratos.update.update.MemberUpdateService;
import org.stratos.update.update.RolloutService;
import org.stratos.update.update.UpdateService;

/**
 * The real delegates and listeners, wired to the services a test hands in (mocks, in the flow tests), under the names
 * Spring gives them: the names the BPMN's {@code ${...}} expressions use. Lives in the delegates' package because they
 * are package-private.
 */
public final class FlowDelegates {

    private FlowDelegates() {}

    /** Every delegate and listener of the flows in {@code processes/}, and the lists helper, by bean name. */
    public static Map<String, Object> wiredTo(
            RolloutService rollout, AgentBatchService batches, MemberUpdateService members, UpdateService updates) {
        List<Object> all = List.of(
                new PrepareUpdateDelegate(updates),
                new TakeNextClusterDelegate(rollout),
                new FinishUpdateDelegate(updates),
                new PlanClusterUpdateDelegate(rollout),
                new DecideNextStepDelegate(rollout),
                new AssessBatchDelegate(rollout),
                new RecordApprovalDelegate(rollout),
                new RecordStopDelegate(updates),
                new CheckApprovalDecisionListener(),
                new ConcludeClusterDelegate(rollout),
                new RecordClusterRollbackDelegate(rollout),
                new AnnouncePatchingDelegate(rollout),
                new BringClusterBackDelegate(rollout),
                new PlanRollbackDelegate(rollout),
                new SelectRollbackMembersDelegate(rollout),
                new MarkBatchUpdatingDelegate(batches),
                new SendBatchCommandsDelegate(batches),
                new ChaseAgentsDelegate(batches),
                new CompleteAgentBatchDelegate(batches),
                new PlanPreflightDelegate(rollout),
                new AssessPreflightDelegate(rollout),
                new MarkMemberUpdatingDelegate(members),
                new RetireOldMemberDelegate(members),
                new StartReplacementDelegate(members),
                new VerifyReplacementHealthDelegate(members),
                new MarkMemberUpdatedDelegate(members),
                new MarkMemberFailedDelegate(members),
                new UpdateEndedListener(updates),
                new FlowLists());
        Map<String, Object> byName = new LinkedHashMap<>();
        all.forEach(d -> byName.put(Introspector.decapitalize(d.getClass().getSimpleName()), d));
        return byName;
    }
}
