package org.stratos.update.update.delegate;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;
import org.stratos.update.update.MemberUpdateService;

/** Send (or resend) the update command to the member's agent. */
@Component
class SendUpdateCommandDelegate implements JavaDelegate {

    private final MemberUpdateService members;

    SendUpdateCommandDelegate(MemberUpdateService members) {
        this.members = members;
    }

    @Override
    public void execute(DelegateExecution execution) {
        members.sendCommand(Vars.updateId(execution), Vars.memberId(execution), Vars.rollback(execution));
    }
}
