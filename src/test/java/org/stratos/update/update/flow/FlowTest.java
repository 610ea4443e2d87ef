package org.stratos.update.update.flow;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Duration;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.camunda.bpm.engine.test.mock.Mocks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.stratos.update.update.AgentBatchService;
import org.stratos.update.update.ClusterOutcome;
import org.stratos.update.update.FlowVariables;
import org.stratos.update.update.MemberUpdateService;
import org.stratos.update.update.RolloutService;
import org.stratos.update.update.RunPhase;
import org.stratos.update.update.UpdateOutcome;
import org.stratos.update.update.UpdateService;
import org.stratos.update.update.UpdateState;
import org.stratos.update.update.delegate.FlowDelegates;

/**
 * What every flow test shares: camunda-bpm-assert on the flow engine, and the real delegates wired to mocked
 * services (so the tests check the delegates' variable handling too). Subclasses register the engine and the
 * coverage floor ({@code static}, one pair per class) and deploy the real files of {@code processes/}.
 */
abstract class FlowTest {

    static final String UPDATE_ID = "upd-1";
    static final String CLUSTER_ID = "app.php.domain";

    /** How long a batch of VM members waits before it looks again for missing reports, in these tests. */
    static final Duration RESEND_INTERVAL = Duration.ofMinutes(1);

    final RolloutService rollout = mock(RolloutService.class);
    final AgentBatchService batches = mock(AgentBatchService.class);
    final MemberUpdateService members = mock(MemberUpdateService.class);
    final UpdateService updates = mock(UpdateService.class);
    final BatchFlows batchFlows = new BatchFlows();

    @BeforeEach
    void wireRealDelegatesToMockedServices(ProcessEngine engine) {
        BpmnAwareTests.init(engine);
        FlowDelegates.wiredTo(rollout, batches, members, updates).forEach(Mocks::register);
        // clusters of VMs unless a test says otherwise: their members are updated a batch at a time by the agents
        when(rollout.applyMode(anyString())).thenReturn(FlowVariables.APPLY_BY_AGENT);
        when(batches.markUpdating(anyString(), anyString(), anyList(), any(RunPhase.class)))
                .thenReturn(RESEND_INTERVAL);
        when(rollout.concludeCluster(anyString(), anyString())).thenReturn(ClusterOutcome.UPDATED);
        // the services answer what they recorded: by default what the flow's own outcome says
        when(rollout.recordClusterRolledBack(anyString(), anyString())).thenReturn(ClusterOutcome.ROLLED_BACK);
        when(rollout.bringClusterBack(anyString(), anyString())).thenAnswer(call -> ClusterOutcome.UPDATED);
        when(updates.finish(anyString(), any())).thenAnswer(call -> switch ((UpdateOutcome) call.getArgument(1)) {
            case COMPLETED -> UpdateState.COMPLETED;
            case ROLLING_BACK, ROLLED_BACK -> UpdateState.ROLLED_BACK;
            case PREFLIGHT_FAILED -> UpdateState.PREFLIGHT_FAILED;
            case ABORTED -> UpdateState.ABORTED;
            case FAILED -> UpdateState.FAILED;
        });
    }

    /** A list variable as the flows hold it: JSON text. */
    static String jsonList(String... items) {
        return java.util.Arrays.stream(items)
                .map(i -> '"' + i + '"')
                .collect(java.util.stream.Collectors.joining(",", "[", "]"));
    }

    @AfterEach
    void unregisterDelegates() {
        Mocks.reset();
        BpmnAwareTests.reset();
    }
}
