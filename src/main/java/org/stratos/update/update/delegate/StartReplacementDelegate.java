package org.stratos.update.update.delegate;

import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;
import org.stratos.update.update.MemberUpdateService;

/** Start a replacement container on the target image. */
@Component
class StartReplacementDelegate implements JavaDelegate {

    private final MemberUpdateService members;

    StartReplacementDelegate(MemberUpdateService members) {
        this.members = members;
    }

    @Override
    public void execute(DelegateExecution execution) {
        FlowFaults.naming(
                execution,
                List.of(Vars.memberId(execution)),
                () -> members.startReplacement(
                        Vars.updateId(execution), Vars.memberId(execution), Vars.rollback(execution)));
    }
}
