package org.stratos.update.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.stratos.update.support.ManagerTest;
import org.stratos.update.support.TestIds;
import org.stratos.update.topology.ApplicationView;
import org.stratos.update.topology.MemberState;
import org.stratos.update.topology.NewApplication;
import org.stratos.update.topology.TopologyService;

/** Whole updates through the engine, the broker and in-JVM agents (the simulated runtime). */
@ManagerTest
class UpdateEndToEndTest {

    @Autowired
    TopologyService topology;

    @Autowired
    UpdateService updates;

    @Autowired
    UpdateRepository records;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    org.camunda.bpm.engine.RuntimeService runtime;

    @Autowired
    CancelledUpdates cancelledUpdates;

    @Test
    void phasedUpdateRollsEveryMemberToTheNewVersionOneBatchAtATime() {
        String app = simulatedApplication(4, 0);

        UpdateRecord update = updates.start(
                app,
                new UpdateRequest(
                        List.of("php"),
                        null,
                        "2.0.0",
                        null,
                        true,
                        "1",
                        null,
                        null,
                        "PT30S",
                        null,
                        null,
                        "PT1M",
                        null,
                        null,
                        null),
                "tester");

        await().atMost(Duration.ofSeconds(60))
                .until(() -> records.find(update.id()).orElseThrow().state().ended());
        assertThat(records.find(update.id()).orElseThrow().state()).isEqualTo(UpdateState.COMPLETED);
        ApplicationView view = topology.application(app);
        assertThat(view.clusters().get(0).members()).hasSize(4).allSatisfy(m -> {
            assertThat(m.state()).isEqualTo(MemberState.ACTIVE);
            assertThat(m.version()).isEqualTo("2.0.0");
        });
        assertThat(maxUpdatingAtOnce(app + ".php.php.domain")).isEqualTo(1);
    }

    @Test
    void aBrokenVersionFailsTheFirstBatchAndCompensationRollsItBack() {
        String app = simulatedApplication(4, 0);

        UpdateRecord update = updates.start(app, request(List.of("php"), "2.0.0-broken", null, true, "2"), "tester");

        UpdateRecord ended = awaitEnd(update.id());
        assertThat(ended.state()).isEqualTo(UpdateState.ROLLED_BACK);
        assertThat(records.members(update.id()))
                .hasSize(2)
                .allSatisfy(m -> assertThat(m.state()).isEqualTo(MemberProgress.ROLLED_BACK));
        assertThat(cluster(app, "php").members()).hasSize(4).allSatisfy(m -> {
            assertThat(m.state()).isEqualTo(MemberState.ACTIVE);
            assertThat(m.version()).isEqualTo("1.0.0");
        });
        assertThat(maxUpdatingAtOnce(app + ".php.php.domain")).isEqualTo(2);
        assertThat(topology.cluster(app + ".php.php.domain").lockedBy()).isNull();
    }

    @Test
    void allAtOnceUpdateTakesTheClusterDownAndBringsItBackOnTheNewVersion() {
        String app = simulatedApplication(3, 0);

        UpdateRecord update = updates.start(app, request(List.of("php"), "3.0.0", null, false, null), "tester");

        assertThat(awaitEnd(update.id()).state()).isEqualTo(UpdateState.COMPLETED);
        assertThat(cluster(app, "php").members())
                .allSatisfy(m -> assertThat(m.version()).isEqualTo("3.0.0"));
        assertThat(cluster(app, "php").state()).isEqualTo(org.stratos.update.topology.ClusterState.ACTIVE);
        assertThat(maxUpdatingAtOnce(app + ".php.php.domain")).isEqualTo(3);
    }

    @Test
    void allAtOnceUpdateOfABrokenVersionRollsTheWholeClusterBack() {
        String app = simulatedApplication(3, 0);

        UpdateRecord update = updates.start(app, request(List.of("php"), "3.0.0-broken", null, false, null), "tester");

        assertThat(awaitEnd(update.id()).state()).isEqualTo(UpdateState.ROLLED_BACK);
        assertThat(cluster(app, "php").members()).allSatisfy(m -> {
            assertThat(m.state()).isEqualTo(MemberState.ACTIVE);
            assertThat(m.version()).isEqualTo("1.0.0");
        });
    }

