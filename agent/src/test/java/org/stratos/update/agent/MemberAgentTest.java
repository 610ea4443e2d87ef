package org.stratos.update.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.jms.Connection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.broker.region.Subscription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stratos.update.messaging.event.EventTopics;
import org.stratos.update.messaging.event.instance.notifier.SoftwareUpdateEvent;
import org.stratos.update.messaging.event.instance.status.InstanceActivatedEvent;
import org.stratos.update.messaging.event.instance.status.InstanceStartedEvent;
import org.stratos.update.messaging.event.instance.status.InstanceUpdateFailedEvent;
import org.stratos.update.messaging.event.instance.status.InstanceUpdatedEvent;
import org.stratos.update.messaging.event.instance.status.InstanceUpdatingEvent;

/** Agents on one shared connection, as in the manager's fleet, against a real broker and real child processes. */
class MemberAgentTest {

    private static final String CLUSTER = "shop.php.php.domain";
    private static final AtomicInteger MEMBERS = new AtomicInteger();

    private static TestBroker broker;
    private static TestClient manager;
    private static Connection fleetConnection;

    @TempDir
    Path dir;

    private final List<MemberAgent> agents = new ArrayList<>();

    @BeforeAll
    static void startBroker() throws Exception {
        broker = TestBroker.start();
        manager = new TestClient(broker.url());
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(broker.url());
        factory.setWatchTopicAdvisories(false);
        fleetConnection = factory.createConnection();
        fleetConnection.start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        fleetConnection.close();
        manager.close();
        broker.close();
    }

    @AfterEach
    void stopAgents() {
        agents.forEach(MemberAgent::close);
    }

    @Test
    void announcesItselfStartedThenActivatedWithItsIdentity() throws Exception {
        String member = startAgent(Scripts.puppet(dir, dir.resolve("runs"), 0))
                .identity()
                .memberId();

        InstanceActivatedEvent activated = manager.awaitEvent(
                InstanceActivatedEvent.class, e -> e.memberId().equals(member));
        InstanceStartedEvent started =
                manager.awaitEvent(InstanceStartedEvent.class, e -> e.memberId().equals(member));
        assertThat(activated)
                .isEqualTo(new InstanceActivatedEvent(
                        "shop", "php", CLUSTER, "shop-1", "default", "P1", member, "1.0", "10.0.0.7"));
        assertThat(started).usingRecursiveComparison().isEqualTo(activated);
        assertThat(manager.all().indexOf(started)).isLessThan(manager.all().indexOf(activated));
    }

    @Test
    void appliesAnUpdateAndReportsTheNewVersion() throws Exception {
        Path runs = dir.resolve("runs");
        MemberAgent agent = startAgent(Scripts.puppet(dir, runs, 0));
        String member = agent.identity().memberId();

        manager.send(command(member, "u-ok", "2.0", false));

        InstanceUpdatedEvent updated =
                manager.awaitEvent(InstanceUpdatedEvent.class, e -> e.memberId().equals(member));
        assertThat(updated.updateId()).isEqualTo("u-ok");
        assertThat(updated.version()).isEqualTo("2.0");
        assertThat(updated.exitCode()).isZero();
        assertThat(updated.healthCheck()).isEqualTo("none");
        assertThat(updated.clusterId()).isEqualTo(CLUSTER);
        assertThat(manager.events(InstanceUpdatingEvent.class, e -> e.memberId().equals(member)))
                .extracting(InstanceUpdatingEvent::updateId)
                .containsExactly("u-ok");
        // the acknowledgement is progress only (a lost one is answered by a resend): no journal write for it
        assertThat(manager.deliveryModes(member, InstanceUpdatingEvent.class))
                .containsExactly("InstanceUpdatingEvent non-persistent");
        assertThat(manager.deliveryModes(member, InstanceUpdatedEvent.class))
                .containsExactly("InstanceUpdatedEvent persistent");
        assertThat(agent.version()).isEqualTo("2.0");
        assertThat(Scripts.lines(runs)).containsExactly("run u-ok");
    }

