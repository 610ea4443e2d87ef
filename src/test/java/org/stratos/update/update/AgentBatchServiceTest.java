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
import org.stratos.update.messaging.event.instance.status.InstanceUpdateFailedEvent;
import org.stratos.update.support.BrokerClient;
import org.stratos.update.support.ManagerTest;
import org.stratos.update.support.TestIds;
import org.stratos.update.topology.MemberJoin;
import org.stratos.update.topology.MemberState;
import org.stratos.update.topology.NewApplication;
import org.stratos.update.topology.TopologyService;

/**
 * The steps of a batch of VM members, on the real database and broker (no batch flow runs: the tests play it, so
 * what the records and the topology say after each step is what is checked).
 */
@ManagerTest
class AgentBatchServiceTest {

    private static final String COMMANDS = "instance.notifier.SoftwareUpdateEvent";

    @Autowired
    AgentBatchService batches;

    @Autowired
    ReportCorrelator reports;

    @Autowired
    UpdateRepository repository;

    @Autowired
    AgentBatchRepository runs;

    @Autowired
    TopologyService topology;

    @Autowired
    BrokerService broker;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    CheckedRequests checkedRequests;

    @Autowired
    org.stratos.update.common.EventPublisher events;

    @Autowired
    java.time.Clock clock;

    @Autowired
    org.stratos.update.common.BrokerReachability link;

    BrokerClient agents;
    String clusterId;
    List<String> members;
    String updateId;
    String batchId;

    @BeforeEach
    void threeMembersOfAnUpdate() {
        agents = new BrokerClient(broker);
        String app = TestIds.applicationId("batch");
        topology.register(new NewApplication(
                app, null, List.of(new NewApplication.NewCluster("php", "php", "puppet", "1.0", null, null)), null));
        clusterId = app + ".php.php.domain";
        members =
                IntStream.rangeClosed(1, 3).mapToObj(i -> clusterId + "-m" + i).toList();
        members.forEach(m -> topology.join(new MemberJoin(app, clusterId, m, "1.0", null), true));
        updateId = "upd-" + UUID.randomUUID().toString().substring(0, 12);
        repository.insert(new UpdateRecord(
                updateId,
                app,
                UpdateState.RUNNING,
                "{\"clusters\":[\"php\"]," + "\"version\":\"2.0\",\"compatible\":true}",
                null,
                null,
                "test",
                Instant.now(),
                Instant.now(),
                null));
        repository.insert(new ClusterRecord(
                updateId, clusterId, 0, ClusterProgress.RUNNING, "1.0", "2.0", 3, 3, 0, 0, 1, 0, null, null, null));
        repository.insertMembers(updateId, clusterId, 1, members, List.of("1.0", "1.0", "1.0"), "2.0");
        batchId = "batch-" + UUID.randomUUID();
    }

    @AfterEach
    void disconnect() {
        agents.close();
    }

    @Test
    void markingTheBatchPutsEveryMemberInUpdatingAndWaitsForEachReport() {
        Duration lookAgain = batches.markUpdating(updateId, batchId, members, RunPhase.UPDATE);

        assertThat(lookAgain).isPositive();
        members.forEach(m -> assertThat(topology.member(m).state()).isEqualTo(MemberState.UPDATING));
        assertThat(runs.agentBatchMembers(batchId))
                .extracting(MemberRecord::state)
                .containsOnly(MemberProgress.UPDATING);
        assertThat(runs.agentBatch(batchId).orElseThrow().outstanding()).isEqualTo(3);
    }

    @Test
    void aTerminatedMemberFailsAtOnceAndIsNotWaitedFor() {
        topology.changeMemberState(members.get(2), MemberState.SUSPENDED, null, "VM unreachable", null);
        topology.changeMemberState(members.get(2), MemberState.TERMINATED, null, "VM gone", null);

        batches.markUpdating(updateId, batchId, members, RunPhase.UPDATE);

        MemberRecord gone = record(2);
        assertThat(gone.state()).isEqualTo(MemberProgress.FAILED);
        assertThat(gone.update().message()).contains("Terminated");
        assertThat(runs.agentBatch(batchId).orElseThrow().outstanding()).isEqualTo(2);
    }

