package org.stratos.update.update.delegate;

import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;
import org.stratos.update.update.MemberUpdateService;

/** Remove the old member (a container): Terminated, and its pod removed gracefully. */
@Component
class RetireOldMemberDelegate implements JavaDelegate {

    private final MemberUpdateService members;

    RetireOldMemberDelegate(MemberUpdateService members) {
        this.members = members;
    }

    @Override
    public void execute(DelegateExecution execution) {
        FlowFaults.naming(
                execution,
                List.of(Vars.memberId(execution)),
                () -> members.retireCurrent(
                        Vars.updateId(execution), Vars.memberId(execution), Vars.rollback(execution)));
    }
}
