package org.stratos.update.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.stratos.update.common.ConflictException;
import org.stratos.update.common.InvalidInputException;
import org.stratos.update.support.ManagerTest;
import org.stratos.update.support.TestIds;

@ManagerTest
class TopologyServiceTest {

    @Autowired
    TopologyService topology;

    String appId;
    String clusterId;
    String memberId;

    @BeforeEach
    void anApplicationWithOneActiveMember() {
        appId = TestIds.applicationId("topo");
        topology.register(new NewApplication(
                appId,
                "Topo",
                List.of(
                        new NewApplication.NewCluster("mysql", "mysql", "puppet", "5.7", null, null),
                        new NewApplication.NewCluster("php", "php", "puppet", "4.1.5", null, null)),
                new NewApplication.Dependencies(List.of(List.of("cartridge.mysql", "cartridge.php")))));
        clusterId = Cluster.idOf(appId, "php", "php");
        memberId = clusterId + UUID.randomUUID();
        topology.join(new MemberJoin(appId, clusterId, memberId, "4.1.5", "10.0.0.7"), true);
    }

    @Test
    void aBatchIsMarkedUpdatingAtOnceEachChangeLoggedFromItsOwnState() {
        String suspended = clusterId + UUID.randomUUID();
        topology.join(new MemberJoin(appId, clusterId, suspended, "4.1.5", null), true);
        topology.changeMemberState(suspended, MemberState.SUSPENDED, null, "failed", null);

        topology.startUpdatingAll(
                List.of(
                        new TopologyService.UpdatingMove(memberId, "4.1.6", "update u to 4.1.6"),
                        new TopologyService.UpdatingMove(suspended, "4.1.6", "update u to 4.1.6")),
                "upd-batch");

        assertThat(topology.member(memberId).state()).isEqualTo(MemberState.UPDATING);
        assertThat(topology.member(memberId).version()).isEqualTo("4.1.5"); // until it is Active on the new one
        assertThat(topology.transitions(memberId)).last().satisfies(t -> {
            assertThat(t.from()).isEqualTo(MemberState.ACTIVE);
            assertThat(t.to()).isEqualTo(MemberState.UPDATING);
            assertThat(t.reason()).isEqualTo("update u to 4.1.6");
        });
        assertThat(topology.transitions(suspended)).last().satisfies(t -> {
            assertThat(t.from()).isEqualTo(MemberState.SUSPENDED);
            assertThat(t.to()).isEqualTo(MemberState.UPDATING);
        });
    }

    @Test
    void aBatchIsActivatedOnItsNewVersionAtOnceEachChangeLoggedWithThatVersion() {
        String second = clusterId + UUID.randomUUID();
        topology.join(new MemberJoin(appId, clusterId, second, "4.1.5", null), true);
        topology.startUpdatingAll(
                List.of(
                        new TopologyService.UpdatingMove(memberId, "4.1.6", "update"),
                        new TopologyService.UpdatingMove(second, "4.1.6", "update")),
                "upd-batch");

        topology.activateAll(
                List.of(
                        new TopologyService.ActivatingMove(memberId, "4.1.6", "updated to 4.1.6"),
                        new TopologyService.ActivatingMove(second, "4.1.6", "updated to 4.1.6")),
                "upd-batch");

        for (String id : List.of(memberId, second)) {
            assertThat(topology.member(id).state()).isEqualTo(MemberState.ACTIVE);
            assertThat(topology.member(id).version()).isEqualTo("4.1.6");
            assertThat(topology.transitions(id)).last().satisfies(t -> {
                assertThat(t.from()).isEqualTo(MemberState.UPDATING);
                assertThat(t.to()).isEqualTo(MemberState.ACTIVE);
                assertThat(t.version()).isEqualTo("4.1.6");
                assertThat(t.reason()).isEqualTo("updated to 4.1.6");
            });
        }
    }

