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
import org.stratos.update.support.TestIds;
import org.stratos.update.support.TestUsers;

/** Bad registrations answer 400 problems that name the field: rule violations, malformed JSON, wrong JSON types. */
@ManagerTest
class ApplicationInputProblemsTest {

    @LocalServerPort
    int port;

    @Autowired
    IdentityService identity;

    TestUsers users;
    TestUsers.Credentials operator;
    TestHttp asOperator;

    @BeforeEach
    void createOperator() {
        users = new TestUsers(identity);
        operator = users.create("operator", StratosGroups.OPERATORS);
        asOperator = TestHttp.anonymous(port).as(operator);
    }

    @AfterEach
    void deleteOperator() {
        users.delete(operator);
    }

    static String app(String id, String cluster, String startupOrders) {
        return """
                {"applicationId": %s,
                 "clusters": [%s, {"alias": "db", "cartridgeType": "mysql", "runtime": "puppet", "version": "5.7"}],
                 "dependencies": {"startupOrders": %s}}""".formatted(id, cluster, startupOrders);
    }

    static String cluster(String alias, String runtime, String versionAndImage) {
        return """
                {"alias": "%s", "cartridgeType": "php", "runtime": "%s", %s}""".formatted(alias, runtime, versionAndImage);
    }

    static Stream<Arguments> brokenRules() {
        String goodCluster = cluster("php", "simulated", "\"version\": \"4.1.5\"");
        String noOrders = "[]";
        return Stream.of(
                Arguments.of(
                        "missing applicationId", app("null", goodCluster, noOrders), "applicationId", "is required"),
                Arguments.of(
                        "alias breaking the pattern",
                        app(id(), cluster("no spaces!", "simulated", "\"version\": \"1\""), noOrders),
                        "clusters[0].alias",
                        "letters, digits"),
                Arguments.of(
                        "unknown runtime",
                        app(id(), cluster("php", "chef", "\"version\": \"1\""), noOrders),
                        "clusters[0].runtime",
                        "'chef' is not one of"),
                Arguments.of(
                        "version and imageId both",
                        app(
                                id(),
                                cluster("php", "simulated", "\"version\": \"1\", \"imageId\": \"stratos/php:1\""),
                                noOrders),
                        "clusters[0]",
                        "exactly one of 'version'"),
                Arguments.of(
                        "neither version nor imageId",
                        app(id(), cluster("php", "simulated", "\"members\": 1"), noOrders),
                        "clusters[0]",
                        "exactly one of 'version'"),
                Arguments.of(
                        "startup order naming an unknown cartridge",
                        app(id(), goodCluster, "[[\"cartridge.db\", \"cartridge.nosuch\"]]"),
                        "dependencies.startupOrders[0][1]",
                        "'cartridge.nosuch' names no cluster"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenRules")
    void aBrokenRuleIsNamedByItsField(String rule, String body, String field, String reason) {
        HttpResponse<String> response = asOperator.postJson("/api/applications", body);

        assertProblem(response, 400);
        JsonNode problem = json(response);
        assertThat(problem.path("errors").findValuesAsText("field")).contains(field);
        assertThat(problem.path("errors").findValuesAsText("reason"))
                .anySatisfy(r -> assertThat(r).contains(reason));
        assertThat(problem.path("detail").asText())
                .startsWith(problem.path("errors").get(0).path("field").asText());
    }

    @Test
    void malformedJsonIsRefusedSayingWhere() {
        String broken = "{\"applicationId\": \"x\",\n \"clusters\": [}";

        HttpResponse<String> response = asOperator.postJson("/api/applications", broken);

        assertProblem(response, 400);
        JsonNode problem = json(response);
        assertThat(problem.path("detail").asText())
                .contains("not well-formed JSON")
                .contains("line 2");
        assertThat(problem.path("errors").get(0).path("field").asText()).isEqualTo("clusters");
    }

    @Test
    void aWrongJsonTypeIsNamedByItsPath() {
        String body = app(id(), cluster("php", "simulated", "\"version\": \"1\", \"members\": \"six\""), "[]");

        HttpResponse<String> response = asOperator.postJson("/api/applications", body);

        assertProblem(response, 400);
        JsonNode problem = json(response);
        assertThat(problem.path("detail").asText()).isEqualTo("clusters[0].members: expected a number");
        assertThat(problem.path("errors").get(0).path("field").asText()).isEqualTo("clusters[0].members");
    }

    @Test
    void aListWhereTheApplicationShouldBeIsRefused() {
        HttpResponse<String> response = asOperator.postJson("/api/applications", "[1, 2]");

        assertProblem(response, 400);
        assertThat(json(response).path("detail").asText()).isEqualTo("body: expected an object");
    }

    @Test
    void anEmptyBodyIsRefused() {
        HttpResponse<String> response = asOperator.postJson("/api/applications", "");

        assertProblem(response, 400);
        assertThat(json(response).path("errors").findValuesAsText("field")).containsExactly("body");
    }

    private static String id() {
        return "\"" + TestIds.applicationId("bad") + "\"";
    }
}
