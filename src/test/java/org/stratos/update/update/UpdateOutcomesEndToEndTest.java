package org.stratos.update.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.activemq.broker.BrokerService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.stratos.update.common.ConflictException;
import org.stratos.update.credentials.AgentCredentials;
import org.stratos.update.credentials.IssuedCredentials;
import org.stratos.update.messaging.event.instance.notifier.SoftwareUpdateEvent;
import org.stratos.update.messaging.event.instance.status.InstanceUpdateFailedEvent;
import org.stratos.update.support.BrokerClient;
import org.stratos.update.support.ManagerTest;
import org.stratos.update.support.ScriptedAgent;
import org.stratos.update.support.TestIds;
import org.stratos.update.topology.ApplicationView;
import org.stratos.update.topology.ClusterState;
import org.stratos.update.topology.MemberState;
import org.stratos.update.topology.MemberTransition;
import org.stratos.update.topology.NewApplication;
import org.stratos.update.topology.TopologyService;

/**
 * Whole updates of a Puppet cluster through the engine and the broker, its agents played by {@link ScriptedAgent}s
 * that answer as real agents do: what an update ends as, what the members and the cluster are left as, and what the
 * records keep, for failures within the budget, failed rollbacks, dead agents, a disabled Puppet, a repair and the
 * pre-flight.
 */
@ManagerTest
class UpdateOutcomesEndToEndTest {

    @Autowired
    TopologyService topology;

    @Autowired
    UpdateService updates;

    @Autowired
    UpdateReadModel views;

    @Autowired
    UpdateRepository records;

    @Autowired
    BrokerService broker;

    @Autowired
    AgentCredentials credentials;

    final List<ScriptedAgent> agents = new ArrayList<>();
    String app;
    String clusterId;

    @AfterEach
    void stopAgents() {
        agents.forEach(ScriptedAgent::close);
    }

    @Test
    void aMemberFailingWithinTheBudgetEndsTheUpdateCompletedWithFailuresAndTheClusterShowsBothVersions() {
        List<ScriptedAgent> m = cluster(3);
        m.get(0).answering(applies(m.get(0)));
        m.get(1).answering(applies(m.get(1)));
        m.get(2).answering(failsToApply(m.get(2)));

        UpdateRecord ended = run(request("2.0", true, "1", "1", null));

        assertThat(ended.state()).isEqualTo(UpdateState.COMPLETED_WITH_FAILURES);
        assertThat(ended.message()).contains(m.get(2).memberId()).contains("FAILED: puppet exited with 4");
        assertThat(records.clusters(ended.id()))
                .singleElement()
                .satisfies(c -> assertThat(c.state()).isEqualTo(ClusterProgress.UPDATED_WITH_FAILURES));
        ApplicationView.ClusterView cluster =
                topology.application(app).clusters().get(0);
        assertThat(cluster.version()).as("the version every Active member runs").isEqualTo("2.0");
        assertThat(cluster.versions())
                .isEqualTo(Map.of(
                        "1.0",
                        List.of(m.get(2).memberId()),
                        "2.0",
                        List.of(m.get(0).memberId(), m.get(1).memberId()).stream()
                                .sorted()
                                .toList()));
        assertThat(topology.member(m.get(2).memberId()).state()).isEqualTo(MemberState.SUSPENDED);
    }

    @Test
    void aFailedMemberIsRepairedByTheNextUpdateToTheVersionItShouldHave() {
        // given m2 failed an update to 2.0 and was left Suspended (no rollback)
        List<ScriptedAgent> m = cluster(2);
        m.get(0).answering(applies(m.get(0)));
        m.get(1).answering(failsToApply(m.get(1)));
        assertThat(run(request("2.0", true, "2", "1", false)).state()).isEqualTo(UpdateState.COMPLETED_WITH_FAILURES);
        assertThat(topology.member(m.get(1).memberId()).state()).isEqualTo(MemberState.SUSPENDED);
        int commandsToTheHealthyOne = m.get(0).commands().size();

        // when the manifest is fixed and the same update is run again
        m.get(1).answering(applies(m.get(1)));
        UpdateRecord repair = run(request("2.0", true, "2", null, false));

        // then the Suspended member is targeted, and ends Active on the version; the other was not touched again
        assertThat(repair.state()).isEqualTo(UpdateState.COMPLETED);
        assertThat(records.members(repair.id())).singleElement().satisfies(r -> {
            assertThat(r.memberId()).isEqualTo(m.get(1).memberId());
            assertThat(r.state()).isEqualTo(MemberProgress.UPDATED);
            assertThat(r.fromVersion()).isEqualTo("1.0");
        });
        assertThat(topology.member(m.get(1).memberId())).satisfies(member -> {
            assertThat(member.state()).isEqualTo(MemberState.ACTIVE);
            assertThat(member.version()).isEqualTo("2.0");
        });
        assertThat(m.get(0).commands()).hasSize(commandsToTheHealthyOne);
        assertThat(topology.application(app).clusters().get(0).versions()).isNull();
    }