    @Test
    void aBatchWithOneMemberThatCannotBeActivatedIsRefusedBeforeAnyChange() {
        String active = clusterId + UUID.randomUUID();
        topology.join(new MemberJoin(appId, clusterId, active, "4.1.5", null), true);
        topology.startUpdating(memberId, "4.1.6", "update", "upd-batch");
        topology.changeMemberState(active, MemberState.SUSPENDED, null, "failed", null);

        assertThatThrownBy(() -> topology.activateAll(
                        List.of(
                                new TopologyService.ActivatingMove(memberId, "4.1.6", "updated"),
                                new TopologyService.ActivatingMove(active + "-gone", "4.1.6", "updated")),
                        "upd-batch"))
                .hasMessageContaining("-gone");
        assertThat(topology.member(memberId).state()).isEqualTo(MemberState.UPDATING);
        assertThat(topology.member(memberId).version()).isEqualTo("4.1.5");
    }

    @Test
    void aBatchWithOneMemberThatCannotBeMarkedUpdatingIsRefusedBeforeAnyChange() {
        String updating = clusterId + UUID.randomUUID();
        topology.join(new MemberJoin(appId, clusterId, updating, "4.1.5", null), true);
        topology.startUpdating(updating, "4.1.6", "earlier", "upd-other");

        assertThatThrownBy(() -> topology.startUpdatingAll(
                        List.of(
                                new TopologyService.UpdatingMove(memberId, "4.1.6", "update"),
                                new TopologyService.UpdatingMove(updating, "4.1.6", "update")),
                        "upd-batch"))
                .isInstanceOf(InvalidTransitionException.class);
        assertThat(topology.member(memberId).state()).isEqualTo(MemberState.ACTIVE);
    }

    @Test
    void registeredApplicationShowsClustersInStartupOrderWithMembers() {
        ApplicationView view = topology.application(appId);

        assertThat(view.clusters())
                .extracting(ApplicationView.ClusterView::alias)
                .containsExactly("mysql", "php");
        assertThat(view.clusters().get(1).startupStage()).isEqualTo(1);
        assertThat(view.clusters().get(1).clusterId()).isEqualTo(appId + ".php.php.domain");
        assertThat(view.clusters().get(1).members()).singleElement().satisfies(m -> {
            assertThat(m.state()).isEqualTo(MemberState.ACTIVE);
            assertThat(m.version()).isEqualTo("4.1.5");
            assertThat(m.address()).isEqualTo("10.0.0.7");
        });
    }

    @Test
    void aClusterFollowsItsMembersItsVersionWhenAllActiveOnesAgreeInactiveWhenNoneServes() {
        String second = clusterId + UUID.randomUUID();
        topology.join(new MemberJoin(appId, clusterId, second, "4.1.5", null), true);
        topology.startUpdating(memberId, "4.1.6", "update", "upd-t");
        topology.changeMemberState(memberId, MemberState.ACTIVE, "4.1.6", "updated", "upd-t");

        // mixed: the version stays the one they all ran; the API lists each version with its members
        assertThat(topology.settleCluster(clusterId, "upd-t").version()).isEqualTo("4.1.5");
        assertThat(topology.application(appId).clusters().get(1).versions())
                .containsEntry("4.1.6", List.of(memberId))
                .containsEntry("4.1.5", List.of(second));

        topology.changeMemberState(second, MemberState.SUSPENDED, null, "failed", "upd-t");
        assertThat(topology.settleCluster(clusterId, "upd-t")).satisfies(c -> {
            assertThat(c.version()).isEqualTo("4.1.6");
            assertThat(c.state()).isEqualTo(ClusterState.ACTIVE);
        });
        topology.changeMemberState(memberId, MemberState.SUSPENDED, null, "failed", "upd-t");
        assertThat(topology.settleCluster(clusterId, "upd-t").state()).isEqualTo(ClusterState.INACTIVE);
        topology.changeMemberState(memberId, MemberState.ACTIVE, null, "back", null);
        assertThat(topology.settleCluster(clusterId, null).state()).isEqualTo(ClusterState.ACTIVE);
        // a cluster without members is not Inactive: nothing in it fails to serve
        assertThat(topology.settleCluster(Cluster.idOf(appId, "mysql", "mysql"), null)
                        .state())
                .isEqualTo(ClusterState.ACTIVE);
    }

