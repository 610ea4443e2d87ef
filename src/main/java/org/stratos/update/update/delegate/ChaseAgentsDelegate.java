package org.stratos.update.update.delegate;

import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;
import org.stratos.update.update.AgentBatchService;
import org.stratos.update.update.FlowVariables;

/**
 * Resend to the agents that have not reported: or go on, when every report is in or the time is up. Sets
 * {@code batchWait} to {@code reported}, {@code timedOut} or {@code waiting}.
 */
@Component
class ChaseAgentsDelegate implements JavaDelegate {

    private final AgentBatchService batches;

    ChaseAgentsDelegate(AgentBatchService batches) {
        this.batches = batches;
    }

    @Override
    public void execute(DelegateExecution execution) {
        List<String> members = Vars.strings(execution, FlowVariables.BATCH_MEMBERS);
        AgentBatchService.Wait wait = FlowFaults.naming(
                execution,
                members,
                () -> batches.chase(Vars.updateId(execution), execution.getProcessInstanceId(), Vars.phase(execution)));
        execution.setVariable(
                FlowVariables.BATCH_WAIT,
                switch (wait) {
                    case REPORTED -> "reported";
                    case TIMED_OUT -> "timedOut";
                    case WAITING -> "waiting";
                });
    }
}
