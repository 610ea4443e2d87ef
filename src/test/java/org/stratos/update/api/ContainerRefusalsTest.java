package org.stratos.update.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.stratos.update.support.ManagerTest;
import org.stratos.update.support.RawHttp;

/** Requests Tomcat refuses before any of the manager's code runs answer problem documents, not Tomcat's HTML. */
@ManagerTest
class ContainerRefusalsTest {

    @LocalServerPort
    int port;

    @ParameterizedTest
    @ValueSource(
            strings = {
                "GET /api/applications/a%2Fb HTTP/1.1",
                "GET /engine-rest/process-definition/%5C..%5C HTTP/1.1",
                "GET /api/a b c HTTP/1.1",
                "G@T /api/applications HTTP/1.1",
                "GET /api/{applications} HTTP/1.1",
                "hello"
            })
    void aMalformedRequestLineOrPathIsAProblem(String requestLine) {
        assertBadRequestProblem(
                RawHttp.exchange(port, requestLine + "\r\nHost: localhost\r\nConnection: close\r\n\r\n", new byte[0]));
    }

    @Test
    void aHeaderOverTheSizeLimitIsAProblem() {
        String huge = "x".repeat(60 * 1024);

        assertBadRequestProblem(RawHttp.exchange(
                port,
                "GET /api/applications HTTP/1.1\r\nHost: localhost\r\n" + "X-Huge: " + huge
                        + "\r\nConnection: close\r\n\r\n",
                new byte[0]));
    }

    @Test
    void aMalformedHeaderIsAProblem() {
        assertBadRequestProblem(RawHttp.exchange(
                port,
                "GET /api/applications HTTP/1.1\r\nHost: localhost\r\n" + "Bad Header: y\r\nConnection: close\r\n\r\n",
                new byte[0]));
    }

    @Test
    void aPathWithNothingThereIsAProblemOutsideTheApiToo() {
        RawHttp.Answer answer = RawHttp.exchange(
                port,
                "GET /nothing/here HTTP/1.1\r\nHost: localhost\r\n" + "Accept: text/html\r\nConnection: close\r\n\r\n",
                new byte[0]);

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(answer.json().path("detail").asText()).isEqualTo("there is nothing at /nothing/here");
    }

    private static void assertBadRequestProblem(RawHttp.Answer answer) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        assertThat(answer.json().path("status").asInt()).isEqualTo(400);
        assertThat(answer.json().path("title").asText()).isEqualTo("Bad Request");
        assertThat(answer.json().path("detail").asText()).contains("refused before it reached the application");
        assertThat(answer.body().getBytes(StandardCharsets.UTF_8).length).isLessThan(1024);
    }
}