    @Test
    void aBatchNamingAMemberTheUpdateDoesNotHaveChangesNothingAndFailsForTheEngineToRetry() {
        assertThatThrownBy(() -> batches.markUpdating(
                        updateId, batchId, List.of(members.get(0), "no-such-member"), RunPhase.UPDATE))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("records of 1 of the 2");

        assertThat(topology.member(members.get(0)).state()).isEqualTo(MemberState.ACTIVE);
        assertThat(runs.agentBatch(batchId)).isEmpty();
    }

    @Test
    void commandsGoToEveryAgentOfTheBatchOnceTheStepCommitsWithTheUpdateTimeoutAndTheDeadline() {
        List<String> delivered = agents.listen(COMMANDS);
        batches.markUpdating(updateId, batchId, members, RunPhase.UPDATE);
        Instant deadline = runs.agentBatch(batchId).orElseThrow().deadline();

        transactions.executeWithoutResult(tx -> batches.sendCommands(updateId, batchId, RunPhase.UPDATE));

        await().atMost(Duration.ofSeconds(5)).until(() -> delivered.size() == 3);
        for (String m : members) {
            assertThat(delivered)
                    .anySatisfy(c -> assertThat(c)
                            .contains("\"memberId\":\"" + m + "\"")
                            .contains("\"version\":\"2.0\"")
                            .contains("\"previousVersion\":\"1.0\"")
                            .contains("\"updateTimeout\":\"PT30M\"")
                            .contains("\"deadline\":\"" + deadline + "\"")
                            .contains("\"noop\":false"));
        }
    }

    @Test
    void chasingResendsOnlyToTheAgentsThatHaveNeitherReportedNorAcknowledged() {
        List<String> delivered = agents.listen(COMMANDS);
        batches.markUpdating(updateId, batchId, members, RunPhase.UPDATE);
        report(members.get(0), true, null);
        assertThat(reports.applying(updateId, members.get(1), "2.0", RunPhase.UPDATE))
                .isEqualTo(ReportCorrelator.Outcome.CORRELATED);

        assertThat(batches.chase(updateId, batchId, RunPhase.UPDATE)).isEqualTo(AgentBatchService.Wait.WAITING);
        await().atMost(Duration.ofSeconds(5)).until(() -> delivered.size() == 1);
        assertThat(delivered.get(0)).contains("\"memberId\":\"" + members.get(2) + "\"");

        report(members.get(1), false, "puppet exited with 4");
        report(members.get(2), true, null);
        assertThat(batches.chase(updateId, batchId, RunPhase.UPDATE)).isEqualTo(AgentBatchService.Wait.REPORTED);
    }

    @Test
    void afterARestartTheFirstLookResendsAlsoToAgentsThatAcknowledgedBeforeTheNodeStarted() throws Exception {
        List<String> delivered = agents.listen(COMMANDS);
        batches.markUpdating(updateId, batchId, members, RunPhase.UPDATE);
        report(members.get(0), true, null);
        assertThat(reports.applying(updateId, members.get(1), "2.0", RunPhase.UPDATE))
                .isEqualTo(ReportCorrelator.Outcome.CORRELATED);
        Thread.sleep(5); // the acknowledgement is older than the node's next life
        // the node's next life (its agents may have died with the last one): a service started after the ack
        AgentBatchService restarted = new AgentBatchService(
                repository,
                runs,
                checkedRequests,
                topology,
                events,
                reports,
                clock,
                Duration.ofSeconds(15),
                Duration.ofMinutes(1),
                link);

        assertThat(restarted.chase(updateId, batchId, RunPhase.UPDATE)).isEqualTo(AgentBatchService.Wait.WAITING);

        await().atMost(Duration.ofSeconds(5)).until(() -> delivered.size() == 2);
        assertThat(delivered)
                .anyMatch(c -> c.contains("\"memberId\":\"" + members.get(1) + "\""))
                .anyMatch(c -> c.contains("\"memberId\":\"" + members.get(2) + "\""));
        // an acknowledgement in this life is fresh again: only the silent agent is chased
        assertThat(reports.applying(updateId, members.get(1), "2.0", RunPhase.UPDATE))
                .isEqualTo(ReportCorrelator.Outcome.CORRELATED);
        restarted.chase(updateId, batchId, RunPhase.UPDATE);
        await().atMost(Duration.ofSeconds(5)).until(() -> delivered.size() == 3);
        assertThat(delivered.get(2)).contains("\"memberId\":\"" + members.get(2) + "\"");
    }

