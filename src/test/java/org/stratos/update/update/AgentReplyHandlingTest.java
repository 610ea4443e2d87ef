package org.stratos.update.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.activemq.broker.BrokerService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;
import org.stratos.update.credentials.AgentCredentials;
import org.stratos.update.messaging.EventRejections;
import org.stratos.update.support.BrokerClient;
import org.stratos.update.support.ManagerTest;
import org.stratos.update.support.TestIds;
import org.stratos.update.topology.MemberJoin;
import org.stratos.update.topology.NewApplication;
import org.stratos.update.topology.TopologyService;

/** Replies and commands as the broker really delivers them: late, twice, for the wrong member, before commit. */
@ManagerTest
class AgentReplyHandlingTest {

    private static final String UPDATED = "instance.status.InstanceUpdatedEvent";
    private static final String UPDATING = "instance.status.InstanceUpdatingEvent";

    @Autowired
    TopologyService topology;

    @Autowired
    UpdateRepository repository;

    @Autowired
    AgentBatchRepository runs;

    @Autowired
    AgentBatchService batches;

    @Autowired
    EventRejections rejections;

    @Autowired
    BrokerService broker;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    AgentCredentials credentials;

    BrokerClient agent;
    String app;
    String clusterId;
    String memberId;
    String updateId;
    String batchId;