    @Test
    void exitCodeTwoMeansPuppetAppliedChangesAndIsSuccess() throws Exception {
        MemberAgent agent = startAgent(Scripts.puppet(dir, dir.resolve("runs"), 2));
        String member = agent.identity().memberId();

        manager.send(command(member, "u-two", "2.0", false));

        InstanceUpdatedEvent updated =
                manager.awaitEvent(InstanceUpdatedEvent.class, e -> e.memberId().equals(member));
        assertThat(updated.exitCode()).isEqualTo(2);
        assertThat(agent.version()).isEqualTo("2.0");
    }

    @Test
    void reportsAFailedPuppetRunWithItsExitCodeAndOutputTail() throws Exception {
        MemberAgent agent = startAgent(Scripts.puppet(dir, dir.resolve("runs"), 4));
        String member = agent.identity().memberId();

        manager.send(command(member, "u-fail", "2.0", false));

        InstanceUpdateFailedEvent failed = manager.awaitEvent(
                InstanceUpdateFailedEvent.class, e -> e.memberId().equals(member));
        assertThat(failed.exitCode()).isEqualTo(4);
        assertThat(failed.reason()).isEqualTo("update command exited with 4");
        assertThat(failed.outputTail())
                .contains("Notice: applying version 2.0 (rollback false)")
                .contains("Error: something on stderr");
        assertThat(failed.version()).isEqualTo("2.0");
        assertThat(agent.version()).isEqualTo("1.0");
    }

    @Test
    void killsAnUpdateThatRunsTooLongAndReportsTheTimeout() throws Exception {
        Path pids = dir.resolve("pids");
        Path script = Scripts.write(
                dir, "hang.sh", "echo $$ > '" + pids + "'", "sleep 300 &", "echo $! >> '" + pids + "'", "wait");
        AgentSettings settings = new AgentSettings(
                "1.0", Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ZERO, Duration.ofMillis(50), null);
        String member =
                startAgent(script, HealthCheck.NONE, settings).identity().memberId();

        manager.send(command(member, "u-slow", "2.0", false));

        InstanceUpdateFailedEvent failed = manager.awaitEvent(
                InstanceUpdateFailedEvent.class, e -> e.memberId().equals(member));
        assertThat(failed.reason()).isEqualTo("update command timed out after PT1S");
        assertThat(failed.exitCode()).isNull();
        List<Long> tree = Files.readAllLines(pids).stream().map(Long::parseLong).toList();
        await().atMost(Duration.ofSeconds(5)).until(() -> tree.stream().noneMatch(ProcessUpdateCommandTest::running));
    }

    @Test
    void answersARepeatedCommandWithTheSameResultWithoutRunningItAgain() throws Exception {
        Path runs = dir.resolve("runs");
        String member = startAgent(Scripts.puppet(dir, runs, 0)).identity().memberId();
        manager.send(command(member, "u-dup", "2.0", false));
        manager.awaitEvent(InstanceUpdatedEvent.class, e -> e.memberId().equals(member));

        manager.send(command(member, "u-dup", "2.0", false));

        await().atMost(Duration.ofSeconds(10))
                .until(() -> manager.events(
                                        InstanceUpdatedEvent.class,
                                        e -> e.memberId().equals(member))
                                .size()
                        == 2);
        List<InstanceUpdatedEvent> answers =
                manager.events(InstanceUpdatedEvent.class, e -> e.memberId().equals(member));
        assertThat(answers.get(1)).isEqualTo(answers.get(0));
        assertThat(Scripts.lines(runs)).containsExactly("run u-dup");
    }

    @Test
    void aRollbackOfTheSameUpdateIsANewCommand() throws Exception {
        Path runs = dir.resolve("runs");
        MemberAgent agent = startAgent(Scripts.puppet(dir, runs, 0));
        String member = agent.identity().memberId();
        manager.send(command(member, "u-back", "2.0", false));
        manager.awaitEvent(InstanceUpdatedEvent.class, e -> e.memberId().equals(member) && !e.rollback());

        manager.send(command(member, "u-back", "1.0", true));

        InstanceUpdatedEvent rolledBack =
                manager.awaitEvent(InstanceUpdatedEvent.class, e -> e.memberId().equals(member) && e.rollback());
        assertThat(rolledBack.version()).isEqualTo("1.0");
        assertThat(agent.version()).isEqualTo("1.0");
        assertThat(Scripts.lines(runs)).containsExactly("run u-back", "run u-back");
    }

