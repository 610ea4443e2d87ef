package org.stratos.update.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stratos.update.messaging.event.instance.notifier.SoftwareUpdateEvent;
import org.stratos.update.messaging.event.instance.status.InstanceStartedEvent;
import org.stratos.update.messaging.event.instance.status.InstanceUpdateFailedEvent;
import org.stratos.update.messaging.event.instance.status.InstanceUpdatedEvent;
import org.stratos.update.messaging.event.instance.status.InstanceUpdatingEvent;
import org.stratos.update.support.PuppetFleet;
import org.stratos.update.support.PuppetMember;

/**
 * The agent jar with Debian's real Puppet: eight agent processes, each applying the example module
 * ({@code config/puppet/modules/stratos_app}) with {@code sudo -n puppet apply --detailed-exitcodes} in Puppet
 * directories of its own, against a broker in this JVM. Each test uses a member of its own. Under sudo, whose
 * {@code env_reset} drops the agent's {@code FACTER_} variables, the version reaches the manifest only through the
 * fact file.
 */
class PuppetAgentIT {

    private static final String CLUSTER = "shop.php.php.domain";
    private static final Duration RUN = Duration.ofMinutes(2);
    private static final int SLOW = 7;

    @TempDir
    static Path dir;

    private static TestBroker broker;
    private static TestClient manager;
    private static PuppetFleet fleet;

    @BeforeAll
    static void startFleet() throws Exception {
        broker = TestBroker.start();
        manager = new TestClient(broker.url());
        fleet = PuppetFleet.builder(dir, broker.url())
                .application("shop", "php", CLUSTER)
                .members(8)
                .version("1.0")
                .sudo(true)
                // the test broker authenticates nobody (it only stamps the user a client names); agents need a password
                .agentSetting("broker.password", "not-checked-by-the-test-broker")
                .moduleParameter("pages", "30")
                .moduleParameters(i -> i == SLOW ? Map.of("settle_seconds", "300") : Map.of())
                .start();
        fleet.awaitActivated(Duration.ofMinutes(2));
    }

