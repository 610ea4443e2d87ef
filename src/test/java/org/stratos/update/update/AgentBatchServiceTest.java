package org.stratos.update.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import org.apache.activemq.broker.BrokerService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;
import org.stratos.update.support.BrokerClient;
import org.stratos.update.support.ManagerTest;
import org.stratos.update.support.TestIds;
import org.stratos.update.topology.MemberReport;
import org.stratos.update.topology.MemberState;
import org.stratos.update.topology.NewApplication;
import org.stratos.update.topology.TopologyService;

/**
 * The steps of a batch of VM members, on the real database and broker (no batch flow runs: the tests play it, so
 * what the records and the topology say after each step is what is checked).
 */
@ManagerTest
class AgentBatchServiceTest {

    @Autowired
    AgentBatchService batches;
    @Autowired
    MemberReports reports;
    @Autowired
    UpdateRepository repository;
    @Autowired
    TopologyService topology;
    @Autowired
    BrokerService broker;
    @Autowired
    TransactionTemplate transactions;

    BrokerClient agents;
    String clusterId;
    List<String> members;
    String updateId;
    String batchId;

    @BeforeEach
    void threeMembersOfAnUpdate() {
        agents = new BrokerClient(broker);
        String app = TestIds.applicationId("batch");
        topology.register(new NewApplication(app, null, List.of(
                new NewApplication.NewCluster("php", "php", "puppet", "1.0", null, null)), null));
        clusterId = app + ".php.php.domain";
        members = IntStream.rangeClosed(1, 3).mapToObj(i -> clusterId + "-m" + i).toList();
        members.forEach(m -> topology.join(new MemberReport(app, clusterId, m, "1.0", null), true));
        updateId = "upd-" + UUID.randomUUID().toString().substring(0, 12);
        repository.insert(new UpdateRecord(updateId, app, UpdateState.RUNNING, "{\"clusters\":[\"php\"],"
                + "\"version\":\"2.0\",\"compatible\":true}", null, null, "test", Instant.now(), Instant.now(), null));
        repository.insert(new ClusterRecord(updateId, clusterId, 0, ClusterOutcome.RUNNING, "1.0", "2.0", 3, 3, 0, 0,
                1, 0, null, null, null));
        repository.insertMembers(updateId, clusterId, 1, members, List.of("1.0", "1.0", "1.0"), "2.0");
        batchId = "batch-" + UUID.randomUUID();
    }

    @AfterEach
    void disconnect() {
        agents.close();
    }

    @Test
    void markingTheBatchPutsEveryMemberInUpdatingAndWaitsForEachReport() {
        Duration lookAgain = batches.markUpdating(updateId, batchId, members, false);

        assertThat(lookAgain).isPositive();
        members.forEach(m -> assertThat(topology.member(m).state()).isEqualTo(MemberState.UPDATING));
        assertThat(repository.agentBatchMembers(batchId)).extracting(MemberRecord::state)
                .containsOnly(MemberProgress.UPDATING);
        assertThat(repository.agentBatch(batchId).orElseThrow().outstanding()).isEqualTo(3);
    }

    @Test
    void aTerminatedMemberFailsAtOnceAndIsNotWaitedFor() {
        topology.changeMemberState(members.get(2), MemberState.SUSPENDED, null, "VM unreachable", null);
        topology.changeMemberState(members.get(2), MemberState.TERMINATED, null, "VM gone", null);

        batches.markUpdating(updateId, batchId, members, false);

        MemberRecord gone = repository.member(updateId, members.get(2)).orElseThrow();
        assertThat(gone.state()).isEqualTo(MemberProgress.FAILED);
        assertThat(gone.message()).contains("Terminated");
        assertThat(repository.agentBatch(batchId).orElseThrow().outstanding()).isEqualTo(2);
    }

    @Test
    void aBatchNamingAMemberTheUpdateDoesNotHaveChangesNothingAndFailsForTheEngineToRetry() {
        assertThatThrownBy(() -> batches.markUpdating(updateId, batchId, List.of(members.get(0), "no-such-member"),
                false)).isInstanceOf(IllegalStateException.class).hasMessageContaining("records of 1 of the 2");

        assertThat(topology.member(members.get(0)).state()).isEqualTo(MemberState.ACTIVE);
        assertThat(repository.agentBatch(batchId)).isEmpty();
    }

    @Test
    void commandsGoToEveryAgentOfTheBatchOnceTheStepCommits() {
        List<String> delivered = agents.listen("instance.notifier.SoftwareUpdateEvent");
        batches.markUpdating(updateId, batchId, members, false);

        transactions.executeWithoutResult(tx -> batches.sendCommands(updateId, batchId, false));

        await().atMost(Duration.ofSeconds(5)).until(() -> delivered.size() == 3);
        for (String m : members) {
            assertThat(delivered).anySatisfy(c -> assertThat(c).contains("\"memberId\":\"" + m + "\"")
                    .contains("\"version\":\"2.0\"").contains("\"previousVersion\":\"1.0\""));
        }
    }

