package org.stratos.update.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stratos.update.api.ApplicationsApiTest.assertProblem;
import static org.stratos.update.support.TestHttp.json;

import java.net.http.HttpResponse;
import java.util.List;
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
import org.stratos.update.topology.MemberJoin;
import org.stratos.update.topology.MemberState;
import org.stratos.update.topology.MemberTransition;
import org.stratos.update.topology.NewApplication;
import org.stratos.update.topology.TopologyService;

/** Retiring a member that is gone for good: {@code POST /api/members/{memberId}/retire}. */
@ManagerTest
class MemberRetirementApiTest {

    @LocalServerPort
    int port;

    @Autowired
    IdentityService identity;

    @Autowired
    TopologyService topology;

    TestUsers users;
    TestUsers.Credentials operator;
    TestUsers.Credentials viewer;
    String app;
    String clusterId;
    String gone;
    String serving;

    @BeforeEach
    void aClusterWithASuspendedAndAnActiveMember() {
        users = new TestUsers(identity);
        operator = users.create("operator", StratosGroups.OPERATORS);
        viewer = users.create("viewer", StratosGroups.VIEWERS);
        app = TestIds.applicationId("retire");
        topology.register(new NewApplication(
                app, null, List.of(new NewApplication.NewCluster("php", "php", "puppet", "1.0", null, 2)), null));
        clusterId = app + ".php.php.domain";
        gone = clusterId + "-gone";
        serving = clusterId + "-serving";
        topology.join(new MemberJoin(app, clusterId, gone, "1.0", null), true);
        topology.join(new MemberJoin(app, clusterId, serving, "1.0", null), true);
        topology.changeMemberState(gone, MemberState.SUSPENDED, null, "failed an update", null);
    }

    @AfterEach
    void deleteUsers() {
        users.delete(operator);
        users.delete(viewer);
    }

    @Test
    void anOperatorRetiresAMemberThatIsGoneAndTheTransitionLogSaysWho() {
        HttpResponse<String> retired = retire(operator, gone);

        assertThat(retired.statusCode()).as(retired.body()).isEqualTo(200);
        assertThat(json(retired).path("memberId").asText()).isEqualTo(gone);
        assertThat(json(retired).path("state").asText()).isEqualTo("Terminated");
        assertThat(topology.transitions(gone)).last().satisfies(t -> {
            assertThat(t.from()).isEqualTo(MemberState.SUSPENDED);
            assertThat(t.to()).isEqualTo(MemberState.TERMINATED);
            assertThat(t.reason()).isEqualTo("retired by " + operator.id() + ": gone for good");
        });
        assertProblem(retire(operator, gone), 409);
    }

    @Test
    void anActiveMemberLeavesServiceBeforeItIsTerminated() {
        assertThat(retire(operator, serving).statusCode()).isEqualTo(200);

        assertThat(topology.transitions(serving))
                .extracting(MemberTransition::to)
                .endsWith(MemberState.SUSPENDED, MemberState.TERMINATED);
    }

    @Test
    void viewersMayNotRetireUnknownMembersAreNotFoundAndAHeldClusterKeepsItsMembers() {
        assertProblem(retire(viewer, gone), 403);
        assertProblem(retire(operator, clusterId + "-nobody"), 404);

        topology.lockCluster(clusterId, "upd-holding");
        HttpResponse<String> held = retire(operator, gone);
        topology.unlockCluster(clusterId, "upd-holding");

        assertProblem(held, 409);
        assertThat(json(held).path("detail").asText()).contains("upd-holding");
        assertThat(topology.member(gone).state()).isEqualTo(MemberState.SUSPENDED);
    }

    private HttpResponse<String> retire(TestUsers.Credentials user, String memberId) {
        return TestHttp.anonymous(port).as(user).method("POST", "/api/members/" + memberId + "/retire");
    }
}
