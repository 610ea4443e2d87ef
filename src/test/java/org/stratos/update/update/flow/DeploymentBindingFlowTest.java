package org.stratos.update.update.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.execute;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.job;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.repositoryService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;
import static org.mockito.Mockito.when;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.repository.Deployment;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.community.process_test_coverage.junit5.platform7.ProcessEngineCoverageExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.stratos.update.system.ProcessDeployer;
import org.stratos.update.update.FlowNames;
import org.stratos.update.update.FlowVariables;

/**
 * The flows are deployed as one set by {@link ProcessDeployer} and call each other by deployment: an update that
 * started on one set of flows finishes on it, though an engineer deploys a changed child flow while it runs; an
 * update started after that runs on the changed set.
 */
class DeploymentBindingFlowTest extends FlowTest {

    @RegisterExtension
    static final ProcessEngineCoverageExtension engine = FlowEngine.withCoverage();

    static final String BATCH_FLOW = "processes/batch-update.bpmn";
    static final String UPDATE_BATCH = "callActivity_updateBatch";

    private final List<String> deployments = new ArrayList<>();

    @AfterEach
    void undeploy() {
        // the engine is shared with the other flow tests, which start their flows by key (the latest version)
        deployments.forEach(id -> repositoryService().deleteDeployment(id, true));
    }