    @Test
    void aSecondRegistrationOfTheSameIdIsAConflict() {
        assertThatThrownBy(() -> topology.register(new NewApplication(
                        appId,
                        null,
                        List.of(new NewApplication.NewCluster("php", "php", "puppet", "1", null, null)),
                        null)))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("already registered");
    }

    @Test
    void invalidRegistrationIsRefusedAndNothingIsStored() {
        String id = TestIds.applicationId("bad");
        assertThatThrownBy(() -> topology.register(new NewApplication(id, null, List.of(), null)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("clusters");
        assertThat(topology.applicationExists(id)).isFalse();
    }

    @Test
    void allowedTransitionIsAppliedLoggedWithItsReason() {
        Member updating = topology.changeMemberState(memberId, MemberState.UPDATING, "4.1.6", "update u-1", "u-1");

        assertThat(updating.state()).isEqualTo(MemberState.UPDATING);
        assertThat(updating.version()).isEqualTo("4.1.6");
        assertThat(topology.transitions(memberId)).last().satisfies(t -> {
            assertThat(t.from()).isEqualTo(MemberState.ACTIVE);
            assertThat(t.to()).isEqualTo(MemberState.UPDATING);
            assertThat(t.reason()).isEqualTo("update u-1");
        });
    }

    @Test
    void invalidTransitionIsRefusedWithAClearMessageAndNeverApplied() {
        int before = topology.transitions(memberId).size();

        assertThatThrownBy(() -> topology.changeMemberState(memberId, MemberState.TERMINATED, null, "x", null))
                .isInstanceOf(InvalidTransitionException.class)
                .hasMessage("member '" + memberId + "' cannot go from Active to Terminated");

        assertThat(topology.member(memberId).state()).isEqualTo(MemberState.ACTIVE);
        assertThat(topology.transitions(memberId)).hasSize(before);
    }

    @Test
    void aMemberLeavesUpdatingOnlyForActiveSuspendedOrTerminated() {
        topology.changeMemberState(memberId, MemberState.UPDATING, null, "update", "u-2");

        assertThatThrownBy(() -> topology.changeMemberState(memberId, MemberState.STARTING, null, "x", null))
                .isInstanceOf(InvalidTransitionException.class);
        assertThatThrownBy(() -> topology.changeMemberState(memberId, MemberState.IN_MAINTENANCE, null, "x", null))
                .isInstanceOf(InvalidTransitionException.class);
        assertThat(topology.changeMemberState(memberId, MemberState.SUSPENDED, null, "failed", "u-2")
                        .state())
                .isEqualTo(MemberState.SUSPENDED);
    }

    @Test
    void clusterGoesToPatchingAndBackButNotFromTerminated() {
        topology.changeClusterState(clusterId, ClusterState.PATCHING, "u-3");
        assertThat(topology.cluster(clusterId).state()).isEqualTo(ClusterState.PATCHING);
        topology.changeClusterState(clusterId, ClusterState.ACTIVE, "u-3");

        topology.changeClusterState(clusterId, ClusterState.TERMINATING, null);
        topology.changeClusterState(clusterId, ClusterState.TERMINATED, null);
        assertThatThrownBy(() -> topology.changeClusterState(clusterId, ClusterState.ACTIVE, null))
                .isInstanceOf(InvalidTransitionException.class)
                .hasMessageContaining("cannot go from Terminated to Active");
    }

    @Test
    void onlyOneUpdateHoldsAClusterAtATime() {
        assertThat(topology.lockCluster(clusterId, "u-a")).isTrue();
        assertThat(topology.lockCluster(clusterId, "u-a")).isTrue();
        assertThat(topology.lockCluster(clusterId, "u-b")).isFalse();
        topology.unlockCluster(clusterId, "u-a");
        assertThat(topology.lockCluster(clusterId, "u-b")).isTrue();
    }

    @Test
    void aTerminatedMemberCannotJoinAgain() {
        topology.changeMemberState(memberId, MemberState.UPDATING, null, "replace", "u-4");
        topology.changeMemberState(memberId, MemberState.TERMINATED, null, "replaced", "u-4");

        assertThatThrownBy(() -> topology.join(new MemberJoin(appId, clusterId, memberId, "4.1.5", null), true))
                .isInstanceOf(InvalidTransitionException.class);
    }
}
