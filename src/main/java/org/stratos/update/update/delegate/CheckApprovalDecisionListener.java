package org.stratos.update.update.delegate;

import java.util.Arrays;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.springframework.stereotype.Component;
import org.stratos.update.common.InvalidInputException;
import org.stratos.update.update.ApprovalDecision;
import org.stratos.update.update.FlowVariables;

/**
 * The approval task asks afresh at every gate: when it is created, an earlier gate's decision is forgotten; it cannot
 * be completed without a decision (completing it used to mean "approve", and a client that completes it without
 * saying what it wants must not let a batch start). The refusal is bad input naming the variable: the engine rolls
 * the completion back (the task stays open) and {@code /engine-rest} answers 400 (see
 * {@code problem.EngineRestInputMapper}).
 */
@Component
class CheckApprovalDecisionListener implements TaskListener {

    @Override
    public void notify(DelegateTask task) {
        if (TaskListener.EVENTNAME_CREATE.equals(task.getEventName())) {
            task.getExecution().removeVariable(FlowVariables.APPROVAL_DECISION);
            return;
        }
        Object decision = task.getVariable(FlowVariables.APPROVAL_DECISION);
        if (ApprovalDecision.of(decision).isEmpty()) {
            throw new InvalidInputException(
                    FlowVariables.APPROVAL_DECISION,
                    "must be one of "
                            + Arrays.stream(ApprovalDecision.values())
                                    .map(ApprovalDecision::id)
                                    .toList()
                            + (decision == null ? " (it is not set)" : ", not '" + decision + "'"));
        }
    }
}
