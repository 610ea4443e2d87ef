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
import org.stratos.update.support.TestIds;
import org.stratos.update.support.TestUsers;

@ManagerTest
class ApplicationsApiTest {

    static final String PROBLEM = "application/problem+json";

    @LocalServerPort
    int port;

    @Autowired
    IdentityService identity;

    TestUsers users;
    TestUsers.Credentials operator;
    TestUsers.Credentials viewer;
    TestHttp asOperator;
    TestHttp asViewer;

    @BeforeEach
    void createUsers() {
        users = new TestUsers(identity);
        operator = users.create("operator", StratosGroups.OPERATORS);
        viewer = users.create("viewer", StratosGroups.VIEWERS);
        asOperator = TestHttp.anonymous(port).as(operator);
        asViewer = TestHttp.anonymous(port).as(viewer);
    }

    @AfterEach
    void deleteUsers() {
        users.delete(operator);
        users.delete(viewer);
    }

    static String application(String id) {
        return """
                {"applicationId": "%s", "name": "Shop",
                 "clusters": [
                   {"alias": "mysql", "cartridgeType": "mysql", "runtime": "simulated", "version": "5.7.40",
                    "members": 2},
                   {"alias": "web", "cartridgeType": "php", "runtime": "kubernetes", "imageId": "stratos/php:4.1.5"}],
                 "dependencies": {"startupOrders": [["cartridge.mysql", "cartridge.web"]]}}
                """.formatted(id);
    }

    @Test
    void operatorRegistersAnApplicationAndReadsItBack() {
        String id = TestIds.applicationId("shop");

        HttpResponse<String> created = asOperator.postJson("/api/applications", application(id));

        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).hasValue("/api/applications/" + id);
        assertThat(json(created).path("applicationId").asText()).isEqualTo(id);
        HttpResponse<String> read = asViewer.get("/api/applications/" + id);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        JsonNode app = json(read);
        assertThat(app.path("name").asText()).isEqualTo("Shop");
        assertThat(app.path("clusters")).hasSize(2);
        assertThat(app.path("startupOrders").get(0).get(1).asText()).isEqualTo("cartridge.web");
        JsonNode web =
                app.path("clusters").findParent("alias").path("alias").asText().equals("web")
                        ? app.path("clusters").get(0)
                        : app.path("clusters").get(1);
        assertThat(web.path("imageId").asText()).isEqualTo("stratos/php:4.1.5");
        assertThat(web.has("version")).as("nulls are left out").isFalse();
    }

    @Test
    void viewerListsApplications() {
        String id = TestIds.applicationId("listed");
        assertThat(asOperator.postJson("/api/applications", application(id)).statusCode())
                .isEqualTo(201);

        HttpResponse<String> list = asViewer.get("/api/applications");

        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(json(list).findValuesAsText("applicationId")).contains(id);
    }

    @Test
    void unknownApplicationIsNotFound() {
        HttpResponse<String> response = asViewer.get("/api/applications/no-such-app");

        assertProblem(response, 404);
        assertThat(json(response).path("detail").asText()).contains("no-such-app");
        assertThat(json(response).path("instance").asText()).isEqualTo("/api/applications/no-such-app");
    }

    @Test
    void registeringAnIdTwiceIsAConflict() {
        String id = TestIds.applicationId("twice");
        assertThat(asOperator.postJson("/api/applications", application(id)).statusCode())
                .isEqualTo(201);

        HttpResponse<String> again = asOperator.postJson("/api/applications", application(id));

        assertProblem(again, 409);
        assertThat(json(again).path("detail").asText()).contains(id).contains("already registered");
    }

    @Test
    void unknownPathMethodAndMediaTypeAreProblemsToo() {
        assertProblem(asViewer.get("/api/nothing-here"), 404);

        HttpResponse<String> delete = asOperator.method("DELETE", "/api/applications");
        assertProblem(delete, 405);
        assertThat(delete.headers().firstValue("Allow"))
                .hasValueSatisfying(allow -> assertThat(allow).contains("POST"));

        HttpResponse<String> text = asOperator.post("/api/applications", "text/plain", "shop");
        assertProblem(text, 415);
        assertThat(json(text).path("detail").asText()).contains("text/plain");
    }

    static void assertProblem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith(PROBLEM));
        JsonNode problem = json(response);
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("type").asText()).isEqualTo("about:blank");
        assertThat(problem.path("title").asText()).isNotBlank();
        assertThat(problem.path("detail").asText()).isNotBlank();
        assertThat(problem.path("instance").asText()).startsWith("/api/");
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }
}
