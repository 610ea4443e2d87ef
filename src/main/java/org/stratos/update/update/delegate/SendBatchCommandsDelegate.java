package org.stratos.update.update.delegate;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;
import org.stratos.update.update.AgentBatchService;
import org.stratos.update.update.FlowVariables;

/** Send the update commands to the batch's agents; they leave the broker when this step commits. */
@Component
class SendBatchCommandsDelegate implements JavaDelegate {

    private final AgentBatchService batches;

    SendBatchCommandsDelegate(AgentBatchService batches) {
        this.batches = batches;
    }

    @Override
    public void execute(DelegateExecution execution) {
        FlowFaults.naming(
                execution,
                Vars.strings(execution, FlowVariables.BATCH_MEMBERS),
                () -> batches.sendCommands(
                        Vars.updateId(execution), execution.getProcessInstanceId(), Vars.phase(execution)));
    }
}
