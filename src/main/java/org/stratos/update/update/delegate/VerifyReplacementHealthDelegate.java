package org.stratos.update.update.delegate;

import java.util.List;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;
import org.stratos.update.update.MemberFailure;
import org.stratos.update.update.MemberUpdateService;

/** Verify the replacement stayed ready: if not, the BPMN error {@code memberUnhealthy}. */
@Component
class VerifyReplacementHealthDelegate implements JavaDelegate {

    private final MemberUpdateService members;

    VerifyReplacementHealthDelegate(MemberUpdateService members) {
        this.members = members;
    }

    @Override
    public void execute(DelegateExecution execution) {
        FlowFaults.naming(execution, List.of(Vars.memberId(execution)), () -> {
            try {
                members.verifyReplacement(Vars.updateId(execution), Vars.memberId(execution), Vars.rollback(execution));
            } catch (MemberFailure failure) {
                throw new BpmnError(failure.code(), failure.getMessage());
            }
        });
    }
}
