package org.stratos.update.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.history.HistoricDetail;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.history.HistoricVariableInstance;
import org.camunda.bpm.engine.history.HistoricVariableUpdate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.stratos.update.support.ManagerTest;
import org.stratos.update.support.TestIds;
import org.stratos.update.topology.MemberState;
import org.stratos.update.topology.NewApplication;
import org.stratos.update.topology.TopologyService;

/**
 * Every variable an operator sees in Cockpit is readable: no flow holds a Java-serialized object. One update runs
 * every flow (both cluster flows' phased kind, VM and container batches, member flows, both rollbacks), and every value
 * any variable ever had is checked.
 */
@ManagerTest
class ReadableVariablesTest {

    static final Set<String> READABLE =
            Set.of("string", "integer", "long", "short", "double", "boolean", "date", "null");

    @Autowired
    TopologyService topology;

    @Autowired
    UpdateService updates;

    @Autowired
    UpdateRepository records;

    @Autowired
    HistoryService history;

    @Test
    void noFlowKeepsASerializedObjectInAnyVariable() {
        // given a VM cluster updated first, then a container cluster whose image is broken: both roll back
        String app = TestIds.applicationId("vars");
        topology.register(new NewApplication(
                app,
                null,
                List.of(
                        new NewApplication.NewCluster("web", "kubernetes", "simulated", null, "stratos/php:1.0", 2),
                        new NewApplication.NewCluster("mysql", "mysql", "simulated", "1.0.0", null, 2)),
                new NewApplication.Dependencies(List.of(List.of("cartridge.mysql", "cartridge.web")))));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> topology.application(app).clusters().stream()
                                .flatMap(c -> c.members().stream())
                                .filter(m -> m.state() == MemberState.ACTIVE)
                                .count()
                        == 4);

        // when
        UpdateRecord update = updates.start(
                app,
                new UpdateRequest(
                        List.of("web", "mysql"),
                        null,
                        "2.0.0",
                        "stratos/php:2-broken",
                        true,
                        "1",
                        null,
                        null,
                        "PT30S",
                        null,
                        null,
                        "PT1M",
                        null,
                        null,
                        null),
                "tester");
        await().atMost(Duration.ofSeconds(90))
                .until(() -> records.find(update.id()).orElseThrow().state().ended());

        // then
        List<HistoricProcessInstance> runs = history.createHistoricProcessInstanceQuery()
                .processInstanceBusinessKeyLike(update.id() + "%")
                .list();
        List<String> flows = runs.stream()
                .map(HistoricProcessInstance::getProcessDefinitionKey)
                .distinct()
                .toList();
        assertThat(flows)
                .containsExactlyInAnyOrder(
                        FlowNames.SOFTWARE_UPDATE,
                        FlowNames.PHASED_CLUSTER_UPDATE,
                        FlowNames.BATCH_UPDATE,
                        FlowNames.MEMBER_UPDATE,
                        FlowNames.CLUSTER_ROLLBACK);
        String[] instances = runs.stream().map(HistoricProcessInstance::getId).toArray(String[]::new);
        List<HistoricVariableInstance> variables = history.createHistoricVariableInstanceQuery()
                .processInstanceIdIn(instances)
                .disableCustomObjectDeserialization()
                .list();
        assertThat(variables)
                .isNotEmpty()
                .allSatisfy(v -> assertThat(v.getTypeName())
                        .as(v.getName() + " = " + v.getValue())
                        .isIn(READABLE));
        List<HistoricDetail> everyValue =
                history
                        .createHistoricDetailQuery()
                        .variableUpdates()
                        .disableCustomObjectDeserialization()
                        .list()
                        .stream()
                        .filter(d -> List.of(instances).contains(d.getProcessInstanceId()))
                        .toList();
        assertThat(everyValue)
                .isNotEmpty()
                .allSatisfy(d -> assertThat(((HistoricVariableUpdate) d).getTypeName())
                        .as(((HistoricVariableUpdate) d).getVariableName())
                        .isIn(READABLE));
        assertThat(variables.stream().filter(v -> v.getName().equals(FlowVariables.BATCH_MEMBERS)))
                .isNotEmpty()
                .allSatisfy(v -> assertThat(v.getValue().toString()).matches("\\[(\"[^\"]+\"(,\"[^\"]+\")*)?]"));
    }
}
