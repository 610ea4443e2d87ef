package org.stratos.update.update.delegate;

import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;
import org.stratos.update.update.FlowVariables;
import org.stratos.update.update.MemberPlan;
import org.stratos.update.update.MemberUpdateService;

/** Mark member Updating: decides whether the replacement surges and sets the timers of the member's flow. */
@Component
class MarkMemberUpdatingDelegate implements JavaDelegate {

    private final MemberUpdateService members;

    MarkMemberUpdatingDelegate(MemberUpdateService members) {
        this.members = members;
    }

    @Override
    public void execute(DelegateExecution execution) {
        MemberPlan plan = FlowFaults.naming(
                execution,
                List.of(Vars.memberId(execution)),
                () -> members.markUpdating(
                        Vars.updateId(execution), Vars.memberId(execution), Vars.rollback(execution)));
        execution.setVariable(FlowVariables.SURGE, plan.surge());
        execution.setVariable(FlowVariables.HEALTH_TIMEOUT, plan.healthTimeout().toString());
        execution.setVariable(
                FlowVariables.MIN_HEALTHY_TIME, plan.minHealthyTime().toString());
    }
}
