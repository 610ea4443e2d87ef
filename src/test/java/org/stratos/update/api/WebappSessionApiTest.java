package org.stratos.update.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stratos.update.support.TestHttp.json;

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
import org.stratos.update.support.TestUsers;
import org.stratos.update.support.WebappSession;

/**
 * The Cockpit plugin and the Tasklist form call {@code /api} with the user's webapp login: the same permissions as
 * with HTTP Basic, and state-changing calls only with the session's CSRF token.
 */
@ManagerTest
class WebappSessionApiTest {

    @LocalServerPort
    int port;

    @Autowired
    IdentityService identity;

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
    void anOperatorLoggedIntoCockpitActsWithTheSessionsCsrfTokenAndOnlyWithIt() {
        String id = api.started(api.simulatedApplication(2), UpdateApiClient.gated("2.0.0"));
        api.awaitState(id, "WAITING_FOR_APPROVAL");
        WebappSession cockpit = WebappSession.loggedIn(port, operator);

        assertThat(json(cockpit.get("/api/me")).path("operator").asBoolean()).isTrue();
        assertThat(json(cockpit.get("/api/updates/" + id)).path("state").asText())
                .isEqualTo("WAITING_FOR_APPROVAL");

        HttpResponse<String> withoutToken = cockpit.post("/api/updates/" + id + "/pause", null);
        assertThat(withoutToken.statusCode()).isEqualTo(403);
        assertThat(json(withoutToken).path("detail").asText()).contains("X-XSRF-TOKEN");
        HttpResponse<String> wrongToken = cockpit.post("/api/updates/" + id + "/pause", "forged");
        assertThat(wrongToken.statusCode()).isEqualTo(403);
        assertThat(api.view(id).path("state").asText()).as("nothing changed").isEqualTo("WAITING_FOR_APPROVAL");

        HttpResponse<String> approved = cockpit.post("/api/updates/" + id + "/approve", cockpit.csrfToken());
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(202);
        api.awaitState(id, "COMPLETED");
    }

    @Test
    void aViewerLoggedIntoCockpitReadsButCannotAct() {
        String id = api.started(api.simulatedApplication(2), UpdateApiClient.gated("2.0.0"));
        api.awaitState(id, "WAITING_FOR_APPROVAL");
        WebappSession cockpit = WebappSession.loggedIn(port, viewer);

        assertThat(json(cockpit.get("/api/me")).path("operator").asBoolean()).isFalse();
        assertThat(cockpit.get("/api/updates/" + id + "/next-batch").statusCode())
                .isEqualTo(200);
        HttpResponse<String> pause = cockpit.post("/api/updates/" + id + "/pause", cockpit.csrfToken());
        assertThat(pause.statusCode()).isEqualTo(403);
        assertThat(api.view(id).path("state").asText()).isEqualTo("WAITING_FOR_APPROVAL");
        api.act(id, "abort");
    }

    @Test
    void theSessionCountsOnlyWhileTheUserIsLoggedInAndExistsWithTheGroupsItHasNow() {
        WebappSession cockpit = WebappSession.loggedIn(port, operator);
        assertThat(json(cockpit.get("/api/me")).path("operator").asBoolean()).isTrue();

        identity.deleteMembership(operator.id(), StratosGroups.OPERATORS);
        identity.createMembership(operator.id(), StratosGroups.VIEWERS);
        assertThat(json(cockpit.get("/api/me")).path("operator").asBoolean())
                .as("taken out of operators")
                .isFalse();

        cockpit.logOut();
        assertThat(cockpit.get("/api/me").statusCode()).as("logged out").isEqualTo(401);
        assertThat(TestHttp.anonymous(port).get("/api/me").statusCode())
                .as("no session at all")
                .isEqualTo(401);
    }

    @Test
    void basicCredentialsInTheRequestWinOverTheSession() {
        WebappSession cockpit = WebappSession.loggedIn(port, operator);
        HttpResponse<String> wrongBasic =
                TestHttp.anonymous(port).as(operator.id(), "wrong").get("/api/me");

        assertThat(wrongBasic.statusCode()).isEqualTo(401);
        assertThat(json(cockpit.get("/api/me")).path("userId").asText()).isEqualTo(operator.id());
    }
}
