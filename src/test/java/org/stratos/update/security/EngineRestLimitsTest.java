package org.stratos.update.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.util.unit.DataSize;
import org.stratos.update.support.ManagerTest;
import org.stratos.update.support.RawHttp;
import org.stratos.update.support.TestUsers;

/** Camunda's /engine-rest behind the same refusal of huge bodies as /api (docs/security.md, Input). */
@ManagerTest
class EngineRestLimitsTest {

    private static final String START = "/engine-rest/process-definition/key/softwareUpdate/start";

    @LocalServerPort
    int port;

    @Autowired
    IdentityService identity;

    @Autowired
    RuntimeService runtime;

    @Value("${stratos.engine-rest.max-body-size}")
    DataSize limit;

    TestUsers users;
    TestUsers.Credentials operator;

    @BeforeEach
    void createOperator() {
        users = new TestUsers(identity);
        operator = users.create("operator", StratosGroups.OPERATORS);
    }

    @AfterEach
    void deleteOperator() {
        users.delete(operator);
    }

    @Test
    void aBodyDeclaredLargerThanTheLimitIsRefusedBeforeItIsRead() {
        long started = runtime.createProcessInstanceQuery().count();
        RawHttp.Answer answer = RawHttp.exchange(
                port,
                RawHttp.head("POST", START, "application/json", 10L * 1024 * 1024, login()),
                "{\"variables\": {\"applicationId\": {\"value\": \"".getBytes(StandardCharsets.US_ASCII));

        assertTooLarge(answer);
        assertThat(runtime.createProcessInstanceQuery().count()).isEqualTo(started);
    }

    @Test
    void aChunkedBodyIsRefusedOnceItPassesTheLimit() {
        byte[] piece = " ".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
        java.io.ByteArrayOutputStream chunks = new java.io.ByteArrayOutputStream();
        for (long sent = 0; sent <= limit.toBytes(); sent += piece.length) {
            chunks.writeBytes(RawHttp.chunk(piece));
        }
        // no last chunk: the body never ends, the refusal cannot wait for it
        RawHttp.Answer answer = RawHttp.exchange(
                port, RawHttp.head("POST", START, "application/json", -1, login()), chunks.toByteArray());

        assertTooLarge(answer);
    }

    @Test
    void aBodyWithinTheLimitReachesCamunda() {
        byte[] body = "{\"processDefinitionKey\": \"softwareUpdate\"}".getBytes(StandardCharsets.US_ASCII);
        RawHttp.Answer answer = RawHttp.exchange(
                port,
                RawHttp.head("POST", "/engine-rest/process-instance/count", "application/json", body.length, login()),
                body);

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().path("count").isNumber()).isTrue();
    }

    @Test
    void aStrangersLargeBodyHearsOnlyThatItMustLogIn() {
        RawHttp.Answer answer = RawHttp.exchange(
                port, RawHttp.head("POST", START, "application/json", 10L * 1024 * 1024, null), new byte[1024]);

        assertThat(answer.status()).isEqualTo(401);
    }

    private String login() {
        return operator.id() + ":" + operator.password();
    }

    private void assertTooLarge(RawHttp.Answer answer) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(413);
        assertThat(answer.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(answer.json().path("detail").asText())
                .contains(String.valueOf(limit.toBytes()))
                .contains("stratos.engine-rest.max-body-size");
        assertThat(answer.json().path("instance").asText()).isEqualTo(START);
        assertThat(answer.body().length()).isLessThan(1024);
    }
}