    @BeforeEach
    void aMemberBeingUpdated() {
        app = TestIds.applicationId("reply");
        topology.register(new NewApplication(
                app, null, List.of(new NewApplication.NewCluster("php", "php", "puppet", "1.0", null, null)), null));
        clusterId = app + ".php.php.domain";
        memberId = clusterId + UUID.randomUUID();
        agent = BrokerClient.agent(broker, credentials, clusterId, memberId);
        topology.join(new MemberJoin(app, clusterId, memberId, "1.0", null), true);
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
                updateId, clusterId, 0, ClusterProgress.RUNNING, "1.0", "2.0", 1, 1, 0, 0, 1, 0, null, null, null));
        repository.insertMembers(updateId, clusterId, 1, List.of(memberId), List.of("1.0"), "2.0");
        batchId = "batch-" + UUID.randomUUID(); // no batchUpdate flow waits: the replies' effect is in the records
        runs.startAgentBatch(
                batchId,
                updateId,
                List.of(memberId),
                RunPhase.UPDATE,
                Instant.now(),
                Instant.now().plus(Duration.ofHours(1)),
                Instant.now().plus(Duration.ofHours(1)));
    }

    @AfterEach
    void disconnect() {
        agent.close();
    }

    @Test
    void aCommandLeavesTheBrokerOnlyWhenTheStepThatSentItCommits() {
        List<String> delivered = agent.listen("instance.notifier.SoftwareUpdateEvent", "memberId = '" + memberId + "'");

        transactions.executeWithoutResult(tx -> {
            batches.sendCommands(updateId, batchId, RunPhase.UPDATE);
            // the process is not durably waiting yet: no agent may have the command
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1)).until(delivered::isEmpty);
        });

        await().atMost(Duration.ofSeconds(5)).until(() -> delivered.size() == 1);
        assertThat(delivered.get(0))
                .contains("\"memberId\":\"" + memberId + "\"")
                .contains("\"version\":\"2.0\"")
                .contains("\"previousVersion\":\"1.0\"")
                .contains("\"updateTimeout\":\"PT30M\"")
                .contains("\"deadline\":\"")
                .contains("\"noop\":false");
    }

    @Test
    void aReplyForAnUnknownUpdateOrMemberIsIgnoredAndCounted() {
        double before = rejections.count(UPDATED, "unknown");
        double unregistered = rejections.count(UPDATED, "unregistered");

        agent.send(UPDATED, reply("upd-nosuchupdate", memberId, "2.0"));
        agent.send(UPDATED, reply(updateId, clusterId + "someone-else", "2.0"));

        await().atMost(Duration.ofSeconds(10))
                .until(() -> rejections.count(UPDATED, "unknown") == before + 1
                        && rejections.count(UPDATED, "unregistered") == unregistered + 1);
        assertThat(repository.member(updateId, memberId).orElseThrow().state()).isEqualTo(MemberProgress.UPDATING);
    }

    @Test
    void aReplyForAnotherVersionIsCountedAndRecordedAsTheMembersFailedReportSayingSo() {
        double before = rejections.count(UPDATED, "wrong-version");

        agent.send(UPDATED, reply(updateId, memberId, "3.0"));

        await().atMost(Duration.ofSeconds(10)).until(() -> rejections.count(UPDATED, "wrong-version") == before + 1);
        MemberRecord rec = repository.member(updateId, memberId).orElseThrow();
        assertThat(rec.reportOk()).isFalse();
        assertThat(rec.update().failure()).isEqualTo(RunResult.WRONG_VERSION);
        assertThat(rec.update().message()).isEqualTo("the agent reported version 3.0, expected 2.0");
        assertThat(runs.agentBatch(batchId).orElseThrow().outstanding()).isZero();
    }

    @Test
    void aReplyAfterTheManagerGaveUpIsCountedAsLateAndKeptWithWhatItSaid() {
        runs.finishMembers(
                updateId,
                List.of(new AgentBatchRepository.MemberEnd(
                        memberId, MemberProgress.FAILED, "no report from the agent within PT37M", RunResult.NO_REPORT)),
                Instant.now());
        double late = rejections.count(UPDATED, "late");
        double duplicate = rejections.count(UPDATED, "duplicate");

        agent.send(UPDATED, reply(updateId, memberId, "2.0"));
        await().atMost(Duration.ofSeconds(10)).until(() -> rejections.count(UPDATED, "late") == late + 1);
        agent.send(UPDATED, reply(updateId, memberId, "2.0"));
        await().atMost(Duration.ofSeconds(10)).until(() -> rejections.count(UPDATED, "duplicate") == duplicate + 1);

        MemberRecord rec = repository.member(updateId, memberId).orElseThrow();
        assertThat(rec.state()).isEqualTo(MemberProgress.FAILED);
        assertThat(rec.update().message()).isEqualTo("no report from the agent within PT37M");
        assertThat(rec.update().lateReport())
                .contains("after the manager gave up")
                .contains("success: 2.0 applied")
                .contains("exit 2");
    }

    @Test
    void aFailureReportOfAnUnknownKindIsRejectedAsInvalidAndChangesNothing() {
        String failed = "instance.status.InstanceUpdateFailedEvent";
        double before = rejections.count(failed, "invalid");

        agent.send(failed, """
                {"updateId":"%s","clusterId":"%s","memberId":"%s","version":"2.0","exitCode":1,
                 "reason":"who knows","failure":"SOMETHING_ELSE"}""".formatted(updateId, clusterId, memberId));

        await().atMost(Duration.ofSeconds(10)).until(() -> rejections.count(failed, "invalid") == before + 1);
        assertThat(repository.member(updateId, memberId).orElseThrow().reportOk())
                .isNull();
    }

    @Test
    void aRepeatedReplyForAMemberThatIsDoneChangesNothing() {
        repository.finishMember(updateId, memberId, MemberProgress.UPDATED, 2, "updated to 2.0", null, Instant.now());
        double before = rejections.count(UPDATED, "duplicate");

        agent.send(UPDATED, reply(updateId, memberId, "2.0"));
        agent.send(UPDATED, reply(updateId, memberId, "2.0"));

        await().atMost(Duration.ofSeconds(10)).until(() -> rejections.count(UPDATED, "duplicate") == before + 2);
        assertThat(repository.member(updateId, memberId).orElseThrow().state()).isEqualTo(MemberProgress.UPDATED);
    }

    @Test
    void aRecordedReplyMarkedAsARedeliveryIsCountedAsRedeliveredNotAsADuplicateAndChangesNothing() {
        double duplicate = rejections.count(UPDATED, "duplicate");
        double redelivered = rejections.redeliveredCount(UPDATED);

        reportedAndRecorded();
        // as the broker would deliver it again after a lost acknowledgement; here the agent made the mark up itself
        agent.sendMarkedRedelivered(UPDATED, reply(updateId, memberId, "3.0"));

        await().atMost(Duration.ofSeconds(10)).until(() -> rejections.redeliveredCount(UPDATED) == redelivered + 1);
        assertThat(rejections.count(UPDATED, "duplicate")).isEqualTo(duplicate);
        MemberRecord rec = repository.member(updateId, memberId).orElseThrow();
        assertThat(rec.reportOk()).isTrue();
        assertThat(rec.update().failure()).isNull(); // not the second one's version
        assertThat(runs.agentBatch(batchId).orElseThrow().outstanding()).isZero();
    }

    @Test
    void anApplyingNoticeReadAfterItsRunsReportIsCountedAsOvertakenNotAsADuplicate() {
        double duplicate = rejections.count(UPDATING, "duplicate");
        double overtaken = rejections.overtakenCount(UPDATING);
        reportedAndRecorded();
        repository.finishMember(updateId, memberId, MemberProgress.UPDATED, 2, "updated to 2.0", null, Instant.now());

        // the agent sent it before its report, on another queue: it is read only now
        agent.send(UPDATING, applying(updateId, memberId));

        await().atMost(Duration.ofSeconds(10)).until(() -> rejections.overtakenCount(UPDATING) == overtaken + 1);
        assertThat(rejections.count(UPDATING, "duplicate")).isEqualTo(duplicate);
        MemberRecord rec = repository.member(updateId, memberId).orElseThrow();
        assertThat(rec.ackedAt()).isNull();
        assertThat(rec.update().message()).isEqualTo("updated to 2.0");
    }

    @Test
    void anApplyingNoticeThatWasRecordedAndComesAgainAfterTheRunIsStillADuplicate() {
        agent.send(UPDATING, applying(updateId, memberId));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> repository.member(updateId, memberId).orElseThrow().ackedAt() != null);
        reportedAndRecorded();
        repository.finishMember(updateId, memberId, MemberProgress.UPDATED, 2, "updated to 2.0", null, Instant.now());
        double duplicate = rejections.count(UPDATING, "duplicate");
        double overtaken = rejections.overtakenCount(UPDATING);

        agent.send(UPDATING, applying(updateId, memberId));

        await().atMost(Duration.ofSeconds(10)).until(() -> rejections.count(UPDATING, "duplicate") == duplicate + 1);
        assertThat(rejections.overtakenCount(UPDATING)).isEqualTo(overtaken);
    }

    @Test
    void theFirstReplyIsRecordedOnceAndTheBatchWaitsForOneReportFewer() {
        double before = rejections.count(UPDATED, "duplicate");

        agent.send(UPDATED, reply(updateId, memberId, "2.0"));
        agent.send(UPDATED, reply(updateId, memberId, "2.0"));

        await().atMost(Duration.ofSeconds(10)).until(() -> rejections.count(UPDATED, "duplicate") == before + 1);
        MemberRecord rec = repository.member(updateId, memberId).orElseThrow();
        assertThat(rec.reportOk()).isTrue();
        assertThat(rec.update().exitCode()).isEqualTo(2);
        assertThat(rec.state()).isEqualTo(MemberProgress.UPDATING); // the batch's flow records the outcome
        assertThat(runs.agentBatch(batchId).orElseThrow().outstanding()).isZero();
    }

    /** The member's agent reports its update done, and the batch has the report. */
    private void reportedAndRecorded() {
        agent.send(UPDATED, reply(updateId, memberId, "2.0"));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> runs.agentBatch(batchId).orElseThrow().outstanding() == 0);
    }

    private String applying(String update, String member) {
        return """
                {"updateId":"%s","applicationId":"%s","serviceName":"php","clusterId":"%s","memberId":"%s",
                 "version":"2.0","rollback":false,"noop":false}""".formatted(update, app, clusterId, member);
    }

    private String reply(String update, String member, String version) {
        return """
                {"updateId":"%s","applicationId":"%s","serviceName":"php","clusterId":"%s","memberId":"%s",
                 "version":"%s","rollback":false,"exitCode":2,"durationMillis":10}""".formatted(update, app, clusterId, member, version);
    }
}