    @Test
    void chasingPastTheDeadlineGivesUpWaiting() {
        runs.startAgentBatch(
                batchId,
                updateId,
                members,
                RunPhase.UPDATE,
                Instant.now(),
                Instant.now().minusSeconds(1),
                Instant.now().plusSeconds(60));

        assertThat(batches.chase(updateId, batchId, RunPhase.UPDATE)).isEqualTo(AgentBatchService.Wait.TIMED_OUT);
    }

    @Test
    void anAgentThatNeverAcknowledgesIsUnreachableOnceTheWindowIsOverAndTheCommandWasSentAgain() {
        batches.markUpdating(updateId, batchId, members, RunPhase.UPDATE);
        ackWindowOver();
        report(members.get(0), true, null);
        reports.applying(updateId, members.get(1), "2.0", RunPhase.UPDATE);

        // the first look past the window sends again: an agent is not given up on a single lost message
        assertThat(batches.chase(updateId, batchId, RunPhase.UPDATE)).isEqualTo(AgentBatchService.Wait.WAITING);
        assertThat(record(2).reportOk()).isNull();
        // the next one gives up the silent agent: its member fails now, not at the batch's deadline
        assertThat(batches.chase(updateId, batchId, RunPhase.UPDATE)).isEqualTo(AgentBatchService.Wait.WAITING);

        MemberRecord silent = record(2);
        assertThat(silent.reportOk()).isFalse();
        assertThat(silent.update().failure()).isEqualTo(RunResult.UNREACHABLE);
        assertThat(silent.update().message())
                .startsWith("unreachable: its agent did not acknowledge the update command");
        assertThat(topology.member(members.get(2)).state()).isEqualTo(MemberState.SUSPENDED);
        assertThat(record(1).reportOk())
                .as("an agent that acknowledged is waited for")
                .isNull();
        assertThat(runs.agentBatch(batchId).orElseThrow().outstanding()).isEqualTo(1);

        report(members.get(1), true, null);
        assertThat(batches.chase(updateId, batchId, RunPhase.UPDATE)).isEqualTo(AgentBatchService.Wait.REPORTED);
        batches.complete(updateId, batchId, RunPhase.UPDATE);
        assertThat(record(2).state()).isEqualTo(MemberProgress.FAILED);
        assertThat(record(2).update().message()).startsWith("unreachable");
    }

    @Test
    void whenEveryAgentIsUnreachableTheBatchEndsAtOnce() {
        batches.markUpdating(updateId, batchId, members, RunPhase.UPDATE);
        ackWindowOver();

        batches.chase(updateId, batchId, RunPhase.UPDATE);

        assertThat(batches.chase(updateId, batchId, RunPhase.UPDATE)).isEqualTo(AgentBatchService.Wait.REPORTED);
    }

