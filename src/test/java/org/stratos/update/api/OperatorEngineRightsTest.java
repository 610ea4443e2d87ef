package org.stratos.update.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.stratos.update.security.StratosGroups;
import org.stratos.update.support.ManagerTest;
import org.stratos.update.support.TestHttp;
import org.stratos.update.support.TestUsers;
import org.stratos.update.update.FlowNames;

/**
 * What an operator may do with the engine over {@code /engine-rest} (Cockpit makes the same calls): steer a running
 * update — retry a failed job, suspend and activate a flow, cancel the whole update as a last resort — but never
 * delete, suspend or deploy the product's flows, nor rewrite the flows inside an update. Claiming and completing an
 * approval task from the shared filter is {@link TasklistApprovalTest}.
 */
@ManagerTest
class OperatorEngineRightsTest {

    @LocalServerPort
    int port;

    @Autowired
    IdentityService identity;

    @Autowired
    RepositoryService repository;

    @Autowired
    RuntimeService runtime;

    @Autowired
    ManagementService management;

    @Autowired
    TaskService tasks;

    TestUsers users;
    TestUsers.Credentials operator;
    TestUsers.Credentials viewer;
    TestHttp asOperator;
    TestHttp asViewer;
    UpdateApiClient api;
    String updateId;

    @BeforeEach
    void createUsers() {
        users = new TestUsers(identity);
        operator = users.create("operator", StratosGroups.OPERATORS);
        viewer = users.create("viewer", StratosGroups.VIEWERS);
        asOperator = TestHttp.anonymous(port).as(operator);
        asViewer = TestHttp.anonymous(port).as(viewer);
        api = new UpdateApiClient(asOperator);
    }

    @AfterEach
    void cleanUp() {
        if (updateId != null) {
            runtime.createProcessInstanceQuery()
                    .processInstanceBusinessKey(updateId)
                    .processDefinitionKey(FlowNames.SOFTWARE_UPDATE)
                    .list()
                    .forEach(p -> runtime.deleteProcessInstance(p.getId(), "test over"));
        }
        users.delete(operator);
        users.delete(viewer);
    }

    @Test
    void anOperatorCannotDeleteSuspendOrDeployTheProductsFlows() {
        ProcessDefinition flow = repository
                .createProcessDefinitionQuery()
                .processDefinitionKey(FlowNames.SOFTWARE_UPDATE)
                .latestVersion()
                .singleResult();

        assertForbidden(asOperator.method("DELETE", "/engine-rest/process-definition/" + flow.getId()));
        assertForbidden(
                asOperator.method("DELETE", "/engine-rest/process-definition/key/" + flow.getKey() + "?cascade=true"));
        assertForbidden(asOperator.putJson(
                "/engine-rest/process-definition/" + flow.getId() + "/suspended",
                "{\"suspended\": true, \"includeProcessInstances\": true}"));
        assertForbidden(
                asOperator.method("DELETE", "/engine-rest/deployment/" + flow.getDeploymentId() + "?cascade=true"));
        assertForbidden(deploy(asOperator, flow.getKey()));

        ProcessDefinition after = repository.getProcessDefinition(flow.getId());
        assertThat(after.isSuspended()).isFalse();
        assertThat(repository
                        .createProcessDefinitionQuery()
                        .processDefinitionKey(flow.getKey())
                        .latestVersion()
                        .singleResult()
                        .getId())
                .isEqualTo(flow.getId());
    }

    @Test
    void anOperatorRetriesAFailedJobAViewerMayNot() {
        Job bake = aPhasedUpdateBaking();
        management.setJobRetries(bake.getId(), 0);
        assertThat(runtime.createIncidentQuery().configuration(bake.getId()).count())
                .isEqualTo(1);
        String retry = "/engine-rest/job/" + bake.getId() + "/retries";

        assertForbidden(asViewer.putJson(retry, "{\"retries\": 1}"));
        HttpResponse<String> retried = asOperator.putJson(retry, "{\"retries\": 1}");

        assertThat(retried.statusCode()).as(retried.body()).isEqualTo(204);
        assertThat(runtime.createIncidentQuery().configuration(bake.getId()).count())
                .isZero();
        assertThat(management
                        .createJobQuery()
                        .jobId(bake.getId())
                        .singleResult()
                        .getRetries())
                .isEqualTo(1);
    }

    @Test
    void anOperatorSuspendsAndActivatesAFlowAViewerMayNot() {
        String phased = aPhasedUpdateBaking().getProcessInstanceId();
        String suspension = "/engine-rest/process-instance/" + phased + "/suspended";

        assertForbidden(asViewer.putJson(suspension, "{\"suspended\": true}"));
        assertThat(asOperator.putJson(suspension, "{\"suspended\": true}").statusCode())
                .isEqualTo(204);
        assertThat(instance(phased).isSuspended()).isTrue();
        assertThat(asOperator.putJson(suspension, "{\"suspended\": false}").statusCode())
                .isEqualTo(204);
        assertThat(instance(phased).isSuspended()).isFalse();
    }