    @Test
    void containersAreReplacedByNewMembersOnTheNewImage() {
        String app = simulatedApplication(0, 3);
        List<String> before = cluster(app, "web").members().stream()
                .map(ApplicationView.MemberView::memberId)
                .toList();

        UpdateRecord update = updates.start(
                app,
                new UpdateRequest(
                        List.of("web"),
                        null,
                        null,
                        "stratos/php:5.0",
                        true,
                        "1",
                        null,
                        null,
                        "PT30S",
                        null,
                        null,
                        null,
                        null,
                        null,
                        true),
                "tester");

        assertThat(awaitEnd(update.id()).state()).isEqualTo(UpdateState.COMPLETED);
        List<ApplicationView.MemberView> live = cluster(app, "web").members().stream()
                .filter(m -> m.state() != MemberState.TERMINATED)
                .toList();
        assertThat(live).hasSize(3).allSatisfy(m -> {
            assertThat(m.state()).isEqualTo(MemberState.ACTIVE);
            assertThat(m.version()).isEqualTo("stratos/php:5.0");
            assertThat(before).doesNotContain(m.memberId());
        });
        assertThat(cluster(app, "web").members())
                .filteredOn(m -> before.contains(m.memberId()))
                .allSatisfy(m -> assertThat(m.state()).isEqualTo(MemberState.TERMINATED));
    }

    @Test
    void allAtOnceOnContainersRemovesEveryOldMemberBeforeTheFirstNewOneStarts() {
        String app = simulatedApplication(0, 3);
        List<String> before = cluster(app, "web").members().stream()
                .map(ApplicationView.MemberView::memberId)
                .toList();

        UpdateRecord update = updates.start(
                app,
                new UpdateRequest(
                        List.of("web"),
                        null,
                        null,
                        "stratos/php:7.0",
                        false,
                        null,
                        null,
                        null,
                        "PT30S",
                        null,
                        null,
                        null,
                        null,
                        null,
                        null),
                "tester");

        assertThat(awaitEnd(update.id()).state()).isEqualTo(UpdateState.COMPLETED);
        java.sql.Timestamp lastOldGone = jdbc.sql("select max(at) from stratos_member_transition "
                        + "where to_state = 'TERMINATED' and member_id in (:ids)")
                .param("ids", before)
                .query(java.sql.Timestamp.class)
                .single();
        java.sql.Timestamp firstNewSeen = jdbc.sql("select min(t.at) from stratos_member_transition t "
                        + "join stratos_member m on m.id = t.member_id "
                        + "where m.cluster_id = :c and t.from_state is null and t.member_id not in (:ids)")
                .param("c", app + ".web.kubernetes.domain")
                .param("ids", before)
                .query(java.sql.Timestamp.class)
                .single();
        assertThat(lastOldGone).isBeforeOrEqualTo(firstNewSeen);
        assertThat(cluster(app, "web").members())
                .filteredOn(m -> m.state() == MemberState.ACTIVE)
                .hasSize(3)
                .allSatisfy(m -> assertThat(m.version()).isEqualTo("stratos/php:7.0"));
    }

    @Test
    void aContainerImageThatNeverGetsReadyIsRolledBackToAPodOnThePreviousImage() {
        String app = simulatedApplication(0, 2);

        UpdateRecord update = updates.start(
                app,
                new UpdateRequest(
                        List.of("web"),
                        null,
                        null,
                        "stratos/php:6-broken",
                        true,
                        "1",
                        null,
                        null,
                        "PT30S",
                        null,
                        null,
                        null,
                        null,
                        null,
                        false),
                "tester");

        assertThat(awaitEnd(update.id()).state()).isEqualTo(UpdateState.ROLLED_BACK);
        List<ApplicationView.MemberView> live = cluster(app, "web").members().stream()
                .filter(m -> m.state() != MemberState.TERMINATED)
                .toList();
        assertThat(live).hasSize(2).allSatisfy(m -> {
            assertThat(m.state()).isEqualTo(MemberState.ACTIVE);
            assertThat(m.version()).isEqualTo("stratos/php:1.0");
        });
    }