    @Test
    void aRollbackDoesNotWaitAgainForAnAgentKnownUnreachable() {
        batches.markUpdating(updateId, batchId, members, RunPhase.UPDATE);
        ackWindowOver();
        members.subList(0, 2).forEach(m -> report(m, false, "puppet exited with 4"));
        batches.chase(updateId, batchId, RunPhase.UPDATE);
        batches.chase(updateId, batchId, RunPhase.UPDATE);
        batches.complete(updateId, batchId, RunPhase.UPDATE);
        String rollbackId = batchId + "-rollback";

        batches.markUpdating(updateId, rollbackId, members, RunPhase.ROLLBACK);

        MemberRecord unreachable = record(2);
        assertThat(unreachable.state()).isEqualTo(MemberProgress.ROLLBACK_FAILED);
        assertThat(unreachable.rollback().message()).contains("unreachable during the update");
        assertThat(topology.member(members.get(2)).state()).isEqualTo(MemberState.SUSPENDED);
        assertThat(runs.agentBatch(rollbackId).orElseThrow().outstanding()).isEqualTo(2);
    }

    @Test
    void completingTheBatchRecordsEachMembersOwnOutcome() {
        batches.markUpdating(updateId, batchId, members, RunPhase.UPDATE);
        report(members.get(0), true, null);
        report(members.get(1), false, "puppet exited with 4");

        batches.complete(updateId, batchId, RunPhase.UPDATE);

        assertThat(topology.member(members.get(0)).state()).isEqualTo(MemberState.ACTIVE);
        assertThat(topology.member(members.get(0)).version()).isEqualTo("2.0");
        assertThat(record(0).state()).isEqualTo(MemberProgress.UPDATED);
        assertThat(topology.member(members.get(1)).state()).isEqualTo(MemberState.SUSPENDED);
        MemberRecord failed = record(1);
        assertThat(failed.state()).isEqualTo(MemberProgress.FAILED);
        assertThat(failed.update().message()).isEqualTo("puppet exited with 4");
        assertThat(failed.update().failure()).isEqualTo(InstanceUpdateFailedEvent.COMMAND_FAILED);
        assertThat(topology.member(members.get(2)).state()).isEqualTo(MemberState.SUSPENDED);
        assertThat(record(2).update().message()).startsWith("no report from the agent within");
        assertThat(record(2).update().failure()).isEqualTo(RunResult.NO_REPORT);
        assertThat(runs.agentBatch(batchId)).isEmpty();
    }

    @Test
    void aReportThatNothingRanPutsTheMemberBackAsItWasNotAppliedAndNotFailed() {
        batches.markUpdating(updateId, batchId, members, RunPhase.UPDATE);
        AgentReport disabled = new AgentReport(
                false,
                1,
                InstanceUpdateFailedEvent.DISABLED,
                "Puppet is disabled on the member: maintenance by ops",
                "Notice: Skipping run",
                40,
                null,
                null);
        assertThat(reports.reported(updateId, members.get(0), "2.0", RunPhase.UPDATE, disabled))
                .isEqualTo(ReportCorrelator.Outcome.CORRELATED);

        batches.complete(updateId, batchId, RunPhase.UPDATE);

        assertThat(topology.member(members.get(0)).state()).isEqualTo(MemberState.ACTIVE);
        assertThat(topology.member(members.get(0)).version()).isEqualTo("1.0");
        MemberRecord rec = record(0);
        assertThat(rec.state()).isEqualTo(MemberProgress.NOT_APPLIED);
        assertThat(rec.state().changed()).as("nothing to roll back").isFalse();
        assertThat(rec.update().failure()).isEqualTo(InstanceUpdateFailedEvent.DISABLED);
        assertThat(rec.update().message())
                .isEqualTo("not applied, nothing ran: Puppet is disabled on the member: " + "maintenance by ops");
        assertThat(repository.countInState(updateId, clusterId, List.of(MemberProgress.FAILED)))
                .as("silent members fail; the disabled one does not")
                .isEqualTo(2);
    }

