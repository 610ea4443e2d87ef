package org.stratos.update.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.stratos.update.support.TestHttp.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.stream.StreamSupport;
import org.camunda.bpm.engine.IdentityService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.stratos.update.security.StratosGroups;
import org.stratos.update.support.ManagerTest;
import org.stratos.update.support.TestHttp;
import org.stratos.update.support.TestIds;
import org.stratos.update.support.TestUsers;

/** After a container update the application lists the members that serve; the replaced ones on request. */
@ManagerTest
class ReplacedMembersApiTest {

    @LocalServerPort
    int port;

    @Autowired
    IdentityService identity;

    TestUsers users;
    TestUsers.Credentials operator;
    TestHttp asOperator;

    @BeforeEach
    void createUsers() {
        users = new TestUsers(identity);
        operator = users.create("operator", StratosGroups.OPERATORS);
        asOperator = TestHttp.anonymous(port).as(operator);
    }

    @AfterEach
    void deleteUsers() {
        users.delete(operator);
    }

    @Test
    void replacedContainersAreListedOnlyWhenAskedForButAlwaysCounted() {
        String app = TestIds.applicationId("web");
        assertThat(asOperator.postJson("/api/applications", """
                {"applicationId": "%s", "clusters": [{"alias": "web", "cartridgeType": "kubernetes",
                  "runtime": "simulated", "imageId": "stratos/php:1.0", "members": 2}]}""".formatted(app)).statusCode())
                .isEqualTo(201);
        await().atMost(Duration.ofSeconds(20)).until(() -> states(web(app, "")).equals(List.of("Active", "Active")));
        UpdateApiClient api = new UpdateApiClient(asOperator);

        String id = api.started(app, """
                {"clusters": ["web"], "imageId": "stratos/php:2.0", "compatible": true, "batchSize": 1}""");
        api.awaitState(id, "COMPLETED");

        JsonNode serving = web(app, "");
        assertThat(states(serving)).containsExactly("Active", "Active");
        assertThat(serving.path("members"))
                .allSatisfy(m -> assertThat(m.path("version").asText()).isEqualTo("stratos/php:2.0"));
        assertThat(serving.path("memberCounts").path("Terminated").asInt()).isEqualTo(2);
        assertThat(states(web(app, "?terminated=true")))
                .containsExactlyInAnyOrder("Active", "Active", "Terminated", "Terminated");
        HttpResponse<String> wrong = asOperator.get("/api/applications/" + app + "?terminated=maybe");
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(json(wrong).toString()).contains("terminated");
    }

    private JsonNode web(String app, String query) {
        HttpResponse<String> response = asOperator.get("/api/applications/" + app + query);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response).path("clusters").get(0);
    }

    private static List<String> states(JsonNode cluster) {
        return StreamSupport.stream(cluster.path("members").spliterator(), false)
                .map(m -> m.path("state").asText())
                .toList();
    }
}