    @Test
    void clustersGoInStartupOrderAndAFailureLaterRollsBackTheClustersUpdatedBefore() {
        String app = TestIds.applicationId("order");
        topology.register(new NewApplication(
                app,
                null,
                List.of(
                        new NewApplication.NewCluster("web", "kubernetes", "simulated", null, "stratos/php:1.0", 2),
                        new NewApplication.NewCluster("mysql", "mysql", "simulated", "1.0.0", null, 2)),
                new NewApplication.Dependencies(List.of(List.of("cartridge.mysql", "cartridge.web")))));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> topology.application(app).clusters().stream()
                                .flatMap(c -> c.members().stream())
                                .filter(m -> m.state() == MemberState.ACTIVE)
                                .count()
                        == 4);

        UpdateRecord update = updates.start(
                app,
                new UpdateRequest(
                        List.of("web", "mysql"),
                        null,
                        "2.0.0",
                        "stratos/php:2-broken",
                        true,
                        "1",
                        null,
                        null,
                        "PT30S",
                        null,
                        null,
                        "PT1M",
                        null,
                        null,
                        null),
                "tester");

        assertThat(awaitEnd(update.id()).state()).isEqualTo(UpdateState.ROLLED_BACK);
        assertThat(cluster(app, "mysql").members()).allSatisfy(m -> {
            assertThat(m.state()).isEqualTo(MemberState.ACTIVE);
            assertThat(m.version()).isEqualTo("1.0.0");
        });
        assertThat(records.clusters(update.id()))
                .extracting(ClusterRecord::clusterId, ClusterRecord::state)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(app + ".mysql.mysql.domain", ClusterProgress.ROLLED_BACK),
                        org.assertj.core.groups.Tuple.tuple(
                                app + ".web.kubernetes.domain", ClusterProgress.ROLLED_BACK));
        List<MemberRecord> members = records.members(update.id());
        java.time.Instant mysqlUpdated = members.stream()
                .filter(m -> m.clusterId().contains(".mysql."))
                .map(MemberRecord::endedAt)
                .max(java.util.Comparator.naturalOrder())
                .orElseThrow();
        java.time.Instant webStarted = members.stream()
                .filter(m -> m.clusterId().contains(".web."))
                .map(MemberRecord::startedAt)
                .min(java.util.Comparator.naturalOrder())
                .orElseThrow();
        java.time.Instant mysqlRollback = members.stream()
                .filter(m -> m.clusterId().contains(".mysql."))
                .map(MemberRecord::rollbackStartedAt)
                .min(java.util.Comparator.naturalOrder())
                .orElseThrow();
        assertThat(mysqlUpdated).as("mysql is updated before web starts").isBeforeOrEqualTo(webStarted);
        assertThat(mysqlRollback).as("mysql rolls back after web failed").isAfter(webStarted);
    }

    @Test
    void cancellingTheProcessInCockpitReleasesTheClustersAndRecordsTheUpdateCancelled() {
        String app = simulatedApplication(4, 0);
        UpdateRecord update = updates.start(
                app,
                new UpdateRequest(
                        List.of("php"),
                        null,
                        "2.1.0",
                        null,
                        true,
                        "1",
                        null,
                        null,
                        "PT30S",
                        null,
                        null,
                        null,
                        "afterFirstBatch",
                        null,
                        null),
                "tester");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> records.find(update.id()).orElseThrow().state() == UpdateState.WAITING_FOR_APPROVAL);

        runtime.createProcessInstanceQuery()
                .processInstanceBusinessKey(update.id())
                .processDefinitionKey(FlowNames.SOFTWARE_UPDATE)
                .list()
                .forEach(p -> runtime.deleteProcessInstance(p.getId(), "cancelled by an operator"));

        assertThat(records.find(update.id()).orElseThrow().state()).isEqualTo(UpdateState.CANCELLED);
        assertThat(topology.cluster(app + ".php.php.domain").lockedBy()).isNull();
        assertThat(cluster(app, "php").members()).noneMatch(m -> m.state() == MemberState.UPDATING);
    }

    @Test
    void anUpdateWhoseProcessWasDeletedSkippingListenersIsCleanedUpByTheReconciler() {
        String app = simulatedApplication(2, 0);
        UpdateRecord update = updates.start(
                app,
                new UpdateRequest(
                        List.of("php"),
                        null,
                        "2.2.0",
                        null,
                        true,
                        "1",
                        null,
                        null,
                        "PT30S",
                        null,
                        null,
                        null,
                        "afterFirstBatch",
                        null,
                        null),
                "tester");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> records.find(update.id()).orElseThrow().state() == UpdateState.WAITING_FOR_APPROVAL);
        runtime.createProcessInstanceQuery()
                .processInstanceBusinessKey(update.id())
                .processDefinitionKey(FlowNames.SOFTWARE_UPDATE)
                .list()
                .forEach(p -> runtime.deleteProcessInstance(p.getId(), "Cockpit's default", true));
        assertThat(records.find(update.id()).orElseThrow().state()).isEqualTo(UpdateState.WAITING_FOR_APPROVAL);

        cancelledUpdates.reconcile();

        assertThat(records.find(update.id()).orElseThrow().state()).isEqualTo(UpdateState.CANCELLED);
        assertThat(topology.cluster(app + ".php.php.domain").lockedBy()).isNull();
    }

    private static UpdateRequest request(
            List<String> clusters, String version, String image, boolean compatible, String batch) {
        return new UpdateRequest(
                clusters,
                null,
                version,
                image,
                compatible,
                batch,
                null,
                null,
                "PT30S",
                null,
                null,
                "PT1M",
                null,
                null,
                null);
    }

    private UpdateRecord awaitEnd(String updateId) {
        await().atMost(Duration.ofSeconds(60))
                .until(() -> records.find(updateId).orElseThrow().state().ended());
        return records.find(updateId).orElseThrow();
    }

    private ApplicationView.ClusterView cluster(String app, String alias) {
        return topology.application(app).clusters().stream()
                .filter(c -> c.alias().equals(alias))
                .findFirst()
                .orElseThrow();
    }

    private String simulatedApplication(int vms, int containers) {
        String app = TestIds.applicationId("e2e");
        List<NewApplication.NewCluster> clusters = new java.util.ArrayList<>();
        if (vms > 0) {
            clusters.add(new NewApplication.NewCluster("php", "php", "simulated", "1.0.0", null, vms));
        }
        if (containers > 0) {
            clusters.add(new NewApplication.NewCluster(
                    "web", "kubernetes", "simulated", null, "stratos/php:1.0", containers));
        }
        topology.register(new NewApplication(app, null, clusters, null));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> topology.application(app).clusters().stream()
                                .flatMap(c -> c.members().stream())
                                .filter(m -> m.state() == MemberState.ACTIVE)
                                .count()
                        == vms + containers);
        return app;
    }

    /** The most members of the cluster that were Updating at the same moment, replayed from the transition log. */
    private int maxUpdatingAtOnce(String clusterId) {
        List<String[]> steps = jdbc.sql("""
                select t.from_state, t.to_state from stratos_member_transition t
                join stratos_member m on m.id = t.member_id where m.cluster_id = ? order by t.at, t.id""")
                .param(clusterId)
                .query((rs, i) -> new String[] {rs.getString(1), rs.getString(2)})
                .list();
        int now = 0;
        int max = 0;
        for (String[] s : steps) {
            if ("UPDATING".equals(s[1])) {
                now++;
            } else if ("UPDATING".equals(s[0])) {
                now--;
            }
            max = Math.max(max, now);
        }
        return max;
    }
}
