package org.stratos.update.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stratos.update.api.ApplicationsApiTest.assertProblem;
import static org.stratos.update.support.TestHttp.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.stream.Stream;
import org.camunda.bpm.engine.IdentityService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.stratos.update.security.StratosGroups;
import org.stratos.update.support.ManagerTest;
import org.stratos.update.support.TestHttp;
import org.stratos.update.support.TestUsers;

/** Starting, reading and steering updates over /api, against simulated members. */
@ManagerTest
class UpdatesApiTest {

    @LocalServerPort
    int port;

    @Autowired
    IdentityService identity;

    TestUsers users;
    TestUsers.Credentials operator;
    TestUsers.Credentials viewer;
    TestHttp asViewer;
    UpdateApiClient api;

    @BeforeEach
    void createUsers() {
        users = new TestUsers(identity);
        operator = users.create("operator", StratosGroups.OPERATORS);
        viewer = users.create("viewer", StratosGroups.VIEWERS);
        asViewer = TestHttp.anonymous(port).as(viewer);
        api = new UpdateApiClient(TestHttp.anonymous(port).as(operator));
    }

    @AfterEach
    void deleteUsers() {
        users.delete(operator);
        users.delete(viewer);
    }

    @Test
    void aStartedUpdateIsAcceptedAndItsMembersAreSeenReachingTheNewVersion() {
        String app = api.simulatedApplication(2);

        HttpResponse<String> started = api.start(app, """
                {"clusters": ["php"], "version": "2.0.0", "compatible": true, "batchSize": 1, "healthTimeout": "PT30S"}""");

        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        String id = json(started).path("updateId").asText();
        assertThat(started.headers().firstValue("Location")).hasValue("/api/updates/" + id);
        assertThat(json(started).path("createdBy").asText()).isEqualTo(operator.id());
        assertThat(json(started).path("request").path("batchSize").asText()).isEqualTo("1");
        JsonNode done = api.awaitState(id, "COMPLETED");
        assertThat(done.path("percentComplete").asInt()).isEqualTo(100);
        assertThat(done.path("totals").path("updated").asInt()).isEqualTo(2);
        assertThat(done.has("currentCluster")).isFalse();
        JsonNode php = done.path("clusters").get(0);
        assertThat(php.path("alias").asText()).isEqualTo("php");
        assertThat(php.path("state").asText()).isEqualTo("UPDATED");
        assertThat(php.path("batchSize").asInt()).isEqualTo(1);
        assertThat(php.path("batchesPlanned").asInt()).isEqualTo(2);
        assertThat(php.path("memberProgress")).hasSize(2).allSatisfy(m -> {
            assertThat(m.path("state").asText()).isEqualTo("UPDATED");
            assertThat(m.path("fromVersion").asText()).isEqualTo("1.0.0");
            assertThat(m.path("toVersion").asText()).isEqualTo("2.0.0");
            assertThat(m.path("durationMillis").asLong()).isPositive();
        });
        assertThat(php.path("memberProgress").findValuesAsText("batch")).containsExactly("1", "2");
        assertThat(api.memberVersions(app)).containsOnly("2.0.0");
        HttpResponse<String> listed = asViewer.get("/api/updates?applicationId=" + app);
        assertThat(json(listed).findValuesAsText("updateId")).containsExactly(id);
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                Arguments.of("{\"clusters\": [\"nope\"], \"version\": \"2.0\", \"compatible\": true}", "clusters[0]"),
                Arguments.of("{\"clusters\": [\"php\"], \"version\": \"2.0 beta\", \"compatible\": true}", "version"),
                Arguments.of("{\"clusters\": [\"php\"], \"version\": \"2.0;reboot\", \"compatible\": true}", "version"),
                Arguments.of(
                        "{\"clusters\": [\"php\"], \"version\": \"2.0\", \"compatible\": true, \"batchSize\": 0}",
                        "batchSize"),
                Arguments.of(
                        "{\"clusters\": [\"php\"], \"version\": \"2.0\", \"compatible\": true, \"batchSize\": \"101%\"}",
                        "batchSize"),
                Arguments.of(
                        "{\"clusters\": [\"php\"], \"version\": \"2.0\", \"compatible\": true, \"healthTimeout\": \"abc\"}",
                        "healthTimeout"),
                Arguments.of("{\"clusters\": [\"php\"], \"version\": \"2.0\"}", "compatible"),
                Arguments.of(
                        "{\"clusters\": [\"php\"], \"version\": \"2.0\", \"compatible\": true, \"preflight\": \"dry\"}",
                        "preflight"));
    }

    @ParameterizedTest(name = "{1}: {0}")
    @MethodSource("badRequests")
    void aBadRequestIsRefusedNamingTheField(String request, String field) {
        String app = api.simulatedApplication(1);

        HttpResponse<String> refused = api.start(app, request);

        assertProblem(refused, 400);
        assertThat(json(refused).path("errors").findValuesAsText("field")).containsExactly(field);
        assertThat(json(asViewer.get("/api/updates?applicationId=" + app))).isEmpty();
    }

    @Test
    void unknownApplicationsAndUpdatesAreNotFound() {
        assertProblem(api.start("no-such-app", UpdateApiClient.gated("2.0")), 404);
        assertProblem(asViewer.get("/api/updates/upd-000000000000"), 404);
        assertProblem(api.act("upd-000000000000", "pause"), 404);
        assertProblem(asViewer.get("/api/updates?applicationId=no-such-app"), 404);
        assertProblem(asViewer.get("/api/updates?limit=many"), 400);
    }

    @Test
    void aSecondUpdateOfAHeldClusterConflictsAndApprovalLetsTheFirstFinish() {
        String app = api.simulatedApplication(2);
        String id = api.started(app, UpdateApiClient.gated("2.0.0"));
        JsonNode waiting = api.awaitState(id, "WAITING_FOR_APPROVAL");
        assertThat(waiting.path("totals").path("updated").asInt()).isEqualTo(1);
        assertThat(waiting.path("percentComplete").asInt()).isEqualTo(50);
        assertThat(waiting.path("currentBatch").asInt()).isEqualTo(1);

        HttpResponse<String> second = api.start(app, UpdateApiClient.gated("3.0.0"));
        assertProblem(second, 409);
        assertThat(json(second).path("detail").asText()).contains("php").contains(id);

        HttpResponse<String> approved = api.act(id, "approve");
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(202);
        api.awaitState(id, "COMPLETED");
        assertProblem(api.act(id, "approve"), 409);
        assertThat(api.memberVersions(app)).containsOnly("2.0.0");
    }

    @Test
    void aPausedUpdateWaitsUntilResumed() {
        String app = api.simulatedApplication(3);
        String id = api.started(app, """
                {"clusters": ["php"], "version": "2.0.0", "compatible": true, "batchSize": 1, "bakeTime": "PT0.5S"}""");
        assertProblem(api.act(id, "resume"), 409);

        HttpResponse<String> pausing = api.act(id, "pause");
        assertThat(pausing.statusCode()).as(pausing.body()).isEqualTo(202);
        assertThat(json(pausing).path("state").asText()).isIn("PAUSING", "PAUSED");
        JsonNode paused = api.awaitState(id, "PAUSED");
        assertThat(paused.path("totals").path("updating").asInt()).isZero();
        assertThat(paused.path("totals").path("pending").asInt()).isPositive();

        assertThat(api.act(id, "resume").statusCode()).isEqualTo(202);
        api.awaitState(id, "COMPLETED");
        assertThat(api.memberVersions(app)).containsOnly("2.0.0");
    }

    @Test
    void anUpdatePausedAtItsApprovalGateWaitsForApprovalAgainWhenResumed() {
        String app = api.simulatedApplication(2);
        String id = api.started(app, UpdateApiClient.gated("2.0.0"));
        api.awaitState(id, "WAITING_FOR_APPROVAL");

        assertThat(json(api.act(id, "pause")).path("state").asText()).isEqualTo("PAUSING");
        assertThat(json(api.act(id, "resume")).path("state").asText()).isEqualTo("WAITING_FOR_APPROVAL");

        assertThat(api.act(id, "approve").statusCode()).isEqualTo(202);
        api.awaitState(id, "COMPLETED");
    }

    @Test
    void anUpdateApprovedWhilePausingPausesBeforeTheApprovedBatch() {
        String app = api.simulatedApplication(2);
        String id = api.started(app, UpdateApiClient.gated("2.0.0"));
        api.awaitState(id, "WAITING_FOR_APPROVAL");
        api.act(id, "pause");

        assertThat(api.act(id, "approve").statusCode()).isEqualTo(202);

        JsonNode paused = api.awaitState(id, "PAUSED");
        assertThat(paused.path("clusters").get(0).path("approvedBatch").asInt()).isEqualTo(2);
        assertThat(paused.path("totals").path("pending").asInt()).isEqualTo(1);
        assertThat(api.act(id, "resume").statusCode()).isEqualTo(202);
        api.awaitState(id, "COMPLETED");
    }

    @Test
    void abortWithRollbackPutsTheChangedMembersBack() {
        String app = api.simulatedApplication(2);
        String id = api.started(app, UpdateApiClient.gated("2.0.0"));
        api.awaitState(id, "WAITING_FOR_APPROVAL");

        assertProblem(api.act(id, "abort?rollback=perhaps"), 400);
        HttpResponse<String> aborting = api.act(id, "abort?rollback=true");

        assertThat(aborting.statusCode()).as(aborting.body()).isEqualTo(202);
        assertThat(json(aborting).path("requestedAction").asText()).isEqualTo("ABORT_AND_ROLL_BACK");
        JsonNode ended = api.awaitState(id, "ROLLED_BACK");
        assertThat(ended.path("totals").path("rolledBack").asInt()).isEqualTo(1);
        assertThat(api.memberVersions(app)).containsOnly("1.0.0");
        assertThat(ended.has("requestedAction"))
                .as("nothing is pending once it has ended")
                .isFalse();
        assertThat(ended.path("message").asText())
                .isEqualTo("aborted by an operator with rollback: every member "
                        + "the update changed is back on its previous version");
    }

    @Test
    void abortWithoutRollbackLeavesTheUpdatedMembersAsTheyAre() {
        String app = api.simulatedApplication(2);
        String id = api.started(app, UpdateApiClient.gated("2.0.0"));
        api.awaitState(id, "WAITING_FOR_APPROVAL");

        assertThat(api.act(id, "abort").statusCode()).isEqualTo(202);

        JsonNode ended = api.awaitState(id, "ABORTED");
        assertThat(ended.path("totals").path("updated").asInt()).isEqualTo(1);
        assertThat(ended.has("requestedAction")).isFalse();
        assertThat(ended.path("message").asText()).startsWith("aborted by an operator: ");
        assertThat(api.memberVersions(app)).containsExactlyInAnyOrder("1.0.0", "2.0.0");
        assertProblem(api.act(id, "abort"), 409);
    }

    @Test
    void theOpenApiDocumentDescribesTheUpdateEndpoints() {
        JsonNode paths = json(asViewer.get("/api/openapi.json")).path("paths");

        assertThat(paths.path("/applications/{appId}/updates")
                        .path("post")
                        .path("responses")
                        .has("202"))
                .isTrue();
        assertThat(paths.path("/updates").path("get").path("parameters").findValuesAsText("name"))
                .contains("applicationId", "limit");
        assertThat(paths.path("/updates/{updateId}/abort")
                        .path("post")
                        .path("parameters")
                        .findValuesAsText("name"))
                .contains("rollback");
        assertThat(paths.path("/updates/{updateId}/events")
                        .path("get")
                        .path("responses")
                        .path("200")
                        .path("content")
                        .has("text/event-stream"))
                .isTrue();
        assertThat(paths.path("/updates/{updateId}/approve")
                        .path("post")
                        .path("responses")
                        .has("409"))
                .isTrue();
    }

    @Test
    void aViewerReadsUpdatesButMayNotStartOrSteerThem() {
        String app = api.simulatedApplication(1);
        String id = api.started(app, UpdateApiClient.gated("2.0.0"));

        assertProblem(asViewer.postJson("/api/applications/" + app + "/updates", UpdateApiClient.gated("3.0")), 403);
        assertProblem(asViewer.method("POST", "/api/updates/" + id + "/abort"), 403);
        assertThat(asViewer.get("/api/updates/" + id).statusCode()).isEqualTo(200);
        api.awaitState(id, "COMPLETED");
    }
}
