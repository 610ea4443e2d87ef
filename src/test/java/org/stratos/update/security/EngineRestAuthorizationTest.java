package org.stratos.update.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stratos.update.support.TestHttp.json;

import java.net.http.HttpResponse;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.stratos.update.support.ManagerTest;
import org.stratos.update.support.TestHttp;
import org.stratos.update.support.TestUsers;

/** The engine's authorizations granted to the two groups, as seen through /engine-rest. */
@ManagerTest
class EngineRestAuthorizationTest {

    @LocalServerPort
    int port;

    @Autowired
    IdentityService identity;

    @Autowired
    RepositoryService repository;

    TestUsers users;
    TestUsers.Credentials viewer;
    TestUsers.Credentials operator;
    String processKey;
    String deploymentId;

    @BeforeEach
    void deployATinyProcess() {
        users = new TestUsers(identity);
        viewer = users.create("viewer", StratosGroups.VIEWERS);
        operator = users.create("operator", StratosGroups.OPERATORS);
        processKey = "authorizationProbe" + System.nanoTime();
        BpmnModelInstance model = Bpmn.createExecutableProcess(processKey)
                .camundaHistoryTimeToLive(1)
                .startEvent()
                .userTask("userTask_wait")
                .endEvent()
                .done();
        deploymentId = repository
                .createDeployment()
                .name(processKey)
                .addModelInstance(processKey + ".bpmn", model)
                .deploy()
                .getId();
    }

    @AfterEach
    void removeIt() {
        repository.deleteDeployment(deploymentId, true);
        users.delete(viewer);
        users.delete(operator);
    }

    @Test
    void aViewerReadsDefinitionsButMayNotStartAnInstance() {
        TestHttp asViewer = TestHttp.anonymous(port).as(viewer);

        HttpResponse<String> definitions = asViewer.get("/engine-rest/process-definition?key=" + processKey);
        HttpResponse<String> start =
                asViewer.postJson("/engine-rest/process-definition/key/" + processKey + "/start", "{}");

        assertThat(definitions.statusCode()).isEqualTo(200);
        assertThat(json(definitions).findValuesAsText("key")).containsExactly(processKey);
        assertThat(start.statusCode()).isEqualTo(403);
        assertThat(json(start).path("type").asText()).isEqualTo("AuthorizationException");
    }

    @Test
    void anOperatorReadsAnyDefinitionButStartsOnlyTheProductsUpdateFlow() {
        TestHttp asOperator = TestHttp.anonymous(port).as(operator);

        HttpResponse<String> definitions = asOperator.get("/engine-rest/process-definition?key=" + processKey);
        HttpResponse<String> start =
                asOperator.postJson("/engine-rest/process-definition/key/" + processKey + "/start", "{}");

        assertThat(definitions.statusCode()).isEqualTo(200);
        assertThat(json(definitions).findValuesAsText("key")).containsExactly(processKey);
        assertThat(start.statusCode()).as(start.body()).isEqualTo(403);
        assertThat(json(start).path("permissionName").asText()).isEqualTo("CREATE_INSTANCE");
    }

    @Test
    void aUserInNeitherGroupSeesNoDefinitions() {
        TestUsers.Credentials nobody = users.create("nobody");

        HttpResponse<String> definitions =
                TestHttp.anonymous(port).as(nobody).get("/engine-rest/process-definition?key=" + processKey);

        assertThat(definitions.statusCode()).isEqualTo(200);
        assertThat(json(definitions)).isEmpty();
        users.delete(nobody);
    }
}