    @Test
    void aRollbackThatLeavesAMemberBehindEndsRollbackFailedNamingItWithBothRunsKept() {
        List<ScriptedAgent> m = cluster(2);
        m.get(0).answering(failsToApply(m.get(0)));
        m.get(1)
                .answering(command -> command.rollback()
                        ? List.of(
                                m.get(1).ack(command),
                                m.get(1)
                                        .failed(
                                                command,
                                                InstanceUpdateFailedEvent.COMMAND_FAILED,
                                                1,
                                                "rollback exited with 1",
                                                "Error: package php-1.0 is no longer in the repository"))
                        : failsToApply(m.get(1)).apply(command));

        UpdateRecord ended = run(request("2.0", true, "2", null, null));

        assertThat(ended.state()).isEqualTo(UpdateState.ROLLBACK_FAILED);
        assertThat(ended.message())
                .contains(m.get(1).memberId())
                .doesNotContain(m.get(0).memberId() + " (");
        UpdateView.MemberView behind = memberView(ended.id(), m.get(1).memberId());
        assertThat(behind.state()).isEqualTo(MemberProgress.ROLLBACK_FAILED);
        assertThat(behind.exitCode()).isEqualTo(4);
        assertThat(behind.message()).isEqualTo("puppet exited with 4");
        assertThat(behind.outputTail()).isEqualTo("Error: Could not apply catalog");
        assertThat(behind.rollback().exitCode()).isEqualTo(1);
        assertThat(behind.rollback().message()).isEqualTo("rollback exited with 1");
        assertThat(behind.rollback().outputTail()).contains("no longer in the repository");
        UpdateView.MemberView back = memberView(ended.id(), m.get(0).memberId());
        assertThat(back.state()).isEqualTo(MemberProgress.ROLLED_BACK);
        assertThat(back.exitCode()).as("the failed run's exit code is kept").isEqualTo(4);
        assertThat(back.rollback().message()).isEqualTo("rolled back to 1.0");
        assertThat(topology.member(m.get(0).memberId()).state()).isEqualTo(MemberState.ACTIVE);
        assertThat(topology.member(m.get(1).memberId()).state()).isEqualTo(MemberState.SUSPENDED);
    }

    @Test
    void deadAgentsFailWithinTheAcknowledgementWindowAndTheClusterSaysItHasNoActiveMember() {
        // given an all-at-once update whose agents are all gone
        List<ScriptedAgent> m = cluster(2);
        try (BrokerClient listener = new BrokerClient(broker)) {
            List<String> inactive = listener.listen("topology.ClusterInactivatedEvent");
            Instant started = Instant.now();

            UpdateRecord ended = run(request("2.0", false, null, null, null));

            // then they fail as unreachable at the first looks past the acknowledgement window, not after the
            // update's time limit (PT1M + PT30S + 1 min here), and the rollback does not wait for them again
            assertThat(Duration.between(started, ended.endedAt())).isLessThan(Duration.ofSeconds(60));
            assertThat(ended.state()).isEqualTo(UpdateState.ROLLBACK_FAILED);
            for (ScriptedAgent agent : m) {
                MemberRecord rec = records.member(ended.id(), agent.memberId()).orElseThrow();
                assertThat(rec.update().failure()).isEqualTo(RunResult.UNREACHABLE);
                assertThat(rec.state()).isEqualTo(MemberProgress.ROLLBACK_FAILED);
                assertThat(rec.rollback().message()).contains("unreachable during the update");
                assertThat(agent.commands()).noneMatch(SoftwareUpdateEvent::rollback);
            }
            assertThat(topology.cluster(clusterId).state()).isEqualTo(ClusterState.INACTIVE);
            assertThat(records.clusters(ended.id()).get(0).message()).contains("no member of the cluster is Active");
            await().atMost(Duration.ofSeconds(10)).until(() -> inactive.stream().anyMatch(e -> e.contains(clusterId)));
        }
    }

