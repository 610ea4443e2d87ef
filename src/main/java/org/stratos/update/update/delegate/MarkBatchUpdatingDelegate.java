package org.stratos.update.update.delegate;

import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;
import org.stratos.update.update.AgentBatchService;
import org.stratos.update.update.FlowVariables;

/** Mark the batch's members Updating: one step for the whole batch; sets how long the flow waits before it looks again. */
@Component
class MarkBatchUpdatingDelegate implements JavaDelegate {

    private final AgentBatchService batches;

    MarkBatchUpdatingDelegate(AgentBatchService batches) {
        this.batches = batches;
    }

    @Override
    public void execute(DelegateExecution execution) {
        List<String> members = Vars.strings(execution, FlowVariables.BATCH_MEMBERS);
        execution.setVariable(
                FlowVariables.RESEND_INTERVAL,
                FlowFaults.naming(
                                execution,
                                members,
                                () -> batches.markUpdating(
                                        Vars.updateId(execution),
                                        execution.getProcessInstanceId(),
                                        members,
                                        Vars.phase(execution)))
                        .toString());
    }
}
