package org.stratos.update.update.delegate;

import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;
import org.stratos.update.update.FlowVariables;
import org.stratos.update.update.MemberUpdateService;

/** Take the member out of service after a failure (the failure path of {@code memberUpdate}). */
@Component
class MarkMemberFailedDelegate implements JavaDelegate {

    private final MemberUpdateService members;

    MarkMemberFailedDelegate(MemberUpdateService members) {
        this.members = members;
    }

    @Override
    public void execute(DelegateExecution execution) {
        FlowFaults.naming(
                execution,
                List.of(Vars.memberId(execution)),
                () -> members.markFailed(
                        Vars.updateId(execution),
                        Vars.memberId(execution),
                        Vars.rollback(execution),
                        Vars.string(execution, FlowVariables.FAILURE_CAUSE),
                        Vars.string(execution, FlowVariables.FAILURE_REASON)));
    }
}
