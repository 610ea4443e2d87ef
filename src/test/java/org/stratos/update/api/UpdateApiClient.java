package org.stratos.update.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.stratos.update.support.TestHttp.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.stream.StreamSupport;
import org.stratos.update.support.TestHttp;
import org.stratos.update.support.TestIds;

/** Registers simulated applications and drives updates over {@code /api}, as an operator's tool would. */
public final class UpdateApiClient {

    private final TestHttp http;

    public UpdateApiClient(TestHttp operator) {
        this.http = operator;
    }

    /** A fresh application with a simulated VM cluster {@code php} of {@code members} on 1.0.0, all Active. */
    public String simulatedApplication(int members) {
        String app = TestIds.applicationId("upd");
        HttpResponse<String> created = http.postJson("/api/applications", """
                {"applicationId": "%s", "clusters": [
                  {"alias": "php", "cartridgeType": "php", "runtime": "simulated", "version": "1.0.0", "members": %d}]}
                """.formatted(app, members));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(20)).until(() -> activeMembers(app) == members);
        return app;
    }

    public long activeMembers(String app) {
        JsonNode members = json(http.get("/api/applications/" + app))
                .path("clusters")
                .get(0)
                .path("members");
        return StreamSupport.stream(members.spliterator(), false)
                .filter(m -> m.path("state").asText().equals("Active"))
                .count();
    }

    public List<String> memberVersions(String app) {
        JsonNode members = json(http.get("/api/applications/" + app))
                .path("clusters")
                .get(0)
                .path("members");
        return StreamSupport.stream(members.spliterator(), false)
                .map(m -> m.path("version").asText())
                .toList();
    }

    public HttpResponse<String> start(String app, String requestJson) {
        return http.postJson("/api/applications/" + app + "/updates", requestJson);
    }

    /** Starts an update expected to be accepted; answers its id. */
    public String started(String app, String requestJson) {
        HttpResponse<String> response = start(app, requestJson);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return json(response).path("updateId").asText();
    }

    public JsonNode view(String updateId) {
        HttpResponse<String> response = http.get("/api/updates/" + updateId);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response);
    }

    /** Waits until the update is in {@code state}; answers the view then. */
    public JsonNode awaitState(String updateId, String state) {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> view(updateId).path("state").asText(), state::equals);
        return view(updateId);
    }

    public HttpResponse<String> act(String updateId, String action) {
        return http.method("POST", "/api/updates/" + updateId + "/" + action);
    }

    /** A phased update of {@code php} to {@code version}, one member per batch, waiting after the first. */
    public static String gated(String version) {
        return """
                {"clusters": ["php"], "version": "%s", "compatible": true, "batchSize": 1,
                 "approval": "afterFirstBatch", "healthTimeout": "PT30S"}""".formatted(version);
    }
}
