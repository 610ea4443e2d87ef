package org.stratos.update.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.stratos.update.api.ApplicationsApiTest.assertProblem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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

/** GET /api/updates/{id}/events: server-sent progress until the update ends. */
@ManagerTest
class UpdateEventsApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    @Autowired
    IdentityService identity;

    @Autowired
    UpdateEventStreams streams;

    TestUsers users;
    TestUsers.Credentials operator;
    TestUsers.Credentials viewer;
    UpdateApiClient api;

    @BeforeEach
    void createUsers() {
        users = new TestUsers(identity);
        operator = users.create("operator", StratosGroups.OPERATORS);
        viewer = users.create("viewer", StratosGroups.VIEWERS);
        api = new UpdateApiClient(TestHttp.anonymous(port).as(operator));
    }

    @AfterEach
    void deleteUsers() {
        users.delete(operator);
        users.delete(viewer);
    }

    @Test
    void aViewerWatchesProgressEventsUntilTheEndedEventClosesTheStream() throws Exception {
        String app = api.simulatedApplication(2);
        String id = api.started(app, """
                {"clusters": ["php"], "version": "2.0.0", "compatible": true, "batchSize": 1, "bakeTime": "PT0.5S"}""");

        HttpResponse<InputStream> stream = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(
                                        URI.create("http://127.0.0.1:" + port + "/api/updates/" + id + "/events"))
                                .header("Accept", "text/event-stream")
                                .header("Authorization", basic(viewer))
                                .build(),
                        HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
        // read on another thread, so a stream that never ends fails the test instead of hanging it
        List<Event> events =
                CompletableFuture.supplyAsync(() -> read(stream.body())).get(60, TimeUnit.SECONDS);

        assertThat(events).hasSizeGreaterThanOrEqualTo(3);
        assertThat(events.get(events.size() - 1).name()).isEqualTo("ended");
        assertThat(events.subList(0, events.size() - 1))
                .allSatisfy(e -> assertThat(e.name()).isEqualTo("progress"));
        assertThat(events.stream().map(e -> Long.parseLong(e.id())).toList())
                .isSorted()
                .doesNotHaveDuplicates();
        assertThat(events.stream().map(e -> e.data().path("updateId").asText())).containsOnly(id);
        assertThat(events.stream()
                        .map(e -> e.data().path("totals").path("updated").asInt()))
                .as("progress is seen member by member")
                .contains(1);
        JsonNode last = events.get(events.size() - 1).data();
        assertThat(last.path("state").asText()).isEqualTo("COMPLETED");
        assertThat(last.path("percentComplete").asInt()).isEqualTo(100);
        await().atMost(Duration.ofSeconds(5)).until(() -> streams.openStreams() == 0);
    }

    @Test
    void anEndedUpdateAnswersItsLastStateAndClosesAtOnce() throws Exception {
        String app = api.simulatedApplication(1);
        String id = api.started(app, """
                {"clusters": ["php"], "version": "2.0.0", "compatible": false}""");
        api.awaitState(id, "COMPLETED");

        HttpResponse<InputStream> stream = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(
                                        URI.create("http://127.0.0.1:" + port + "/api/updates/" + id + "/events"))
                                .header("Authorization", basic(viewer))
                                .build(),
                        HttpResponse.BodyHandlers.ofInputStream());
        List<Event> events =
                CompletableFuture.supplyAsync(() -> read(stream.body())).get(10, TimeUnit.SECONDS);

        assertThat(events).extracting(Event::name).containsExactly("progress", "ended");
    }

    @Test
    void watchingAnUnknownUpdateIsNotFound() {
        assertProblem(TestHttp.anonymous(port).as(viewer).get("/api/updates/upd-000000000000/events"), 404);
    }

    private static String basic(TestUsers.Credentials user) {
        return "Basic "
                + Base64.getEncoder()
                        .encodeToString((user.id() + ":" + user.password()).getBytes(StandardCharsets.UTF_8));
    }

    /** Reads events until the server closes the stream. */
    private static List<Event> read(InputStream body) {
        List<Event> events = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String name = null;
            String id = null;
            StringBuilder data = new StringBuilder();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isEmpty()) {
                    if (name != null) {
                        events.add(new Event(name, id, JSON.readTree(data.toString())));
                    }
                    name = null;
                    id = null;
                    data.setLength(0);
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).trim();
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).trim();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).trim());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return events;
    }

    record Event(String name, String id, JsonNode data) {}
}