    @Test
    void anUpdateFinishesOnTheFlowsItStartedWithWhileAChangedChildFlowIsDeployed() throws IOException {
        // given: the flows of processes/ deployed as the manager deploys them, once (a restart deploys nothing)
        ProcessDeployer deployer = new ProcessDeployer(repositoryService());
        Map<String, byte[]> files = ProcessDeployer.filesOfTheClasspath();
        assertThat(files)
                .containsKeys(
                        "processes/phased-cluster-update.bpmn",
                        BATCH_FLOW,
                        "processes/phased-cluster-update.approve-next-batch.html");
        Deployment first = deployed(deployer.deploy(files));
        assertThat(deployer.deploy(files)).as("a restart with the same files").isNull();
        assertThat(repositoryService()
                        .createProcessDefinitionQuery()
                        .deploymentId(first.getId())
                        .count())
                .as("every flow in the one deployment")
                .isEqualTo(6);
        when(rollout.decideNextStep(UPDATE_ID, CLUSTER_ID))
                .thenReturn(
                        PhasedClusterUpdateFlowTest.batch(1, "m1"),
                        PhasedClusterUpdateFlowTest.batch(2, "m2"),
                        PhasedClusterUpdateFlowTest.done());
        ProcessInstance cluster = startClusterUpdate(UPDATE_ID);
        execute(job("serviceTask_planBatches", cluster));
        execute(job("serviceTask_decideNextStep", cluster));
        List<String> batchDefinitions = new ArrayList<>();
        batchDefinitions.add(batchFlows.of(cluster).getProcessDefinitionId());
        batchFlows.batchApplied(cluster, UPDATE_BATCH);

        // when: an engineer changes the batch flow in Modeler and the manager is restarted with it, mid-update
        Map<String, byte[]> changed = new LinkedHashMap<>(files);
        changed.put(
                BATCH_FLOW,
                new String(files.get(BATCH_FLOW), StandardCharsets.UTF_8)
                        .replace("name=\"Batch update\"", "name=\"Batch update, changed\"")
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(changed.get(BATCH_FLOW)).isNotEqualTo(files.get(BATCH_FLOW));
        Deployment second = deployed(deployer.deploy(changed));
        assertThat(repositoryService()
                        .createProcessDefinitionQuery()
                        .deploymentId(second.getId())
                        .count())
                .as("a change deploys the whole set again")
                .isEqualTo(6);
        execute(job("serviceTask_decideNextStep", cluster));
        batchDefinitions.add(batchFlows.of(cluster).getProcessDefinitionId());
        batchFlows.batchApplied(cluster, UPDATE_BATCH);
        execute(job("serviceTask_decideNextStep", cluster));

        // then: the update ran both batches on the batch flow it started with, and ended
        assertThat(cluster).hasPassed("endEvent_allBatchesDone").isEnded();
        assertThat(batchDefinitions)
                .hasSize(2)
                .allSatisfy(id -> assertThat(deploymentOf(id)).isEqualTo(first.getId()));
        assertThat(cluster.getProcessDefinitionId())
                .satisfies(id -> assertThat(deploymentOf(id)).isEqualTo(first.getId()));

        // and an update started now runs on the changed flows
        when(rollout.decideNextStep("upd-2", CLUSTER_ID)).thenReturn(PhasedClusterUpdateFlowTest.batch(1, "m1"));
        ProcessInstance later = startClusterUpdate("upd-2");
        execute(job("serviceTask_planBatches", later));
        execute(job("serviceTask_decideNextStep", later));
        String laterBatch = batchFlows.of(later).getProcessDefinitionId();
        assertThat(deploymentOf(laterBatch)).isEqualTo(second.getId());
        assertThat(repositoryService().getProcessDefinition(laterBatch).getName())
                .isEqualTo("Batch update, changed");
        assertThat(repositoryService()
                        .getProcessDefinition(batchDefinitions.get(0))
                        .getName())
                .isEqualTo("Batch update");
    }

    @Test
    void aDatabaseWithTheOldPerFlowDeploymentsGetsTheWholeSetOnceAndItsRunningUpdatesFinish() throws IOException {
        // given: the flows as the manager deployed them before, one deployment per flow, calling the latest children
        ProcessDeployer deployer = new ProcessDeployer(repositoryService());
        Map<String, byte[]> files = ProcessDeployer.filesOfTheClasspath();
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            if (file.getKey().endsWith(".bpmn")) {
                String flow = file.getKey()
                        .substring("processes/".length(), file.getKey().length() - ".bpmn".length());
                String latest = new String(file.getValue(), StandardCharsets.UTF_8)
                        .replace(
                                "camunda:calledElementBinding=\"deployment\"",
                                "camunda:calledElementBinding=\"latest\"");
                var builder = repositoryService()
                        .createDeployment()
                        .name(ProcessDeployer.DEPLOYMENT_NAME + "/" + flow)
                        .source("processes/")
                        .addString(file.getKey(), latest);
                files.keySet().stream()
                        .filter(n -> n.startsWith("processes/" + flow + ".") && n.endsWith(".html"))
                        .forEach(n -> builder.addString(n, new String(files.get(n), StandardCharsets.UTF_8)));
                deployments.add(builder.deploy().getId());
            }
        }
        when(rollout.decideNextStep(UPDATE_ID, CLUSTER_ID))
                .thenReturn(
                        PhasedClusterUpdateFlowTest.batch(1, "m1"),
                        PhasedClusterUpdateFlowTest.batch(2, "m2"),
                        PhasedClusterUpdateFlowTest.done());
        ProcessInstance cluster = startClusterUpdate(UPDATE_ID);
        execute(job("serviceTask_planBatches", cluster));
        execute(job("serviceTask_decideNextStep", cluster));
        batchFlows.batchApplied(cluster, UPDATE_BATCH);

        // when: the manager starts with this deployer
        Deployment set = deployed(deployer.deploy(files));

        // then: the whole set is deployed once, beside the old deployments
        assertThat(repositoryService()
                        .createProcessDefinitionQuery()
                        .deploymentId(set.getId())
                        .count())
                .isEqualTo(6);
        assertThat(deployer.deploy(files)).as("the next start").isNull();
        assertThat(repositoryService()
                        .createDeploymentQuery()
                        .deploymentName(ProcessDeployer.DEPLOYMENT_NAME)
                        .count())
                .isEqualTo(1);
        // and the update started on the old deployments finishes (its flow calls the latest batch flow: the new one)
        execute(job("serviceTask_decideNextStep", cluster));
        assertThat(deploymentOf(batchFlows.of(cluster).getProcessDefinitionId()))
                .isEqualTo(set.getId());
        batchFlows.batchApplied(cluster, UPDATE_BATCH);
        execute(job("serviceTask_decideNextStep", cluster));
        assertThat(cluster).hasPassed("endEvent_allBatchesDone").isEnded();
    }

    private Deployment deployed(Deployment deployment) {
        assertThat(deployment).as("a new deployment").isNotNull();
        deployments.add(deployment.getId());
        return deployment;
    }

    private static String deploymentOf(String processDefinitionId) {
        return repositoryService().getProcessDefinition(processDefinitionId).getDeploymentId();
    }

    private static ProcessInstance startClusterUpdate(String updateId) {
        return runtimeService()
                .startProcessInstanceByKey(
                        FlowNames.PHASED_CLUSTER_UPDATE,
                        updateId,
                        Map.of(FlowVariables.UPDATE_ID, updateId, FlowVariables.CLUSTER_ID, CLUSTER_ID));
    }
}