    @Test
    void aSuspendedMemberNothingRanOnStaysSuspended() {
        topology.changeMemberState(members.get(0), MemberState.SUSPENDED, null, "failed an earlier update", null);
        batches.markUpdating(updateId, batchId, members, RunPhase.UPDATE);
        reports.reported(
                updateId,
                members.get(0),
                "2.0",
                RunPhase.UPDATE,
                new AgentReport(
                        false,
                        null,
                        InstanceUpdateFailedEvent.LOCKED,
                        "another Puppet run held the lock until the deadline",
                        null,
                        10,
                        null,
                        null));

        batches.complete(updateId, batchId, RunPhase.UPDATE);

        assertThat(topology.member(members.get(0)).state()).isEqualTo(MemberState.SUSPENDED);
        assertThat(record(0).state()).isEqualTo(MemberProgress.NOT_APPLIED);
    }

    @Test
    void aRollbackKeepsTheFailedRunsEvidenceBesideItsOwn() {
        batches.markUpdating(updateId, batchId, members, RunPhase.UPDATE);
        members.forEach(m -> assertThat(reports.reported(
                        updateId,
                        m,
                        "2.0",
                        RunPhase.UPDATE,
                        new AgentReport(
                                false,
                                4,
                                InstanceUpdateFailedEvent.COMMAND_FAILED,
                                "puppet exited with 4",
                                "Error: Could not apply catalog",
                                10,
                                3,
                                1)))
                .isEqualTo(ReportCorrelator.Outcome.CORRELATED));
        batches.complete(updateId, batchId, RunPhase.UPDATE);
        String rollbackId = batchId + "-rollback";

        batches.markUpdating(updateId, rollbackId, members, RunPhase.ROLLBACK);
        reports.applying(updateId, members.get(0), "1.0", RunPhase.ROLLBACK);
        MemberRecord applying = record(0);
        assertThat(applying.state()).isEqualTo(MemberProgress.ROLLING_BACK);
        assertThat(applying.rollback().message()).isEqualTo("agent is applying 1.0");
        assertThat(applying.rollback().exitCode())
                .as("the failed run's exit code is not the rollback's")
                .isNull();
        assertThat(applying.update().exitCode()).isEqualTo(4);
        members.forEach(m -> assertThat(reports.reported(updateId, m, "1.0", RunPhase.ROLLBACK, success()))
                .isEqualTo(ReportCorrelator.Outcome.CORRELATED));
        batches.complete(updateId, rollbackId, RunPhase.ROLLBACK);

        members.forEach(m -> {
            assertThat(topology.member(m).version()).isEqualTo("1.0");
            assertThat(topology.member(m).state()).isEqualTo(MemberState.ACTIVE);
        });
        MemberRecord rec = record(0);
        assertThat(rec.state()).isEqualTo(MemberProgress.ROLLED_BACK);
        assertThat(rec.update())
                .extracting(
                        RunResult::exitCode,
                        RunResult::failure,
                        RunResult::message,
                        RunResult::outputTail,
                        RunResult::resourcesChanged,
                        RunResult::resourcesFailed)
                .containsExactly(
                        4,
                        InstanceUpdateFailedEvent.COMMAND_FAILED,
                        "puppet exited with 4",
                        "Error: Could not apply catalog",
                        3,
                        1);
        assertThat(rec.rollback().exitCode()).isEqualTo(2);
        assertThat(rec.rollback().message()).isEqualTo("rolled back to 1.0");
        assertThat(topology.transitions(members.get(0))).last().satisfies(t -> {
            assertThat(t.reason())
                    .isEqualTo("rolled back to 1.0 (after the update to 2.0: exit 4, COMMAND_FAILED, "
                            + "puppet exited with 4)");
            assertThat(t.updateId()).isEqualTo(updateId);
        });
    }

    @Test
    void aLateReportIsKeptWithWhatItSaidAndChangesNothing() {
        batches.markUpdating(updateId, batchId, members, RunPhase.UPDATE);
        batches.complete(updateId, batchId, RunPhase.UPDATE);

        assertThat(reports.reported(updateId, members.get(0), "2.0", RunPhase.UPDATE, success()))
                .isEqualTo(ReportCorrelator.Outcome.LATE);
        assertThat(reports.reported(updateId, members.get(0), "2.0", RunPhase.UPDATE, success()))
                .isEqualTo(ReportCorrelator.Outcome.DUPLICATE);

        MemberRecord rec = record(0);
        assertThat(rec.state()).isEqualTo(MemberProgress.FAILED);
        assertThat(rec.update().failure()).isEqualTo(RunResult.NO_REPORT);
        assertThat(rec.update().lateReport()).contains("success: 2.0 applied, exit 2");
        assertThat(topology.member(members.get(0)).state()).isEqualTo(MemberState.SUSPENDED);
    }

