package org.stratos.update.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.stratos.update.support.ManagerTest;
import org.stratos.update.support.TestHttp;

/** The webapps keep Camunda's own login: the page is served, the data behind it needs a session. */
@ManagerTest
class WebappLoginTest {

    @LocalServerPort
    int port;

    @Test
    void cockpitServesItsLoginApp() {
        HttpResponse<String> page = TestHttp.anonymous(port).get("/camunda/app/cockpit/default/");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).contains("text/html"));
        assertThat(page.body()).containsIgnoringCase("cockpit");
    }

    @Test
    void cockpitDataNeedsALoggedInSession() {
        HttpResponse<String> data =
                TestHttp.anonymous(port).get("/camunda/api/engine/engine/default/process-definition");

        assertThat(data.statusCode()).isIn(401, 403);
    }

    @Test
    void basicCredentialsDoNotOpenTheWebappApi() {
        HttpResponse<String> data = TestHttp.anonymous(port)
                .as("admin", "anything")
                .get("/camunda/api/cockpit/plugin/base/default/process-definition/statistics");

        assertThat(data.statusCode()).isIn(401, 403);
    }
}