    @Test
    void aRepeatWhileTheUpdateStillRunsIsAnsweredWithUpdatingOnly() throws Exception {
        Path runs = dir.resolve("runs");
        Path release = dir.resolve("release");
        Path script = Scripts.write(
                dir, "wait.sh", "echo run >> '" + runs + "'", "while [ ! -f '" + release + "' ]; do sleep 0.05; done");
        String member = startAgent(script).identity().memberId();
        manager.send(command(member, "u-busy", "2.0", false));
        manager.awaitEvent(InstanceUpdatingEvent.class, e -> e.memberId().equals(member));
        await().atMost(Duration.ofSeconds(10)).until(() -> Scripts.lines(runs).size() == 1);

        manager.send(command(member, "u-busy", "2.0", false));

        await().atMost(Duration.ofSeconds(10))
                .until(() -> manager.events(
                                        InstanceUpdatingEvent.class,
                                        e -> e.memberId().equals(member))
                                .size()
                        == 2);
        assertThat(manager.events(InstanceUpdatedEvent.class, e -> e.memberId().equals(member)))
                .isEmpty();
        Files.createFile(release);
        manager.awaitEvent(InstanceUpdatedEvent.class, e -> e.memberId().equals(member));
        assertThat(manager.events(InstanceUpdatedEvent.class, e -> e.memberId().equals(member)))
                .hasSize(1);
        assertThat(Scripts.lines(runs)).containsExactly("run");
    }

    @Test
    void theBrokerDeliversOnlyCommandsForItsOwnMember() throws Exception {
        Path runs = dir.resolve("runs");
        String member = "o'neil-" + MEMBERS.incrementAndGet(); // a quote, to prove the selector is quoted safely
        startAgent(member, Scripts.puppet(dir, runs, 0), HealthCheck.NONE, settings());
        manager.awaitEvent(InstanceActivatedEvent.class, e -> e.memberId().equals(member));

        manager.send(command("o'neil-other", "u-other", "2.0", false));
        manager.send(command(member, "u-mine", "2.0", false));

        manager.awaitEvent(InstanceUpdatedEvent.class, e -> e.memberId().equals(member));
        assertThat(Scripts.lines(runs)).containsExactly("run u-mine");
        Subscription subscription = broker.subscriptions(EventTopics.topicOf(SoftwareUpdateEvent.class)).stream()
                .filter(s -> JmsAgentChannel.selectorFor(member)
                        .equals(s.getConsumerInfo().getSelector()))
                .findFirst()
                .orElseThrow();
        assertThat(subscription.getConsumerInfo().getSelector())
                .isEqualTo("memberId = 'o''neil-" + MEMBERS.get() + "'");
        assertThat(subscription.getDispatchedCounter()).isEqualTo(1);
    }

    @Test
    void ignoresMalformedCommandsAndKeepsWorking() throws Exception {
        Path runs = dir.resolve("runs");
        String member = startAgent(Scripts.puppet(dir, runs, 0)).identity().memberId();

        manager.sendRaw("this is not JSON", member);
        manager.sendRaw("{\"updateId\":\"u-noversion\",\"memberId\":\"" + member + "\"}", member);
        manager.sendRaw("{\"version\":\"3.0\",\"memberId\":\"" + member + "\"}", member);
        manager.sendRaw("[1, 2]", member);
        manager.send(command(member, "u-good", "2.0", false));

        InstanceUpdatedEvent updated =
                manager.awaitEvent(InstanceUpdatedEvent.class, e -> e.memberId().equals(member));
        assertThat(updated.updateId()).isEqualTo("u-good");
        assertThat(Scripts.lines(runs)).containsExactly("run u-good");
        assertThat(manager.events(InstanceUpdatingEvent.class, e -> e.memberId().equals(member)))
                .extracting(InstanceUpdatingEvent::updateId)
                .containsExactly("u-good");
    }