    @Test
    void aDisabledPuppetLeavesItsMemberUnchangedAndNotRolledBackAndTheUpdateNotCompleted() {
        List<ScriptedAgent> m = cluster(3);
        m.get(0).answering(applies(m.get(0)));
        m.get(1)
                .answering(
                        command -> List.of(
                                m.get(1).ack(command),
                                m.get(1)
                                        .failed(
                                                command,
                                                InstanceUpdateFailedEvent.DISABLED,
                                                1,
                                                "Puppet is disabled on the member: kernel upgrade by ops",
                                                "Notice: Skipping run of Puppet configuration client; administratively disabled")));
        m.get(2).answering(applies(m.get(2)));

        UpdateRecord ended = run(request("2.0", true, "3", "0", null));

        // maxFailures 0, yet no rollback: nothing ran on the disabled member, it is no broken update
        assertThat(ended.state()).isEqualTo(UpdateState.COMPLETED_WITH_FAILURES);
        assertThat(ended.message())
                .contains(m.get(1).memberId() + " (NOT_APPLIED: not applied, nothing ran: "
                        + "Puppet is disabled on the member");
        MemberRecord disabled = records.member(ended.id(), m.get(1).memberId()).orElseThrow();
        assertThat(disabled.state()).isEqualTo(MemberProgress.NOT_APPLIED);
        assertThat(disabled.update().failure()).isEqualTo(InstanceUpdateFailedEvent.DISABLED);
        assertThat(topology.member(m.get(1).memberId())).satisfies(member -> {
            assertThat(member.state()).isEqualTo(MemberState.ACTIVE);
            assertThat(member.version()).isEqualTo("1.0");
        });
        m.forEach(agent -> assertThat(agent.commands()).noneMatch(SoftwareUpdateEvent::rollback));
        assertThat(topology.member(m.get(0).memberId()).version()).isEqualTo("2.0");
    }

    @Test
    void aPreflightFailureStopsTheUpdateBeforeAnyMemberChangesWithEachMembersReason() {
        List<ScriptedAgent> m = cluster(3);
        m.get(0).answering(applies(m.get(0)));
        m.get(1).answering(applies(m.get(1)));
        m.get(2)
                .answering(command -> command.noop()
                        ? List.of(
                                m.get(2).ack(command),
                                m.get(2)
                                        .failed(
                                                command,
                                                InstanceUpdateFailedEvent.COMMAND_FAILED,
                                                1,
                                                "Error: Evaluation Error: no php package for version 2.0",
                                                "Error: Evaluation Error"))
                        : applies(m.get(2)).apply(command));

        UpdateRecord ended = run(request("2.0", true, "1", null, null, "noop"));

        assertThat(ended.state()).isEqualTo(UpdateState.PREFLIGHT_FAILED);
        assertThat(ended.message())
                .contains("the pre-flight failed on 1 of 3 members")
                .contains(m.get(2).memberId() + " (pre-flight FAILED: Error: Evaluation Error");
        for (ScriptedAgent agent : m) {
            assertThat(agent.commands()).isNotEmpty().allMatch(SoftwareUpdateEvent::noop);
            assertThat(topology.transitions(agent.memberId()))
                    .extracting(MemberTransition::to)
                    .doesNotContain(MemberState.UPDATING);
            assertThat(topology.member(agent.memberId()).version()).isEqualTo("1.0");
        }
        UpdateView.MemberView failed = memberView(ended.id(), m.get(2).memberId());
        assertThat(failed.batch()).isZero();
        assertThat(failed.state()).isEqualTo(MemberProgress.PENDING);
        assertThat(failed.preflight().result()).isEqualTo(PreflightResult.FAILED);
        assertThat(failed.preflight().exitCode()).isEqualTo(1);
        assertThat(failed.preflight().outputTail()).isEqualTo("Error: Evaluation Error");
        assertThat(memberView(ended.id(), m.get(0).memberId()).preflight().result())
                .isEqualTo(PreflightResult.PASSED);
        assertThat(topology.cluster(clusterId).lockedBy()).isNull();
    }

