package org.stratos.update.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stratos.update.support.TestHttp.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.camunda.bpm.engine.IdentityService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.stratos.update.security.StratosGroups;
import org.stratos.update.support.ManagerTest;
import org.stratos.update.support.TestHttp;
import org.stratos.update.support.TestUsers;

@ManagerTest
class OpenApiDocumentTest {

    @LocalServerPort
    int port;

    @Autowired
    IdentityService identity;

    @Test
    void describesTheApplicationEndpointsWithTheirAnswers() {
        TestUsers users = new TestUsers(identity);
        TestUsers.Credentials viewer = users.create("reader", StratosGroups.VIEWERS);

        HttpResponse<String> response = TestHttp.anonymous(port).as(viewer).get("/api/openapi.json");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode doc = json(response);
        assertThat(doc.path("openapi").asText()).startsWith("3.");
        assertThat(doc.path("info").path("title").asText()).isEqualTo(OpenApiDocument.TITLE);
        assertThat(doc.path("info").path("version").asText()).isEqualTo(OpenApiDocument.VERSION);
        assertThat(doc.path("servers").get(0).path("url").asText()).isEqualTo("/api");
        JsonNode applications = doc.path("paths").path("/applications");
        assertThat(applications.has("get")).isTrue();
        assertThat(applications.path("post").path("responses").fieldNames())
                .toIterable()
                .contains("201", "400", "401", "403", "409");
        assertThat(applications
                        .path("post")
                        .path("responses")
                        .path("400")
                        .path("content")
                        .has("application/problem+json"))
                .isTrue();
        assertThat(doc.path("paths")
                        .path("/applications/{appId}")
                        .path("get")
                        .path("responses")
                        .has("404"))
                .isTrue();
        assertThat(doc.path("components").path("schemas").fieldNames())
                .toIterable()
                .contains("ApplicationView", "NewApplication", "Problem");
        assertThat(doc.path("components")
                        .path("securitySchemes")
                        .path("basicAuth")
                        .path("scheme")
                        .asText())
                .isEqualTo("basic");
        assertThat(doc.path("paths").has("/openapi.{type}"))
                .as("the document does not describe itself")
                .isFalse();
        users.delete(viewer);
    }
}
