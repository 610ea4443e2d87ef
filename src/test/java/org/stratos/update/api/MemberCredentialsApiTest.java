package org.stratos.update.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.stratos.update.support.TestHttp.json;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.jms.Connection;
import jakarta.jms.JMSSecurityException;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.apache.activemq.broker.BrokerService;
import org.camunda.bpm.engine.IdentityService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.stratos.update.security.StratosGroups;
import org.stratos.update.support.ManagerTest;
import org.stratos.update.support.TestBrokers;
import org.stratos.update.support.TestHttp;
import org.stratos.update.support.TestIds;
import org.stratos.update.support.TestUsers;

/** Registering members and their agents' broker credentials over {@code /api}; rotating and revoking them. */
@ManagerTest
class MemberCredentialsApiTest {

    @LocalServerPort
    int port;

    @Autowired
    IdentityService identity;

    @Autowired
    BrokerService broker;

    @Autowired
    JdbcClient jdbc;

    TestUsers users;
    TestUsers.Credentials operator;
    TestUsers.Credentials viewer;
    TestHttp asOperator;
    TestHttp asViewer;
    String appId;

    @BeforeEach
    void anApplicationWithAVmAndASimulatedCluster() {
        users = new TestUsers(identity);
        operator = users.create("operator", StratosGroups.OPERATORS);
        viewer = users.create("viewer", StratosGroups.VIEWERS);
        asOperator = TestHttp.anonymous(port).as(operator);
        asViewer = TestHttp.anonymous(port).as(viewer);
        appId = TestIds.applicationId("creds");
        assertThat(asOperator
                        .postJson("/api/applications", """
                {"applicationId": "%s", "clusters": [
                   {"alias": "php", "cartridgeType": "php", "runtime": "puppet", "version": "1.0"},
                   {"alias": "sim", "cartridgeType": "php", "runtime": "simulated", "version": "1.0"}]}""".formatted(appId))
                        .statusCode())
                .isEqualTo(201);
    }

    @AfterEach
    void deleteUsers() {
        users.delete(operator);
        users.delete(viewer);
    }

    @Test
    void anOperatorRegistersAMemberAndItsAgentLogsInWithTheCredentialsShownOnce() throws Exception {
        HttpResponse<String> created = asOperator.postJson(members("php"), "{}");

        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("Cache-Control")).hasValue("no-store");
        JsonNode issued = json(created).path("credentials").get(0);
        String memberId = issued.path("memberIds").get(0).asText();
        assertThat(memberId).startsWith(appId + ".php.php.domain");
        assertThat(issued.path("user").asText()).isEqualTo(memberId);
        assertThat(issued.path("kind").asText()).isEqualTo("MEMBER");
        String password = issued.path("password").asText();
        assertThat(password).hasSize(43);
        connect(memberId, password).close();
        String stored = jdbc.sql("select password_hash from stratos_agent_principal where name = ?")
                .param(memberId)
                .query(String.class)
                .single();
        assertThat(stored).startsWith("pbkdf2-sha256:").doesNotContain(password);

        JsonNode shown = json(asOperator.get(credentials(memberId)));
        assertThat(shown.path("user").asText()).isEqualTo(memberId);
        assertThat(shown.path("issuedBy").asText()).isEqualTo(operator.id());
        assertThat(shown.has("password")).isFalse();
    }

    @Test
    void manyMembersShareOneFleetUserOrGetOneEach() {
        JsonNode fleet = json(asOperator.postJson(members("php"), "{\"count\": 3, \"shared\": true}"));
        JsonNode separate = json(asOperator.postJson(members("php"), "{\"count\": 2}"));

        assertThat(fleet.path("credentials")).hasSize(1);
        assertThat(fleet.path("credentials").get(0).path("memberIds")).hasSize(3);
        assertThat(fleet.path("credentials").get(0).path("kind").asText()).isEqualTo("FLEET");
        assertThat(separate.path("credentials")).hasSize(2);
        assertThat(separate.path("credentials").get(0).path("password").asText())
                .isNotEqualTo(
                        separate.path("credentials").get(1).path("password").asText());
    }

    @Test
    void rotatingReplacesThePasswordAndRevokingLocksTheAgentOut() throws Exception {
        JsonNode issued = json(asOperator.postJson(members("php"), "{}"))
                .path("credentials")
                .get(0);
        String memberId = issued.path("user").asText();
        Connection before = connect(memberId, issued.path("password").asText());

        HttpResponse<String> rotated = asOperator.post(credentials(memberId), "application/json", "");
        assertThat(rotated.statusCode()).isEqualTo(200);
        String newPassword = json(rotated).path("password").asText();
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> ((org.apache.activemq.ActiveMQConnection) before).isTransportFailed()
                        || ((org.apache.activemq.ActiveMQConnection) before).isClosed());
        assertThatThrownBy(() -> connect(memberId, issued.path("password").asText()))
                .isInstanceOf(JMSSecurityException.class);
        connect(memberId, newPassword).close();

        assertThat(asOperator.method("DELETE", credentials(memberId)).statusCode())
                .isEqualTo(204);
        assertThatThrownBy(() -> connect(memberId, newPassword)).isInstanceOf(JMSSecurityException.class);
        assertThat(json(asOperator.get(credentials(memberId))).path("revokedAt").isMissingNode())
                .isFalse();
        before.close();
    }

    @Test
    void wrongRequestsAnswerProblems() {
        assertThat(asViewer.postJson(members("php"), "{}").statusCode()).isEqualTo(403);
        assertThat(asViewer.get(credentials("x")).statusCode()).isEqualTo(403);
        assertThat(TestHttp.anonymous(port).postJson(members("php"), "{}").statusCode())
                .isEqualTo(401);
        HttpResponse<String> tooMany = asOperator.postJson(members("php"), "{\"count\": 101}");
        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(json(tooMany).path("errors").get(0).path("field").asText()).isEqualTo("count");
        assertThat(asOperator.postJson(members("nope"), "{}").statusCode()).isEqualTo(404);
        assertThat(asOperator
                        .postJson("/api/applications/no-such-app/clusters/php/members", "{}")
                        .statusCode())
                .isEqualTo(404);
        assertThat(asOperator.postJson(members("sim"), "{}").statusCode()).isEqualTo(409);
        assertThat(asOperator
                        .get(credentials(appId + ".php.php.domain-unknown"))
                        .statusCode())
                .isEqualTo(404);
        assertThat(asOperator
                        .method("DELETE", credentials(appId + ".php.php.domain-unknown"))
                        .statusCode())
                .isEqualTo(404);
    }

    private String members(String alias) {
        return "/api/applications/" + appId + "/clusters/" + alias + "/members";
    }

    private static String credentials(String memberId) {
        return "/api/members/" + memberId + "/credentials";
    }

    private Connection connect(String user, String password) throws Exception {
        return TestBrokers.connect(
                broker.getTransportConnectors().get(0).getPublishableConnectString(), user, password);
    }
}