    @Test
    void aReportForAnotherVersionEndsTheRunAsFailedSayingWhatItReported() {
        batches.markUpdating(updateId, batchId, members, RunPhase.UPDATE);

        assertThat(reports.reported(updateId, members.get(0), "1.2", RunPhase.UPDATE, success()))
                .isEqualTo(ReportCorrelator.Outcome.WRONG_VERSION);
        batches.complete(updateId, batchId, RunPhase.UPDATE);

        MemberRecord rec = record(0);
        assertThat(rec.state()).isEqualTo(MemberProgress.FAILED);
        assertThat(rec.update().failure()).isEqualTo(RunResult.WRONG_VERSION);
        assertThat(rec.update().message()).isEqualTo("the agent reported version 1.2, expected 2.0");
    }

    @Test
    void aPreflightChangesNoMemberAndRecordsEachVerdict() {
        List<String> delivered = agents.listen(COMMANDS);
        batches.markUpdating(updateId, batchId, members, RunPhase.PREFLIGHT);
        members.forEach(m -> assertThat(topology.member(m).state()).isEqualTo(MemberState.ACTIVE));
        assertThat(runs.agentBatchMembers(batchId))
                .extracting(MemberRecord::preflight)
                .containsOnly(PreflightResult.CHECKING);
        transactions.executeWithoutResult(tx -> batches.sendCommands(updateId, batchId, RunPhase.PREFLIGHT));
        await().atMost(Duration.ofSeconds(5)).until(() -> delivered.size() == 3);
        assertThat(delivered)
                .allSatisfy(c -> assertThat(c).contains("\"noop\":true").contains("\"version\":\"2.0\""));

        assertThat(reports.reported(updateId, members.get(0), "2.0", RunPhase.UPDATE, success()))
                .as("a report of a real run is no answer to a no-op")
                .isEqualTo(ReportCorrelator.Outcome.DUPLICATE);
        reports.reported(
                updateId,
                members.get(0),
                "2.0",
                RunPhase.PREFLIGHT,
                new AgentReport(true, 2, null, null, null, 10, 4, 0));
        reports.reported(
                updateId,
                members.get(1),
                "2.0",
                RunPhase.PREFLIGHT,
                new AgentReport(
                        false,
                        1,
                        InstanceUpdateFailedEvent.COMMAND_FAILED,
                        "Error: Evaluation Error: version 2.0 is not supported",
                        "Error: Evaluation Error",
                        10,
                        null,
                        null));
        batches.complete(updateId, batchId, RunPhase.PREFLIGHT);

        members.forEach(m -> {
            assertThat(topology.member(m).state()).isEqualTo(MemberState.ACTIVE);
            assertThat(topology.member(m).version()).isEqualTo("1.0");
        });
        assertThat(record(0).preflight()).isEqualTo(PreflightResult.PASSED);
        assertThat(record(0).preflightRun().resourcesChanged()).isEqualTo(4);
        assertThat(record(1).preflight()).isEqualTo(PreflightResult.FAILED);
        assertThat(record(1).preflightRun().message())
                .isEqualTo("Error: Evaluation Error: version 2.0 is not supported");
        assertThat(record(2).preflight()).isEqualTo(PreflightResult.FAILED);
        assertThat(record(2).preflightRun().failure()).isEqualTo(RunResult.NO_REPORT);
        assertThat(repository.members(updateId, members))
                .extracting(MemberRecord::state)
                .containsOnly(MemberProgress.PENDING);
    }