    @Test
    void anOperatorCannotRewriteTheFlowsOfAnUpdate() {
        Job bake = aPhasedUpdateBaking();
        String phased = bake.getProcessInstanceId();
        String definition = instance(phased).getProcessDefinitionId();

        assertForbidden(asOperator.putJson(
                "/engine-rest/process-instance/" + phased + "/variables/bakeTime",
                "{\"value\": \"PT0S\", \"type\": \"String\"}"));
        assertForbidden(asOperator.postJson("/engine-rest/process-instance/" + phased + "/modification", """
                {"instructions": [{"type": "startBeforeActivity", "activityId": "serviceTask_decideNextStep"}]}"""));
        assertForbidden(
                asOperator.postJson("/engine-rest/migration/execute", """
                {"migrationPlan": {"sourceProcessDefinitionId": "%s", "targetProcessDefinitionId": "%s",
                                   "instructions": []},
                 "processInstanceIds": ["%s"]}""".formatted(definition, definition, phased)));
        assertForbidden(asOperator.postJson("/engine-rest/job/" + bake.getId() + "/execute", ""));
        assertForbidden(asOperator.method("DELETE", "/engine-rest/process-instance/" + phased));

        assertThat(instance(phased)).isNotNull();
        assertThat(runtime.getVariable(phased, "bakeTime")).isEqualTo("PT1H");
    }

    @Test
    void anOperatorSubmitsAnApprovalTasksFormWithVariablesAViewerMayNot() {
        String app = api.simulatedApplication(2);
        updateId = api.started(app, UpdateApiClient.gated("2.0.0"));
        api.awaitState(updateId, "WAITING_FOR_APPROVAL");
        String taskId = tasks.createTaskQuery()
                .processInstanceBusinessKey(updateId)
                .taskDefinitionKey(FlowNames.APPROVAL_TASK)
                .singleResult()
                .getId();
        String form = "{\"variables\": {\"approvalDecision\": {\"value\": \"approve\", \"type\": \"String\"},"
                + " \"approvalNote\": {\"value\": \"batch 1 looks good\", \"type\": \"String\"}}}";

        assertForbidden(asViewer.postJson("/engine-rest/task/" + taskId + "/submit-form", form));
        HttpResponse<String> submitted = asOperator.postJson("/engine-rest/task/" + taskId + "/submit-form", form);

        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(204);
        api.awaitState(updateId, "COMPLETED");
    }

    @Test
    void anOperatorMayCancelAWholeUpdateAsALastResort() {
        aPhasedUpdateBaking();
        String software = runtime.createProcessInstanceQuery()
                .processInstanceBusinessKey(updateId)
                .processDefinitionKey(FlowNames.SOFTWARE_UPDATE)
                .singleResult()
                .getId();

        HttpResponse<String> cancelled = asOperator.method("DELETE", "/engine-rest/process-instance/" + software);

        assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(204);
        api.awaitState(updateId, "CANCELLED");
    }

    /** An update of two members, one per batch, waiting an hour after the first: answers the bake timer's job. */
    private Job aPhasedUpdateBaking() {
        String app = api.simulatedApplication(2);
        updateId = api.started(app, """
                {"clusters": ["php"], "version": "2.0.0", "compatible": true, "batchSize": 1, "bakeTime": "PT1H",
                 "healthTimeout": "PT30S"}""");
        return await().atMost(Duration.ofSeconds(60))
                .until(
                        () -> management
                                .createJobQuery()
                                .processDefinitionKey(FlowNames.PHASED_CLUSTER_UPDATE)
                                .activityId("timerEvent_bake")
                                .list()
                                .stream()
                                .filter(job -> updateId.equals(
                                        instance(job.getProcessInstanceId()).getBusinessKey()))
                                .findFirst()
                                .orElse(null),
                        job -> job != null);
    }

    private ProcessInstance instance(String id) {
        return runtime.createProcessInstanceQuery().processInstanceId(id).singleResult();
    }

    private static HttpResponse<String> deploy(TestHttp as, String key) {
        String bpmn = """
                <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" targetNamespace="x">
                  <process id="%s" isExecutable="true"><startEvent id="start"/></process></definitions>""".formatted(key);
        String body = "--b\r\nContent-Disposition: form-data; name=\"deployment-name\"\r\n\r\nhijack\r\n"
                + "--b\r\nContent-Disposition: form-data; name=\"flow.bpmn\"; filename=\"flow.bpmn\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n" + bpmn + "\r\n--b--\r\n";
        return as.post("/engine-rest/deployment/create", "multipart/form-data; boundary=b", body);
    }

    private static void assertForbidden(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
    }
}