    @Test
    void aRestartedAgentRemembersHandledUpdatesAndItsVersion() throws Exception {
        Path runs = dir.resolve("runs");
        Path state = dir.resolve("state");
        Path script = Scripts.puppet(dir, runs, 0);
        String member = "m-state-" + MEMBERS.incrementAndGet();
        MemberAgent first =
                startAgent(member, script, HealthCheck.NONE, settings().withStateDirectory(state));
        manager.send(command(member, "u-once", "2.0", false));
        manager.awaitEvent(InstanceUpdatedEvent.class, e -> e.memberId().equals(member));
        first.close();

        MemberAgent second =
                startAgent(member, script, HealthCheck.NONE, settings().withStateDirectory(state));
        manager.awaitEvent(
                InstanceActivatedEvent.class,
                e -> e.memberId().equals(member) && e.version().equals("2.0"));
        manager.send(command(member, "u-once", "2.0", false));

        await().atMost(Duration.ofSeconds(10))
                .until(() -> manager.events(
                                        InstanceUpdatedEvent.class,
                                        e -> e.memberId().equals(member))
                                .size()
                        == 2);
        assertThat(second.version()).isEqualTo("2.0");
        assertThat(manager.events(InstanceStartedEvent.class, e -> e.memberId().equals(member)))
                .extracting(InstanceStartedEvent::version)
                .containsExactly("1.0", "2.0");
        assertThat(Scripts.lines(runs)).containsExactly("run u-once");
    }

    @Test
    void acknowledgesACommandAtOnceEvenWhileAnotherOneStillRuns() throws Exception {
        Path runs = dir.resolve("runs");
        Path release = dir.resolve("release");
        Path script = Scripts.write(
                dir,
                "wait.sh",
                "echo \"run $STRATOS_UPDATE_ID\" >> '" + runs + "'",
                "while [ ! -f '" + release + "' ]; do sleep 0.05; done");
        String member = startAgent(script).identity().memberId();
        manager.send(command(member, "u-first", "2.0", false));
        await().atMost(Duration.ofSeconds(10)).until(() -> Scripts.lines(runs).size() == 1);

        manager.send(command(member, "u-second", "3.0", false));

        manager.awaitEvent(
                InstanceUpdatingEvent.class,
                e -> e.memberId().equals(member) && e.updateId().equals("u-second"));
        assertThat(Scripts.lines(runs)).containsExactly("run u-first");
        Files.createFile(release);
        manager.awaitEvent(
                InstanceUpdatedEvent.class,
                e -> e.memberId().equals(member) && e.updateId().equals("u-second"));
        assertThat(Scripts.lines(runs)).containsExactly("run u-first", "run u-second");
    }

    @Test
    void aCommandWhoseDeadlineHasPassedIsAcknowledgedAndReportedExpiredWithoutRunning() throws Exception {
        Path runs = dir.resolve("runs");
        MemberAgent agent = startAgent(Scripts.puppet(dir, runs, 0));
        String member = agent.identity().memberId();

        manager.send(command(
                member, "u-late", "2.0", null, Instant.now().minusSeconds(1).toString(), false));

        InstanceUpdateFailedEvent failed = manager.awaitEvent(
                InstanceUpdateFailedEvent.class, e -> e.memberId().equals(member));
        assertThat(failed.failure()).isEqualTo(InstanceUpdateFailedEvent.EXPIRED);
        assertThat(failed.reason()).startsWith("the deadline ").endsWith(" had passed before the run could start");
        assertThat(failed.exitCode()).isNull();
        assertThat(manager.events(InstanceUpdatingEvent.class, e -> e.memberId().equals(member)))
                .hasSize(1);
        assertThat(Scripts.lines(runs)).isEmpty();
        assertThat(agent.version()).isEqualTo("1.0");
    }