    @Test
    void aPreflightThatPassesIsFollowedByTheUpdateItself() {
        List<ScriptedAgent> m = cluster(2);
        m.forEach(agent -> agent.answering(applies(agent)));

        UpdateRecord ended = run(request("2.0", true, "1", null, null, "noop"));

        assertThat(ended.state()).isEqualTo(UpdateState.COMPLETED);
        for (ScriptedAgent agent : m) {
            assertThat(agent.commands().get(0).noop()).isTrue();
            assertThat(agent.commands()).anyMatch(c -> !c.noop());
            MemberRecord rec = records.member(ended.id(), agent.memberId()).orElseThrow();
            assertThat(rec.preflight()).isEqualTo(PreflightResult.PASSED);
            assertThat(rec.preflightRun().resourcesChanged()).isEqualTo(3);
            assertThat(rec.state()).isEqualTo(MemberProgress.UPDATED);
            assertThat(rec.batchNumber()).isPositive();
        }
    }

    @Test
    void aSuspendedMemberWhoseAgentComesBackOnAKnownVersionRejoinsActive() {
        List<ScriptedAgent> m = cluster(2);
        m.get(0).answering(applies(m.get(0)));
        m.get(1).answering(failsToApply(m.get(1)));
        run(request("2.0", true, "2", "1", false));
        ScriptedAgent back = m.get(1);
        assertThat(topology.member(back.memberId()).state()).isEqualTo(MemberState.SUSPENDED);

        // an agent that comes back on a version nobody knows for the member does not bring it back
        back.activated("7.7");
        // one that comes back on the version its last update was to (the run did apply, say) does
        back.activated("2.0");

        await().atMost(Duration.ofSeconds(10))
                .until(() -> topology.member(back.memberId()).state() == MemberState.ACTIVE);
        assertThat(topology.member(back.memberId()).version()).isEqualTo("2.0");
        assertThat(topology.transitions(back.memberId()))
                .extracting(MemberTransition::to)
                .filteredOn(s -> s == MemberState.ACTIVE)
                .hasSize(2); // joined, then back (not on 7.7)
        assertThat(topology.transitions(back.memberId()))
                .last()
                .satisfies(t -> assertThat(t.reason()).contains("agent is back: ready on 2.0"));
    }

    @Test
    void whileTheMembersAreRolledBackTheUpdateIsRollingBackAndTheFailedRunStaysBesideTheRollbacksProgress() {
        ScriptedAgent agent = cluster(1).get(0);
        agent.answering(command -> command.rollback()
                ? List.of(agent.ack(command)) // holds its report back
                : failsToApply(agent).apply(command));
        UpdateRecord started = updates.start(app, request("2.0", true, "1", null, null), "tester");
        assertThat(started.state()).isEqualTo(UpdateState.RUNNING);

        // the member has no progress row until its cluster is planned: not there yet is not a failure
        await().atMost(Duration.ofSeconds(60))
                .ignoreException(java.util.NoSuchElementException.class)
                .until(() -> memberView(started.id(), agent.memberId()).rollback() != null
                        && "agent is applying 1.0"
                                .equals(memberView(started.id(), agent.memberId())
                                        .rollback()
                                        .message()));

        assertThat(views.update(started.id()).state()).isEqualTo(UpdateState.ROLLING_BACK);
        UpdateView.MemberView rollingBack = memberView(started.id(), agent.memberId());
        assertThat(rollingBack.state()).isEqualTo(MemberProgress.ROLLING_BACK);
        assertThat(rollingBack.rollback().exitCode()).isNull();
        assertThat(rollingBack.exitCode()).isEqualTo(4);
        assertThat(rollingBack.message()).isEqualTo("puppet exited with 4");
        assertThatThrownBy(() -> updates.pause(started.id()))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("ROLLING_BACK");

        agent.report(agent.updated(
                agent.commands().stream()
                        .filter(SoftwareUpdateEvent::rollback)
                        .findFirst()
                        .orElseThrow(),
                1));
        await().atMost(Duration.ofSeconds(60))
                .until(() -> records.find(started.id()).orElseThrow().state().ended());
        assertThat(records.find(started.id()).orElseThrow().state()).isEqualTo(UpdateState.ROLLED_BACK);
    }

