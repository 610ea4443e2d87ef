package org.stratos.update.update.delegate;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;
import org.stratos.update.update.AgentBatchService;
import org.stratos.update.update.FlowVariables;

/**
 * Record each member's outcome: updated members Active on the target version, failed ones (or silent ones) out of
 * service. The cluster flow counts the failures next.
 */
@Component
class CompleteAgentBatchDelegate implements JavaDelegate {

    private final AgentBatchService batches;

    CompleteAgentBatchDelegate(AgentBatchService batches) {
        this.batches = batches;
    }

    @Override
    public void execute(DelegateExecution execution) {
        FlowFaults.naming(
                execution,
                Vars.strings(execution, FlowVariables.BATCH_MEMBERS),
                () -> batches.complete(
                        Vars.updateId(execution), execution.getProcessInstanceId(), Vars.phase(execution)));
    }
}