    @Test
    void theCommandsUpdateTimeoutStopsTheRunWhenShorterThanTheAgents() throws Exception {
        Path script = Scripts.write(dir, "hang.sh", "echo started", "sleep 300");
        String member = startAgent(script).identity().memberId(); // the agent allows 30 s

        manager.send(command(member, "u-short", "2.0", "PT1S", null, false));

        InstanceUpdateFailedEvent failed = manager.awaitEvent(
                InstanceUpdateFailedEvent.class, e -> e.memberId().equals(member));
        assertThat(failed.failure()).isEqualTo(InstanceUpdateFailedEvent.TIMED_OUT);
        assertThat(failed.reason()).isEqualTo("update command timed out after PT1S");
        assertThat(failed.outputTail()).isEqualTo("started");
    }

    @Test
    void aNearDeadlineStopsTheRunInTimeToReportBeforeIt() throws Exception {
        Path script = Scripts.write(dir, "hang.sh", "sleep 300");
        String member = startAgent(script).identity().memberId();
        Instant deadline = Instant.now().plusSeconds(5);

        manager.send(command(member, "u-due", "2.0", "PT1M", deadline.toString(), false));

        InstanceUpdateFailedEvent failed = manager.awaitEvent(
                InstanceUpdateFailedEvent.class, e -> e.memberId().equals(member));
        assertThat(Instant.now()).isBefore(deadline);
        assertThat(failed.failure()).isEqualTo(InstanceUpdateFailedEvent.TIMED_OUT);
        assertThat(failed.reason())
                .startsWith("update command stopped after ")
                .endsWith(" to report before the deadline " + deadline);
    }

    @Test
    void aNoopCommandRunsInNoopModeAndLeavesTheVersionAsItWas() throws Exception {
        Path args = dir.resolve("args");
        Path script = Scripts.write(dir, "noop.sh", "echo \"$STRATOS_UPDATE_ID [$*]\" >> '" + args + "'");
        MemberAgent agent = startAgent(script);
        String member = agent.identity().memberId();

        manager.send(command(member, "u-pre", "2.0", null, null, true));
        InstanceUpdatedEvent preflight =
                manager.awaitEvent(InstanceUpdatedEvent.class, e -> e.memberId().equals(member));
        manager.send(command(member, "u-pre", "2.0", null, null, false));
        InstanceUpdatedEvent real =
                manager.awaitEvent(InstanceUpdatedEvent.class, e -> e.memberId().equals(member) && !e.noop());

        assertThat(preflight.noop()).isTrue();
        assertThat(manager.events(InstanceUpdatingEvent.class, e -> e.memberId().equals(member)))
                .extracting(InstanceUpdatingEvent::noop)
                .containsExactly(true, false);
        assertThat(Scripts.lines(args)).containsExactly("u-pre [--noop]", "u-pre []");
        assertThat(real.version()).isEqualTo("2.0");
        assertThat(agent.version()).isEqualTo("2.0");
    }

    @Test
    void puppetAgentSayingItIsDisabledIsReportedDisabled() throws Exception {
        Path script = Scripts.write(
                dir,
                "disabled.sh",
                "echo \"Notice: Skipping run of Puppet configuration client; administratively disabled (Reason: 'ops');\"",
                "echo \"Use 'puppet agent --enable' to re-enable.\"",
                "exit 1");
        MemberAgent agent = startAgent(script);
        String member = agent.identity().memberId();

        manager.send(command(member, "u-off", "2.0", false));

        InstanceUpdateFailedEvent failed = manager.awaitEvent(
                InstanceUpdateFailedEvent.class, e -> e.memberId().equals(member));
        assertThat(failed.failure()).isEqualTo(InstanceUpdateFailedEvent.DISABLED);
        assertThat(failed.exitCode()).isEqualTo(1);
        assertThat(failed.outputTail()).contains("administratively disabled (Reason: 'ops')");
        assertThat(agent.version()).isEqualTo("1.0");
    }

