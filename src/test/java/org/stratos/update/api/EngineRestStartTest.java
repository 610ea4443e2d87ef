package org.stratos.update.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stratos.update.support.TestHttp.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.history.HistoricVariableInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.stratos.update.security.StratosGroups;
import org.stratos.update.support.ManagerTest;
import org.stratos.update.support.TestHttp;
import org.stratos.update.support.TestUsers;

/** softwareUpdate started directly from /engine-rest, as a Modeler user testing a changed flow does. */
@ManagerTest
class EngineRestStartTest {

    private static final String START = "/engine-rest/process-definition/key/softwareUpdate/start";

    @LocalServerPort
    int port;

    @Autowired
    IdentityService identity;

    @Autowired
    HistoryService history;

    TestUsers users;
    TestUsers.Credentials operator;
    TestHttp asOperator;
    UpdateApiClient api;

    @BeforeEach
    void createUsers() {
        users = new TestUsers(identity);
        operator = users.create("operator", StratosGroups.OPERATORS);
        asOperator = TestHttp.anonymous(port).as(operator);
        api = new UpdateApiClient(asOperator);
    }

    @AfterEach
    void deleteUsers() {
        users.delete(operator);
    }

    static String variables(String app, String clusters) {
        return """
                {"variables": {
                  "applicationId": {"value": "%s", "type": "String"},
                  "clusters": {"value": "%s", "type": "String"},
                  "version": {"value": "2.0.0", "type": "String"},
                  "compatible": {"value": true, "type": "Boolean"},
                  "healthTimeout": {"value": "PT30S", "type": "String"}}}""".formatted(app, clusters);
    }

    @Test
    void anUpdateStartedFromEngineRestIsRecordedAndRunsLikeOneFromTheApi() {
        String app = api.simulatedApplication(2);

        HttpResponse<String> started = asOperator.postJson(START, variables(app, "php"));

        assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
        JsonNode listed = json(asOperator.get("/api/updates?applicationId=" + app));
        assertThat(listed).hasSize(1);
        String id = listed.get(0).path("updateId").asText();
        assertThat(listed.get(0).path("createdBy").asText()).isEqualTo(operator.id());
        assertThat(listed.get(0).path("request").path("clusters").get(0).asText())
                .isEqualTo("php");
        assertThat(history.createHistoricProcessInstanceQuery()
                        .processInstanceId(json(started).path("id").asText())
                        .singleResult()
                        .getBusinessKey())
                .isEqualTo(id);
        api.awaitState(id, "COMPLETED");
        assertThat(api.memberVersions(app)).containsOnly("2.0.0");
    }

    @Test
    void aRejectedEngineRestStartEndsAtUpdateRejectedWithTheReason() {
        String app = api.simulatedApplication(1);

        HttpResponse<String> started = asOperator.postJson(START, variables(app, "nope"));

        assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
        String instance = json(started).path("id").asText();
        assertThat(json(started).path("ended").asBoolean()).isTrue();
        assertThat(history.createHistoricActivityInstanceQuery()
                        .processInstanceId(instance)
                        .activityId("endEvent_updateRejected")
                        .count())
                .isEqualTo(1);
        HistoricVariableInstance reason = history.createHistoricVariableInstanceQuery()
                .processInstanceId(instance)
                .variableName("rejectionReason")
                .singleResult();
        assertThat((String) reason.getValue()).contains("clusters[0]").contains("nope");
        assertThat(json(asOperator.get("/api/updates?applicationId=" + app))).isEmpty();
    }
}
