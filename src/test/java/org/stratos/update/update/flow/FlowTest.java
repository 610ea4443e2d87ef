package org.stratos.update.update.flow;

import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Duration;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.camunda.bpm.engine.test.mock.Mocks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.stratos.update.update.ClusterOutcome;
import org.stratos.update.update.FlowNames;
import org.stratos.update.update.MemberFailure;
import org.stratos.update.update.MemberPlan;
import org.stratos.update.update.MemberUpdateService;
import org.stratos.update.update.RolloutService;
import org.stratos.update.update.UpdateService;
import org.stratos.update.update.delegate.FlowDelegates;

/**
 * What every flow test shares: camunda-bpm-assert on the flow engine, and the real delegates wired to mocked
 * services (so the tests check the delegates' variable handling too). Subclasses register the engine and the
 * coverage floor ({@code static}, one pair per class) and deploy the real files of {@code processes/}.
 */
abstract class FlowTest {

    static final String UPDATE_ID = "upd-1";
    static final String CLUSTER_ID = "app.php.domain";

    /** How a member on a VM is updated by default: by its agent, with generous time limits. */
    static final MemberPlan BY_AGENT = new MemberPlan(false, false, Duration.ofMinutes(10), Duration.ofMinutes(2),
            Duration.ofSeconds(30), Duration.ofMinutes(1));

    final RolloutService rollout = mock(RolloutService.class);
    final MemberUpdateService members = mock(MemberUpdateService.class);
    final UpdateService updates = mock(UpdateService.class);
    final MemberFlows memberFlows = new MemberFlows();

    @BeforeEach
    void wireRealDelegatesToMockedServices(ProcessEngine engine) {
        BpmnAwareTests.init(engine);
        FlowDelegates.wiredTo(rollout, members, updates).forEach(Mocks::register);
        when(members.markUpdating(anyString(), anyString(), anyBoolean())).thenReturn(BY_AGENT);
        // as the real service: a report of failure is a MemberFailure, which the delegate turns into the BPMN error
        doAnswer(call -> {
            boolean success = call.getArgument(3);
            if (!success) {
                throw new MemberFailure(FlowNames.ERROR_AGENT_REPORTED_FAILURE, MemberFlows.lastReportedReason);
            }
            return null;
        }).when(members).checkReport(anyString(), anyString(), anyBoolean(), anyBoolean());
        when(rollout.concludeCluster(anyString(), anyString())).thenReturn(ClusterOutcome.UPDATED);
    }

    @AfterEach
    void unregisterDelegates() {
        Mocks.reset();
        BpmnAwareTests.reset();
    }
}