    @Test
    void puppetAgentSayingAnotherRunIsInProgressIsTriedAgainUntilItRuns() throws Exception {
        Path runs = dir.resolve("runs");
        Path script = Scripts.write(
                dir,
                "busy.sh",
                "echo run >> '" + runs + "'",
                "if [ $(wc -l < '" + runs + "') -le 2 ]; then",
                "  echo 'Notice: Run of Puppet configuration client already in progress; skipping  (/x/agent_catalog_run.lock exists)'",
                "  exit 1",
                "fi",
                "exit 2");
        MemberAgent agent =
                startAgent(script, HealthCheck.NONE, settings().withPuppet(PuppetFiles.NONE, Duration.ofMillis(100)));
        String member = agent.identity().memberId();

        manager.send(command(
                member,
                "u-busy-puppet",
                "2.0",
                null,
                Instant.now().plusSeconds(30).toString(),
                false));

        InstanceUpdatedEvent updated =
                manager.awaitEvent(InstanceUpdatedEvent.class, e -> e.memberId().equals(member));
        assertThat(updated.exitCode()).isEqualTo(2);
        assertThat(Scripts.lines(runs)).hasSize(3);
    }

    @Test
    void puppetAgentStillInProgressAtTheDeadlineIsReportedLocked() throws Exception {
        Path runs = dir.resolve("runs");
        Path script = Scripts.write(
                dir,
                "locked.sh",
                "echo run >> '" + runs + "'",
                "echo 'Notice: Run of Puppet configuration client already in progress; skipping  (/x/agent_catalog_run.lock exists)'",
                "exit 1");
        MemberAgent agent =
                startAgent(script, HealthCheck.NONE, settings().withPuppet(PuppetFiles.NONE, Duration.ofMillis(200)));
        String member = agent.identity().memberId();
        Instant deadline = Instant.now().plusSeconds(4);

        manager.send(command(member, "u-locked", "2.0", null, deadline.toString(), false));

        InstanceUpdateFailedEvent failed = manager.awaitEvent(
                InstanceUpdateFailedEvent.class, e -> e.memberId().equals(member));
        assertThat(Instant.now()).isBefore(deadline);
        assertThat(failed.failure()).isEqualTo(InstanceUpdateFailedEvent.LOCKED);
        assertThat(failed.reason())
                .isEqualTo("another Puppet run held the run lock until the deadline " + deadline + "; nothing ran");
        assertThat(failed.exitCode()).isEqualTo(1);
        assertThat(Scripts.lines(runs)).hasSizeGreaterThan(1);
        assertThat(agent.version()).isEqualTo("1.0");
    }

    private MemberAgent startAgent(Path script) throws Exception {
        return startAgent(script, HealthCheck.NONE, settings());
    }

    private MemberAgent startAgent(Path script, HealthCheck health, AgentSettings settings) throws Exception {
        return startAgent(CLUSTER + "-" + MEMBERS.incrementAndGet(), script, health, settings);
    }

    private MemberAgent startAgent(String member, Path script, HealthCheck health, AgentSettings settings)
            throws Exception {
        AgentIdentity identity =
                new AgentIdentity("shop", "php", CLUSTER, member, "10.0.0.7", "shop-1", "default", "P1");
        MemberAgent agent = new MemberAgent(
                identity,
                settings,
                new ProcessUpdateCommand(List.of(script.toString()), null),
                health,
                JmsAgentChannel.open(fleetConnection, member));
        agents.add(agent);
        agent.start();
        return agent;
    }

    private static AgentSettings settings() {
        return new AgentSettings(
                "1.0", Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ZERO, Duration.ofMillis(50), null);
    }

    static SoftwareUpdateEvent command(String member, String updateId, String version, boolean rollback) {
        return new SoftwareUpdateEvent(
                updateId, "shop", "php", CLUSTER, member, version, "1.0", rollback, null, null, null, null, false);
    }

    static SoftwareUpdateEvent command(
            String member, String updateId, String version, String updateTimeout, String deadline, boolean noop) {
        return new SoftwareUpdateEvent(
                updateId,
                "shop",
                "php",
                CLUSTER,
                member,
                version,
                "1.0",
                false,
                null,
                null,
                updateTimeout,
                deadline,
                noop);
    }
}
