package org.stratos.update.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stratos.update.support.TestHttp.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.camunda.bpm.engine.IdentityService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.stratos.update.security.StratosGroups;
import org.stratos.update.support.ManagerTest;
import org.stratos.update.support.TestHttp;
import org.stratos.update.support.TestUsers;
import org.stratos.update.support.WebappSession;

/** An operator approves the canary gate the way Tasklist does it: the shared filter, claim, complete with a decision. */
@ManagerTest
class TasklistApprovalTest {

    @LocalServerPort
    int port;

    @Autowired
    IdentityService identity;

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

    @Test
    void anOperatorFindsTheApprovalTaskInTheSharedFilterAndCompletingItLetsTheUpdateFinish() {
        String app = api.simulatedApplication(2);
        String id = api.started(app, UpdateApiClient.gated("2.0.0"));
        api.awaitState(id, "WAITING_FOR_APPROVAL");

        HttpResponse<String> filters = asOperator.get("/engine-rest/filter?resourceType=Task");
        assertThat(filters.statusCode()).as(filters.body()).isEqualTo(200);
        JsonNode allTasks = null;
        for (JsonNode f : json(filters)) {
            if (f.path("name").asText().equals("All tasks")) {
                allTasks = f;
            }
        }
        assertThat(allTasks).as("the shared filter, readable by operators").isNotNull();
        HttpResponse<String> listed = asOperator.postJson(
                "/engine-rest/filter/" + allTasks.path("id").asText() + "/list",
                "{\"processInstanceBusinessKey\": \"" + id + "\"}");
        assertThat(json(listed).findValuesAsText("taskDefinitionKey")).containsExactly("userTask_approveNextBatch");
        String taskId = json(listed).get(0).path("id").asText();

        assertThat(asOperator
                        .postJson("/engine-rest/task/" + taskId + "/claim", "{\"userId\": \"" + operator.id() + "\"}")
                        .statusCode())
                .isEqualTo(204);
        assertRefused(asOperator.postJson("/engine-rest/task/" + taskId + "/complete", "{}"), null);
        assertRefused(asOperator.postJson("/engine-rest/task/" + taskId + "/submit-form", "{}"), null);
        assertRefused(
                asOperator.postJson(
                        "/engine-rest/task/" + taskId + "/complete",
                        "{\"variables\": {\"approvalDecision\": {\"value\": \"yes\"}}}"),
                "yes");
        assertRefused(
                asOperator.postJson(
                        "/engine-rest/task/" + taskId + "/submit-form",
                        "{\"variables\": {\"approvalDecision\": {\"value\": 1, \"type\": \"Integer\"}}}"),
                "1");
        assertThat(json(asOperator.get("/engine-rest/task/" + taskId))
                        .path("id")
                        .asText())
                .as("the task is still open")
                .isEqualTo(taskId);
        assertThat(api.view(id).path("state").asText()).isEqualTo("WAITING_FOR_APPROVAL");
        assertThat(asOperator
                        .postJson(
                                "/engine-rest/task/" + taskId + "/complete",
                                "{\"variables\": {\"approvalDecision\": {\"value\": \"approve\"}}}")
                        .statusCode())
                .isEqualTo(204);

        assertThat(api.awaitState(id, "COMPLETED")
                        .path("clusters")
                        .get(0)
                        .path("approvedBatch")
                        .asInt())
                .isEqualTo(2);
    }

    /**
     * Tasklist itself does not call {@code /engine-rest}: it calls the webapp's own engine API with the session's login
     * and CSRF token. A refused decision answers the same 400 there, not 500, and the task stays open.
     */
    @Test
    void tasklistsOwnEngineApiRefusesAMissingOrUnknownDecisionWith400AndTheTaskStaysOpen() {
        String app = api.simulatedApplication(2);
        String id = api.started(app, UpdateApiClient.gated("2.0.0"));
        api.awaitState(id, "WAITING_FOR_APPROVAL");
        WebappSession tasklist = WebappSession.loggedIn(port, operator, "tasklist");
        String engine = "/camunda/api/engine/engine/default";

        HttpResponse<String> listed = tasklist.get(engine + "/task?processInstanceBusinessKey=" + id);
        assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
        assertThat(json(listed).findValuesAsText("taskDefinitionKey")).containsExactly("userTask_approveNextBatch");
        String taskId = json(listed).get(0).path("id").asText();
        HttpResponse<String> claimed =
                tasklist.postJson(engine + "/task/" + taskId + "/claim", "{\"userId\": \"" + operator.id() + "\"}");
        assertThat(claimed.statusCode()).as(claimed.body()).isEqualTo(204);

        assertRefused(tasklist.postJson(engine + "/task/" + taskId + "/submit-form", "{\"variables\": {}}"), null);
        assertRefused(tasklist.postJson(engine + "/task/" + taskId + "/complete", "{}"), null);
        assertRefused(
                tasklist.postJson(
                        engine + "/task/" + taskId + "/submit-form",
                        "{\"variables\": {\"approvalDecision\": {\"value\": \"yes\", \"type\": \"String\"}}}"),
                "yes");
        assertThat(json(tasklist.get(engine + "/task/" + taskId)).path("id").asText())
                .as("the task is still open")
                .isEqualTo(taskId);
        assertThat(api.view(id).path("state").asText()).isEqualTo("WAITING_FOR_APPROVAL");

        HttpResponse<String> approved = tasklist.postJson(
                engine + "/task/" + taskId + "/submit-form",
                "{\"variables\": {\"approvalDecision\": {\"value\": \"approve\", \"type\": \"String\"}}}");
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(204);
        api.awaitState(id, "COMPLETED");
    }

    /** 400 problem+json naming the field and the values it takes; the task stays open (the engine rolled back). */
    private static void assertRefused(HttpResponse<String> answer, String given) {
        assertThat(answer.statusCode())
                .as("completing without a decision approves nothing: " + answer.body())
                .isEqualTo(400);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = json(answer);
        assertThat(problem.path("status").asInt()).isEqualTo(400);
        assertThat(problem.path("errors").get(0).path("field").asText()).isEqualTo("approvalDecision");
        assertThat(problem.path("errors").get(0).path("reason").asText())
                .contains("approve", "stop", "stopAndRollBack")
                .contains(given == null ? "not set" : "'" + given + "'");
        assertThat(problem.path("detail").asText()).contains("approvalDecision");
        // what Tasklist shows: Camunda's JS SDK takes a failed call's `message`
        assertThat(problem.path("message").asText())
                .isEqualTo(problem.path("detail").asText());
        assertThat(answer.body()).doesNotContain("Exception", "TaskListener");
    }
}