    @Test
    void chasingResendsOnlyToTheSilentAgentsUntilEveryReportIsIn() {
        List<String> delivered = agents.listen("instance.notifier.SoftwareUpdateEvent");
        batches.markUpdating(updateId, batchId, members, false);
        report(members.get(0), true, null);
        report(members.get(1), false, "puppet exited with 4");

        assertThat(batches.chase(updateId, batchId, false)).isEqualTo(AgentBatchService.Wait.WAITING);
        await().atMost(Duration.ofSeconds(5)).until(() -> delivered.size() == 1);
        assertThat(delivered.get(0)).contains("\"memberId\":\"" + members.get(2) + "\"");

        report(members.get(2), true, null);
        assertThat(batches.chase(updateId, batchId, false)).isEqualTo(AgentBatchService.Wait.REPORTED);
    }

    @Test
    void chasingPastTheDeadlineGivesUpWaiting() {
        repository.startAgentBatch(batchId, updateId, members, MemberProgress.UPDATING, Instant.now(),
                Instant.now().minusSeconds(1));

        assertThat(batches.chase(updateId, batchId, false)).isEqualTo(AgentBatchService.Wait.TIMED_OUT);
    }

    @Test
    void completingTheBatchRecordsEachMembersOwnOutcome() {
        batches.markUpdating(updateId, batchId, members, false);
        report(members.get(0), true, null);
        report(members.get(1), false, "puppet exited with 4");

        batches.complete(updateId, batchId, false);

        assertThat(topology.member(members.get(0)).state()).isEqualTo(MemberState.ACTIVE);
        assertThat(topology.member(members.get(0)).version()).isEqualTo("2.0");
        assertThat(repository.member(updateId, members.get(0)).orElseThrow().state()).isEqualTo(MemberProgress.UPDATED);
        assertThat(topology.member(members.get(1)).state()).isEqualTo(MemberState.SUSPENDED);
        MemberRecord failed = repository.member(updateId, members.get(1)).orElseThrow();
        assertThat(failed.state()).isEqualTo(MemberProgress.FAILED);
        assertThat(failed.message()).isEqualTo("puppet exited with 4");
        assertThat(topology.member(members.get(2)).state()).isEqualTo(MemberState.SUSPENDED);
        assertThat(repository.member(updateId, members.get(2)).orElseThrow().message())
                .startsWith("no report from the agent within");
        assertThat(repository.agentBatch(batchId)).isEmpty();
    }

    @Test
    void aRollbackBatchTakesTheMembersBackToThePreviousVersion() {
        batches.markUpdating(updateId, batchId, members, false);
        members.forEach(m -> report(m, true, null));
        batches.complete(updateId, batchId, false);
        String rollbackId = batchId + "-rollback";

        batches.markUpdating(updateId, rollbackId, members, true);
        members.forEach(m -> assertThat(reports.reported(updateId, m, "1.0", true, success()))
                .isEqualTo(MemberReports.Outcome.CORRELATED));
        batches.complete(updateId, rollbackId, true);

        members.forEach(m -> {
            assertThat(topology.member(m).version()).isEqualTo("1.0");
            assertThat(topology.member(m).state()).isEqualTo(MemberState.ACTIVE);
            assertThat(repository.member(updateId, m).orElseThrow().state()).isEqualTo(MemberProgress.ROLLED_BACK);
        });
    }

    @Test
    void theAgentsApplyingNoticeReadAfterItsReportDoesNotHideTheFailureReason() {
        batches.markUpdating(updateId, batchId, members, false);
        report(members.get(1), false, "puppet exited with 4");

        reports.applying(updateId, members.get(1), "2.0", false); // the two come on separate queues

        batches.complete(updateId, batchId, false);
        assertThat(repository.member(updateId, members.get(1)).orElseThrow().message()).isEqualTo("puppet exited with 4");
    }

    @Test
    void completingTwiceChangesNothingTheSecondTime() {
        batches.markUpdating(updateId, batchId, members, false);
        members.forEach(m -> report(m, true, null));
        batches.complete(updateId, batchId, false);
        int transitions = topology.transitions(members.get(0)).size();

        batches.complete(updateId, batchId, false);

        assertThat(topology.transitions(members.get(0))).hasSize(transitions);
    }

    private void report(String memberId, boolean ok, String reason) {
        AgentReport report = ok ? success() : new AgentReport(false, 4, reason, "tail", 10);
        assertThat(reports.reported(updateId, memberId, "2.0", false, report)).isEqualTo(MemberReports.Outcome.CORRELATED);
    }

    private static AgentReport success() {
        return new AgentReport(true, 2, null, null, 10);
    }
}