    @AfterAll
    static void stopFleet() throws Exception {
        if (fleet != null) {
            fleet.close();
        }
        if (manager != null) {
            manager.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void anUpdateReachesTheManifestThroughTheFactFileAndAScheduledRunKeepsIt() throws Exception {
        PuppetMember member = fleet.member(0);
        assertThat(member.installedVersion()).isEqualTo("1.0");

        manager.send(command(member, "u-ok", "2.0", false));

        InstanceUpdatedEvent updated =
                manager.awaitEvent(InstanceUpdatedEvent.class, e -> is(e.memberId(), member), RUN);
        assertThat(updated.exitCode()).isEqualTo(2);
        assertThat(updated.noop()).isFalse();
        assertThat(updated.resourcesChanged()).isEqualTo(33); // config.ini, VERSION, release.json and 30 pages
        assertThat(updated.resourcesFailed()).isZero();
        assertThat(member.installedVersion()).isEqualTo("2.0");
        JsonNode release =
                Json.MAPPER.readTree(member.appDir().resolve("release.json").toFile());
        assertThat(release.path("previous").asText()).isEqualTo("1.0");
        assertThat(release.path("update").asText()).isEqualTo("u-ok");
        assertThat(release.path("rollback").asBoolean()).isFalse();

        // cron or the daemon: no FACTER_ variables, only the fact file
        assertThat(member.runPuppetAsScheduled(RUN)).isZero();
        assertThat(member.installedVersion()).isEqualTo("2.0");

        // restarted with version=1.0 still in its configuration: the remembered 2.0 wins
        member.restart();
        InstanceStartedEvent started = manager.awaitEvent(
                InstanceStartedEvent.class,
                e -> is(e.memberId(), member) && e.version().equals("2.0"),
                RUN);
        assertThat(started.version()).isEqualTo("2.0");
        assertThat(Files.readString(member.home().resolve("agent.properties"))).contains("version=1.0");
    }

    @Test
    void aRollbackCommandReachesTheManifestAsARollback() throws Exception {
        PuppetMember member = fleet.member(6);
        manager.send(command(member, "u-back", "1.1", false));
        manager.awaitEvent(InstanceUpdatedEvent.class, e -> is(e.memberId(), member), RUN);

        manager.send(command(member, "u-back", "1.0", true));

        InstanceUpdatedEvent back =
                manager.awaitEvent(InstanceUpdatedEvent.class, e -> is(e.memberId(), member) && e.rollback(), RUN);
        assertThat(back.version()).isEqualTo("1.0");
        assertThat(member.installedVersion()).isEqualTo("1.0");
        assertThat(Json.MAPPER
                        .readTree(member.appDir().resolve("release.json").toFile())
                        .path("rollback")
                        .asBoolean())
                .isTrue();
    }

    @Test
    void aFailingCatalogIsReportedWithPuppetsErrorLinesAndChangesNothing() throws Exception {
        PuppetMember member = fleet.member(1);

        manager.send(command(member, "u-unknown", "9.9", false));

        InstanceUpdateFailedEvent failed =
                manager.awaitEvent(InstanceUpdateFailedEvent.class, e -> is(e.memberId(), member), RUN);
        assertThat(failed.failure()).isEqualTo(InstanceUpdateFailedEvent.COMMAND_FAILED);
        assertThat(failed.exitCode()).isEqualTo(1);
        assertThat(failed.reason()).isEqualTo("update command exited with 1");
        assertThat(failed.outputTail())
                .contains("Error: Evaluation Error: Error while evaluating a Function Call, "
                        + "stratos_app: no release 9.9")
                .doesNotContain("/proc/1/environ");
        assertThat(failed.resourcesChanged()).isNull(); // a catalog that does not compile writes no summary
        assertThat(member.installedVersion()).isEqualTo("1.0");
    }

    @Test
    void aRunThatFailsAfterChangesKeepsItsEarlyErrorAndTheCountsOfTheSummary() throws Exception {
        PuppetMember member = fleet.member(2);
        Path config = member.appDir().resolve("config.ini");
        Files.delete(config);
        Files.createDirectory(config); // Puppet cannot replace a directory with the file: that resource fails

        manager.send(command(member, "u-half", "2.1", false));

        InstanceUpdateFailedEvent failed =
                manager.awaitEvent(InstanceUpdateFailedEvent.class, e -> is(e.memberId(), member), RUN);
        assertThat(failed.exitCode()).isEqualTo(6);
        assertThat(failed.failure()).isEqualTo(InstanceUpdateFailedEvent.COMMAND_FAILED);
        assertThat(failed.resourcesFailed()).isEqualTo(1);
        assertThat(failed.resourcesChanged()).isEqualTo(32);
        // the error came first, then 32 changes pushed it out of the last lines: it is kept all the same
        String tail = failed.outputTail();
        assertThat(tail)
                .contains("Error: Could not set 'file' on ensure: Is a directory")
                .contains(" more lines left out …]")
                .contains("Notice: Applied catalog in ");
        assertThat(tail.indexOf("Error: Could not set")).isLessThan(tail.indexOf(" more lines left out …]"));
        assertThat(member.installedVersion()).isEqualTo("2.1");
    }

    @Test
    void aHeldRunLockIsWaitedForAndTheRunGoesOnceItIsReleased() throws Exception {
        PuppetMember member = fleet.member(3);
        PuppetMember.RunLock lock = member.holdRunLock();
        try {
            manager.send(command(
                    member, "u-lock", "2.0", null, Instant.now().plus(RUN).toString(), false));

            manager.awaitEvent(InstanceUpdatingEvent.class, e -> is(e.memberId(), member), RUN);
            await().atMost(RUN).until(() -> Files.readString(member.agentLog()).contains("holds the run lock"));
            assertThat(Files.readString(member.agentLog()))
                    .contains("Puppet run " + lock.pid() + " holds the run lock");
            assertThat(reports(member)).isEmpty();
            assertThat(member.installedVersion()).isEqualTo("1.0");
        } finally {
            lock.close();
        }

        InstanceUpdatedEvent updated =
                manager.awaitEvent(InstanceUpdatedEvent.class, e -> is(e.memberId(), member), RUN);
        assertThat(updated.version()).isEqualTo("2.0");
        assertThat(member.installedVersion()).isEqualTo("2.0");
    }

    @Test
    void aRunLockHeldUntilTheDeadlineIsReportedLockedAndNothingRuns() throws Exception {
        PuppetMember member = fleet.member(4);
        try (PuppetMember.RunLock lock = member.holdRunLock()) {
            manager.send(command(
                    member,
                    "u-locked",
                    "2.0",
                    null,
                    Instant.now().plusSeconds(6).toString(),
                    false));

            InstanceUpdateFailedEvent failed = manager.awaitEvent(
                    InstanceUpdateFailedEvent.class,
                    e -> is(e.memberId(), member) && e.updateId().equals("u-locked"),
                    RUN);
            assertThat(failed.failure()).isEqualTo(InstanceUpdateFailedEvent.LOCKED);
            assertThat(failed.reason())
                    .startsWith("another Puppet run (pid " + lock.pid() + ") held the run lock ")
                    .contains(" until the deadline ");
            assertThat(failed.exitCode()).isNull();
        }
        assertThat(member.installedVersion()).isEqualTo("1.0");
        assertThat(factVersion(member)).isEqualTo("1.0");
    }

    @Test
    void aDisabledPuppetIsReportedAtOnceAndNothingRuns() throws Exception {
        PuppetMember member = fleet.member(4);
        member.disablePuppet("kernel upgrade by ops");
        try {
            manager.send(command(member, "u-disabled", "2.0", false));

            InstanceUpdateFailedEvent failed = manager.awaitEvent(
                    InstanceUpdateFailedEvent.class,
                    e -> is(e.memberId(), member) && e.updateId().equals("u-disabled"),
                    RUN);
            assertThat(failed.failure()).isEqualTo(InstanceUpdateFailedEvent.DISABLED);
            assertThat(failed.reason())
                    .isEqualTo("Puppet is administratively disabled (puppet agent --disable: "
                            + "kernel upgrade by ops); nothing ran");
            assertThat(failed.exitCode()).isNull();
            assertThat(failed.durationMillis()).isLessThan(5000);
        } finally {
            member.enablePuppet();
        }
        assertThat(member.installedVersion()).isEqualTo("1.0");
        assertThat(factVersion(member)).isEqualTo("1.0");
    }

    @Test
    void aCommandPastItsDeadlineIsReportedExpiredWithoutRunningPuppet() throws Exception {
        PuppetMember member = fleet.member(5);
        long summaryBefore = Files.getLastModifiedTime(member.summaryFile()).toMillis();
        String installed = member.installedVersion();

        manager.send(command(
                member, "u-late", "2.0", null, Instant.now().minusSeconds(5).toString(), false));

        InstanceUpdateFailedEvent failed = manager.awaitEvent(
                InstanceUpdateFailedEvent.class,
                e -> is(e.memberId(), member) && e.updateId().equals("u-late"),
                RUN);
        assertThat(failed.failure()).isEqualTo(InstanceUpdateFailedEvent.EXPIRED);
        assertThat(failed.exitCode()).isNull();
        assertThat(Files.getLastModifiedTime(member.summaryFile()).toMillis()).isEqualTo(summaryBefore);
        assertThat(member.installedVersion()).isEqualTo(installed);
    }

    @Test
    void aNoopRunChangesNothingAndTheRealUpdateStillRuns() throws Exception {
        PuppetMember member = fleet.member(5);
        byte[] factsBefore = Files.readAllBytes(member.factsFile());
        assertThat(member.installedVersion()).isEqualTo("1.0");

        manager.send(command(member, "u-pre", "3.0", null, null, true));

        InstanceUpdatedEvent preflight = manager.awaitEvent(
                InstanceUpdatedEvent.class,
                e -> is(e.memberId(), member) && e.updateId().equals("u-pre"),
                RUN);
        assertThat(preflight.noop()).isTrue();
        assertThat(preflight.exitCode()).isZero(); // --noop: changes would be made, none were
        // what a real run would change, from the summary's out_of_sync: config.ini, VERSION, release.json, 30 pages
        assertThat(preflight.resourcesChanged()).isEqualTo(33);
        assertThat(preflight.resourcesFailed()).isZero();
        assertThat(member.installedVersion()).isEqualTo("1.0");
        assertThat(Files.readAllBytes(member.factsFile())).isEqualTo(factsBefore);

        manager.send(command(member, "u-pre-bad", "9.9", null, null, true));
        InstanceUpdateFailedEvent refused = manager.awaitEvent(
                InstanceUpdateFailedEvent.class,
                e -> is(e.memberId(), member) && e.updateId().equals("u-pre-bad"),
                RUN);
        assertThat(refused.noop()).isTrue();
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.outputTail()).contains("stratos_app: no release 9.9");

        manager.send(command(member, "u-pre", "3.0", null, null, false));
        InstanceUpdatedEvent real = manager.awaitEvent(
                InstanceUpdatedEvent.class,
                e -> is(e.memberId(), member) && e.updateId().equals("u-pre") && !e.noop(),
                RUN);
        assertThat(real.exitCode()).isEqualTo(2);
        assertThat(member.installedVersion()).isEqualTo("3.0");
    }

    @Test
    void aRunPastItsUpdateTimeoutIsStoppedWithItsWholeProcessTree() throws Exception {
        PuppetMember member = fleet.member(SLOW); // the module settles for 300 s after a new version

        manager.send(command(member, "u-slow", "2.0", "PT20S", null, false));

        await().atMost(RUN).until(() -> member.process().descendants().anyMatch(PuppetAgentIT::isSleep));
        List<ProcessHandle> tree = member.process().descendants().toList();
        assertThat(tree).anyMatch(PuppetAgentIT::isSleep); // sudo, puppet's ruby, the exec's sleep
        InstanceUpdateFailedEvent failed =
                manager.awaitEvent(InstanceUpdateFailedEvent.class, e -> is(e.memberId(), member), RUN);
        assertThat(failed.failure()).isEqualTo(InstanceUpdateFailedEvent.TIMED_OUT);
        assertThat(failed.reason()).isEqualTo("update command timed out after PT20S");
        assertThat(failed.exitCode()).isNull();
        await().atMost(Duration.ofSeconds(20)).until(() -> tree.stream().noneMatch(ProcessTree::running));
        assertThat(member.installedVersion()).isEqualTo("2.0"); // the files came before the settling exec
    }

    private static boolean isSleep(ProcessHandle process) {
        return process.info().command().map(c -> c.endsWith("/sleep")).orElse(false);
    }

    private static List<Object> reports(PuppetMember member) {
        return manager.all().stream()
                .filter(e -> e instanceof InstanceUpdatedEvent u && is(u.memberId(), member)
                        || e instanceof InstanceUpdateFailedEvent f && is(f.memberId(), member))
                .toList();
    }

    private static String factVersion(PuppetMember member) throws Exception {
        return Json.MAPPER
                .readTree(member.factsFile().toFile())
                .path("stratos_version")
                .asText();
    }

    private static boolean is(String memberId, PuppetMember member) {
        return member.memberId().equals(memberId);
    }

    private static SoftwareUpdateEvent command(PuppetMember member, String updateId, String version, boolean rollback) {
        return new SoftwareUpdateEvent(
                updateId,
                "shop",
                "php",
                CLUSTER,
                member.memberId(),
                version,
                rollback ? "1.1" : "1.0",
                rollback,
                null,
                null,
                null,
                null,
                false);
    }

    private static SoftwareUpdateEvent command(
            PuppetMember member, String updateId, String version, String updateTimeout, String deadline, boolean noop) {
        return new SoftwareUpdateEvent(
                updateId,
                "shop",
                "php",
                CLUSTER,
                member.memberId(),
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
