package org.stratos.update.update.delegate;

import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;
import org.stratos.update.update.MemberUpdateService;

/** Mark the member Active on the target version. */
@Component
class MarkMemberUpdatedDelegate implements JavaDelegate {

    private final MemberUpdateService members;

    MarkMemberUpdatedDelegate(MemberUpdateService members) {
        this.members = members;
    }

    @Override
    public void execute(DelegateExecution execution) {
        FlowFaults.naming(
                execution,
                List.of(Vars.memberId(execution)),
                () -> members.markUpdated(
                        Vars.updateId(execution), Vars.memberId(execution), Vars.rollback(execution)));
    }
}