    @Test
    void anAbortAskedWhileABatchRunsIsAbortingUntilTheBatchEndsThenAborted() {
        List<ScriptedAgent> m = cluster(2);
        m.forEach(agent -> agent.answering(command -> List.of(agent.ack(command)))); // reports held back
        UpdateRecord started = updates.start(app, request("2.0", true, "1", null, null), "tester");
        await().atMost(Duration.ofSeconds(60))
                .until(() -> m.stream().anyMatch(a -> !a.commands().isEmpty()));
        ScriptedAgent first =
                m.stream().filter(a -> !a.commands().isEmpty()).findFirst().orElseThrow();

        assertThat(updates.abort(started.id(), false).state()).isEqualTo(UpdateState.ABORTING);
        first.report(first.updated(first.commands().get(0), 2));

        UpdateRecord ended = awaitEnd(started.id());
        assertThat(ended.state()).isEqualTo(UpdateState.ABORTED);
        assertThat(topology.member(first.memberId()).version()).isEqualTo("2.0");
        assertThat(m)
                .filteredOn(a -> a != first)
                .singleElement()
                .satisfies(a -> assertThat(a.commands()).isEmpty());
    }

    @Test
    void withoutAutoRollbackAFailurePastTheBudgetEndsTheUpdateFailed() {
        ScriptedAgent agent = cluster(1).get(0);
        agent.answering(failsToApply(agent));

        UpdateRecord ended = run(request("2.0", true, "1", "0", false));

        assertThat(ended.state()).isEqualTo(UpdateState.FAILED);
        assertThat(ended.message()).contains("more members failed than maxFailures allows (1 > 0)");
        assertThat(agent.commands()).noneMatch(SoftwareUpdateEvent::rollback);
        assertThat(topology.member(agent.memberId()).state()).isEqualTo(MemberState.SUSPENDED);
    }

    // ---- the cluster and its agents

    private List<ScriptedAgent> cluster(int members) {
        app = TestIds.applicationId("outcome");
        topology.register(new NewApplication(
                app, null, List.of(new NewApplication.NewCluster("php", "php", "puppet", "1.0", null, members)), null));
        clusterId = app + ".php.php.domain";
        List<ScriptedAgent> created = new ArrayList<>();
        for (IssuedCredentials issued : credentials.register(app, "php", members, false, "test")) {
            ScriptedAgent agent = new ScriptedAgent(broker, app, clusterId, issued.user(), issued.password());
            agents.add(agent);
            created.add(agent.activated("1.0"));
        }
        await().atMost(Duration.ofSeconds(20))
                .until(() -> topology.members(clusterId).stream()
                                .filter(x -> x.state() == MemberState.ACTIVE)
                                .count()
                        == members);
        return created;
    }

    /** Applies every command (exit 2), rollbacks too. */
    private static Function<SoftwareUpdateEvent, List<Object>> applies(ScriptedAgent agent) {
        return command -> List.of(agent.ack(command), agent.updated(command, 3));
    }

    /** Fails to apply the update (exit 4); a rollback succeeds; a no-op run passes. */
    private static Function<SoftwareUpdateEvent, List<Object>> failsToApply(ScriptedAgent agent) {
        return command -> command.rollback() || command.noop()
                ? applies(agent).apply(command)
                : List.of(
                        agent.ack(command),
                        agent.failed(
                                command,
                                InstanceUpdateFailedEvent.COMMAND_FAILED,
                                4,
                                "puppet exited with 4",
                                "Error: Could not apply catalog"));
    }

    private static UpdateRequest request(
            String version, boolean compatible, String batch, String maxFailures, Boolean autoRollback) {
        return request(version, compatible, batch, maxFailures, autoRollback, null);
    }

    private static UpdateRequest request(
            String version,
            boolean compatible,
            String batch,
            String maxFailures,
            Boolean autoRollback,
            String preflight) {
        return new UpdateRequest(
                List.of("php"),
                null,
                version,
                null,
                compatible,
                batch,
                maxFailures,
                null,
                "PT30S",
                null,
                null,
                "PT1M",
                null,
                autoRollback,
                null,
                preflight);
    }

    private UpdateRecord run(UpdateRequest request) {
        return awaitEnd(updates.start(app, request, "tester").id());
    }

    private UpdateRecord awaitEnd(String updateId) {
        await().atMost(Duration.ofSeconds(90))
                .until(() -> records.find(updateId).orElseThrow().state().ended());
        return records.find(updateId).orElseThrow();
    }

    private UpdateView.MemberView memberView(String updateId, String memberId) {
        return views.update(updateId).clusters().stream()
                .flatMap(c -> c.memberProgress().stream())
                .filter(v -> v.memberId().equals(memberId))
                .findFirst()
                .orElseThrow();
    }
}