    @Test
    void theAgentsApplyingNoticeReadAfterItsReportDoesNotHideTheFailureReason() {
        batches.markUpdating(updateId, batchId, members, RunPhase.UPDATE);
        report(members.get(1), false, "puppet exited with 4");

        reports.applying(updateId, members.get(1), "2.0", RunPhase.UPDATE); // the two come on separate queues

        batches.complete(updateId, batchId, RunPhase.UPDATE);
        assertThat(record(1).update().message()).isEqualTo("puppet exited with 4");
    }

    @Test
    void anApplyingNoticeReadAfterItsReportWhileTheBatchStillWaitsIsOvertakenAndItsRepeatToo() {
        batches.markUpdating(updateId, batchId, members, RunPhase.UPDATE);
        report(members.get(1), true, null);

        assertThat(reports.applying(updateId, members.get(1), "2.0", RunPhase.UPDATE))
                .isEqualTo(ReportCorrelator.Outcome.OVERTAKEN);
        assertThat(record(1).ackedAt()).isNull(); // nothing written over the report

        assertThat(reports.applying(updateId, members.get(0), "2.0", RunPhase.UPDATE))
                .isEqualTo(ReportCorrelator.Outcome.CORRELATED);
        report(members.get(0), true, null);
        assertThat(reports.applying(updateId, members.get(0), "2.0", RunPhase.UPDATE))
                .as("recorded before the report: a repeat")
                .isEqualTo(ReportCorrelator.Outcome.DUPLICATE);
    }

    @Test
    void anApplyingNoticeReadAfterItsRunsReportIsOvertakenNotARepeat() {
        batches.markUpdating(updateId, batchId, members, RunPhase.UPDATE);
        report(members.get(1), true, null);
        batches.complete(updateId, batchId, RunPhase.UPDATE); // members.get(0) never reported: given up

        assertThat(reports.applying(updateId, members.get(1), "2.0", RunPhase.UPDATE))
                .isEqualTo(ReportCorrelator.Outcome.OVERTAKEN);
        assertThat(reports.applying(updateId, members.get(0), "2.0", RunPhase.UPDATE))
                .as("no report overtook it: the manager gave up on the agent")
                .isEqualTo(ReportCorrelator.Outcome.DUPLICATE);
        assertThat(reports.applying(updateId, members.get(1), "1.0", RunPhase.ROLLBACK))
                .as("a run that never took place")
                .isEqualTo(ReportCorrelator.Outcome.DUPLICATE);
        assertThat(record(1).ackedAt()).isNull();
    }

    @Test
    void completingTwiceChangesNothingTheSecondTime() {
        batches.markUpdating(updateId, batchId, members, RunPhase.UPDATE);
        members.forEach(m -> report(m, true, null));
        batches.complete(updateId, batchId, RunPhase.UPDATE);
        int transitions = topology.transitions(members.get(0)).size();

        batches.complete(updateId, batchId, RunPhase.UPDATE);

        assertThat(topology.transitions(members.get(0))).hasSize(transitions);
    }

    /** The batch's acknowledgement deadline has passed (the members' progress is as it was). */
    private void ackWindowOver() {
        runs.startAgentBatch(
                batchId,
                updateId,
                members,
                RunPhase.UPDATE,
                Instant.now(),
                Instant.now().plus(Duration.ofHours(1)),
                Instant.now().minusSeconds(1));
    }

    private MemberRecord record(int i) {
        return repository.member(updateId, members.get(i)).orElseThrow();
    }

    private void report(String memberId, boolean ok, String reason) {
        AgentReport report = ok
                ? success()
                : new AgentReport(false, 4, InstanceUpdateFailedEvent.COMMAND_FAILED, reason, "tail", 10, null, null);
        assertThat(reports.reported(updateId, memberId, "2.0", RunPhase.UPDATE, report))
                .isEqualTo(ReportCorrelator.Outcome.CORRELATED);
    }

    private static AgentReport success() {
        return new AgentReport(true, 2, null, null, null, 10, null, null);
    }
}
