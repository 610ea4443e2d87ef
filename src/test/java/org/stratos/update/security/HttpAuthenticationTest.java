package org.stratos.update.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stratos.update.support.TestHttp.json;

import java.net.http.HttpResponse;
import org.camunda.bpm.engine.IdentityService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.stratos.update.support.ManagerTest;
import org.stratos.update.support.TestHttp;
import org.stratos.update.support.TestUsers;

/** Who gets in where: /api and /actuator by HTTP Basic against Camunda's users, /engine-rest by Camunda's filter. */
@ManagerTest
class HttpAuthenticationTest {

    static final String CHALLENGE = "Basic realm=\"Stratos Update Manager\"";

    @LocalServerPort
    int port;

    @Autowired
    IdentityService identity;

    @Value("${camunda.bpm.admin-user.id}")
    String adminId;

    @Value("${camunda.bpm.admin-user.password}")
    String adminPassword;

    TestUsers users;
    TestUsers.Credentials viewer;
    TestUsers.Credentials nobody;
    TestHttp anonymous;

    @BeforeEach
    void createUsers() {
        users = new TestUsers(identity);
        viewer = users.create("viewer", StratosGroups.VIEWERS);
        nobody = users.create("nobody");
        anonymous = TestHttp.anonymous(port);
    }

    @AfterEach
    void deleteUsers() {
        users.delete(viewer);
        users.delete(nobody);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/applications", "/api/openapi.json", "/actuator/prometheus", "/actuator/metrics"})
    void withoutCredentialsTheAnswerIs401WithAChallengeAndAProblem(String path) {
        assertUnauthenticated(anonymous.get(path));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/applications", "/actuator/prometheus"})
    void aWrongPasswordIs401(String path) {
        assertUnauthenticated(anonymous.as(viewer.id(), viewer.password() + "x").get(path));
        assertUnauthenticated(anonymous.as("no-such-user", "whatever").get(path));
    }

    @Test
    void aMalformedAuthorizationHeaderIs401() {
        HttpResponse<String> response = anonymous.as("", "").get("/api/applications");

        assertUnauthenticated(response);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/engine-rest/process-definition",
                "/engine-rest/engine",
                "/engine-rest/engine/",
                "/engine-rest/engine/default/process-definition",
                "/engine-rest/engine/nosuch/process-definition",
                "/engine-rest",
                "/engine-rest/"
            })
    void engineRestWantsCredentialsOnEveryPath(String path) {
        assertThat(anonymous.get(path).statusCode()).isEqualTo(401);
        assertThat(anonymous.as(viewer.id(), "wrong").get(path).statusCode()).isEqualTo(401);
    }

    @Test
    void engineRestAnswersTheRightPasswordAtOnceAfterAWrongOne() {
        assertThat(anonymous.as(viewer.id(), "wrong").get("/engine-rest/engine").statusCode())
                .isEqualTo(401);
        assertThat(anonymous.as(viewer).get("/engine-rest/engine").statusCode()).isEqualTo(200);
        assertThat(anonymous.as(viewer).get("/engine-rest/process-definition").statusCode())
                .isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/engine-rest/identity/verify",
                "/engine-rest/engine/default/identity/verify",
                "/engine-rest/identity;x=1/%76erify"
            })
    void engineRestRefusesToCheckPasswordsForItsCallers(String path) {
        HttpResponse<String> verify = anonymous
                .as(adminId, adminPassword)
                .postJson(path, "{\"username\": \"" + viewer.id() + "\", \"password\": \"" + viewer.password() + "\"}");

        assertThat(verify.statusCode()).isEqualTo(403);
        assertThat(verify.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json(verify).path("detail").asText()).contains("throttle");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness"})
    void healthNeedsNoCredentials(String path) {
        assertThat(anonymous.get(path).statusCode()).isEqualTo(200);
    }

    @Test
    void viewersReadAndSeeMetrics() {
        // (Spring Boot tests switch the Prometheus export off, so /actuator/prometheus is 404 past authentication)
        assertThat(anonymous.as(viewer).get("/api/applications").statusCode()).isEqualTo(200);
        assertThat(anonymous.as(viewer).get("/actuator/metrics").statusCode()).isEqualTo(200);
    }

    @Test
    void aViewerMayNotRegisterAnApplication() {
        HttpResponse<String> response = anonymous.as(viewer).postJson("/api/applications", "{}");

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json(response).path("detail").asText())
                .contains(viewer.id())
                .contains("POST /api/applications")
                .contains(StratosGroups.OPERATORS);
    }

    @Test
    void aUserInNeitherGroupMayNeitherReadNorSeeMetrics() {
        HttpResponse<String> api = anonymous.as(nobody).get("/api/applications");
        HttpResponse<String> metrics = anonymous.as(nobody).get("/actuator/metrics");

        assertThat(api.statusCode()).isEqualTo(403);
        assertThat(metrics.statusCode()).isEqualTo(403);
        assertThat(json(metrics).path("detail").asText()).contains(StratosGroups.VIEWERS);
    }

    @Test
    void theAdminIsAnOperator() {
        HttpResponse<String> response = anonymous.as(adminId, adminPassword).postJson("/api/applications", "{}");

        assertThat(response.statusCode())
                .as("past authorization, refused by validation")
                .isEqualTo(400);
    }

    private static void assertUnauthenticated(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(challenge -> assertThat(challenge).startsWith(CHALLENGE));
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json(response).path("status").asInt()).isEqualTo(401);
        assertThat(json(response).path("instance").asText()).startsWith("/");
    }
}
