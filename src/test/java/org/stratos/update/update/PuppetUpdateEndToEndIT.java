package org.stratos.update.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.stratos.update.support.TestHttp.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.activemq.broker.BrokerService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.TestPropertySource;
import org.stratos.update.support.BrokerClient;
import org.stratos.update.support.PuppetFleet;
import org.stratos.update.support.PuppetMember;
import org.stratos.update.support.TestHttp;
import org.stratos.update.support.TestIds;

/**
 * The whole product with real Puppet: the manager (this JVM's Spring Boot context, with its embedded broker that
 * authenticates every client) and three member agents as processes of their own, started from the packaged agent
 * jar by {@link PuppetFleet}, each applying the example module {@code stratos_app} with
 * {@code sudo -n puppet apply --detailed-exitcodes} in Puppet directories of its own. The members are registered
 * through {@code /api} and their agents log in with the credentials the manager issued ({@code member.id},
 * {@code broker.password}). Everything is driven and read as an operator would, through {@code /api}, and checked
 * against the files Puppet wrote on each member ({@code VERSION}, {@code release.json}).
 *
 * <p>One fleet serves every test: each starts from a cluster whose members are all Active on one version (made so
 * by {@link #everyMemberActiveOnOneVersion} when an earlier test left it otherwise) and updates it to the next
 * version the module knows. What makes one member behave differently is that member's own Hiera data (Puppet's
 * automatic parameter lookup: {@code stratos_app::releases} without the target fails its catalog,
 * {@code stratos_app::settle_seconds} makes its run slow), or Puppet's own run lock and disable lock, or a killed
 * agent.
 *
 * <p>The manager is this JVM's test context rather than the packaged jar as a process: the agents, whose packaging
 * and process life matter here (sudo, Puppet's process tree, kill -9), are real processes from the packaged jar, while
 * the manager's side is the same code either way, and in the JVM the test gets its broker's address and can listen to
 * its topology events without starting, configuring and stopping a second Java process.
 *
 * <p>The manager here looks at silent agents every 2 s and calls one unreachable 5 s after the command went out
 * unacknowledged, and its job executor looks for due jobs at least every second: the time-outs the tests meet are
 * the request's own ({@code updateTimeout}), kept short.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@TestPropertySource(
        locations = "classpath:stratos-test.properties",
        properties = {
            "stratos.update.resend-interval=PT2S", "stratos.update.ack-timeout=PT5S",
            "camunda.bpm.job-execution.wait-time-in-millis=250", "camunda.bpm.job-execution.max-wait=1000"
        })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PuppetUpdateEndToEndIT {

    /** The versions {@code stratos_app} knows by default, in the order the tests go through them. */
    static final List<String> RELEASES = List.of("1.0", "1.1", "1.2", "1.5", "2.0", "2.1", "3.0");

    static final int MEMBERS = 3;
    static final Duration UPDATE = Duration.ofSeconds(90);
    static final Set<String> ENDED = Set.of(
            "COMPLETED",
            "COMPLETED_WITH_FAILURES",
            "ROLLED_BACK",
            "ROLLBACK_FAILED",
            "PREFLIGHT_FAILED",
            "FAILED",
            "ABORTED",
            "CANCELLED");
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path OBSERVED = Path.of("target/puppet-update-e2e");

    @TempDir(cleanup = CleanupMode.ON_SUCCESS) // a failed run keeps each member's agent.log and Puppet's files
    static Path dir;

    @LocalServerPort
    int port;

    @Value("${camunda.bpm.admin-user.password}")
    String adminPassword;

    @Autowired
    BrokerService broker;

    TestHttp api;
    int observed;
    String app;
    String clusterId;
    PuppetFleet fleet;
    BrokerClient topologyEvents;
    /** Every {@code topology.MemberUpdatingEvent} the manager published (the tests filter by update id). */
    List<String> memberUpdating;

    @BeforeAll
    void registerTheMembersAndStartTheirAgents() throws Exception {
        api = TestHttp.anonymous(port).as("admin", adminPassword);
        app = TestIds.applicationId("puppet");
        HttpResponse<String> created = api.postJson("/api/applications", """
                {"applicationId": "%s", "clusters": [
                  {"alias": "php", "cartridgeType": "php", "runtime": "puppet", "version": "1.0", "members": %d}]}
                """.formatted(app, MEMBERS));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        HttpResponse<String> registered = api.postJson(
                "/api/applications/" + app + "/clusters/php/members",
                "{\"count\": " + MEMBERS + ", \"shared\": false}");
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
        JsonNode credentials = json(registered).path("credentials");
        clusterId = json(registered).path("clusterId").asText();
        List<String> memberIds = new ArrayList<>();
        List<String> passwords = new ArrayList<>();
        credentials.forEach(c -> {
            assertThat(c.path("kind").asText()).isEqualTo("MEMBER");
            memberIds.add(c.path("user").asText()); // a member's broker user is its member id
            passwords.add(c.path("password").asText());
        });
        assertThat(memberIds).hasSize(MEMBERS);

        fleet = PuppetFleet.builder(dir, broker.getTransportConnectors().get(0).getPublishableConnectString())
                .application(app, "php", clusterId)
                .members(MEMBERS)
                .version("1.0")
                .sudo(true)
                .memberIds(memberIds::get)
                .agentSettings(i -> Map.of("broker.password", passwords.get(i)))
                .start();
        fleet.awaitActivated(Duration.ofMinutes(2));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> members().values().stream()
                                .filter(m -> m.path("state").asText().equals("Active"))
                                .count()
                        == MEMBERS);
        topologyEvents = new BrokerClient(broker);
        memberUpdating = topologyEvents.listen("topology.MemberUpdatingEvent");
    }

    @AfterAll
    void stopTheAgents() {
        if (topologyEvents != null) {
            topologyEvents.close();
        }
        if (fleet != null) {
            fleet.close();
        }
    }

    /**
     * Every test starts from Puppet enabled, no member's own Hiera data, every agent running, and every member Active
     * on one version. An earlier test that failed half-way may have left it otherwise: an update with every member
     * allowed to fail and no rollback repairs that (it targets every member not Active on its version).
     */
    @BeforeEach
    void everyMemberActiveOnOneVersion() throws Exception {
        for (PuppetMember member : fleet.members()) {
            member.hieraData(Map.of());
            if (member.puppetDisabled()) {
                member.enablePuppet();
            }
            if (!member.running()) {
                long announced = activations(member);
                member.restart();
                await().atMost(Duration.ofSeconds(60)).until(() -> activations(member) > announced);
            }
        }
        if (!uniform()) {
            String version = clusterVersion() != null
                    ? clusterVersion()
                    : members().values().stream()
                            .map(m -> m.path("version").asText())
                            .max(String::compareTo)
                            .orElseThrow();
            String repair = start(request(version, true, "3", "100%", false, "PT60S", null));
            awaitEnd(repair);
        }
        assertThat(uniform())
                .as("every member Active on one version before the test: %s", cluster())
                .isTrue();
        for (PuppetMember member : fleet.members()) {
            assertThat(member.installedVersion()).as(member.memberId()).isEqualTo(clusterVersion());
        }
    }

    @Test
    @Order(1)
    void aPhasedUpdateChangesEveryMembersFilesBatchByBatchAndCompletes() throws Exception {
        String from = clusterVersion();
        String to = next(from);

        String id = start(request(to, true, "1", null, null, "PT60S", null));
        JsonNode ended = awaitEnd(id);

        assertThat(ended.path("state").asText()).as(ended.toPrettyString()).isEqualTo("COMPLETED");
        assertThat(ended.has("message"))
                .as("a plain completion needs no message")
                .isFalse();
        List<JsonNode> progress = progress(ended);
        assertThat(progress).extracting(p -> p.path("batch").asInt()).containsExactlyInAnyOrder(1, 2, 3);
        assertThat(progress).allSatisfy(p -> {
            assertThat(p.path("state").asText()).isEqualTo("UPDATED");
            assertThat(p.path("fromVersion").asText()).isEqualTo(from);
            assertThat(p.path("exitCode").asInt())
                    .as("Puppet's detailed exit code: changes applied")
                    .isEqualTo(2);
            assertThat(p.path("resourcesChanged").asInt())
                    .as("from Puppet's last run summary: config.ini, VERSION, release.json, 3 pages")
                    .isEqualTo(6);
            assertThat(p.path("resourcesFailed").asInt()).isZero();
        });
        // phased: a batch starts only after the one before it has ended
        List<JsonNode> byBatch = progress.stream()
                .sorted((a, b) -> a.path("batch").asInt() - b.path("batch").asInt())
                .toList();
        for (int i = 1; i < byBatch.size(); i++) {
            assertThat(instant(byBatch.get(i), "startedAt")).isAfterOrEqualTo(instant(byBatch.get(i - 1), "endedAt"));
        }
        for (PuppetMember member : fleet.members()) {
            assertThat(member.installedVersion()).isEqualTo(to);
            assertThat(release(member))
                    .isEqualTo(Map.of("version", to, "previous", from, "rollback", false, "update", id));
            assertThat(Files.readString(member.appDir().resolve("config.ini"))).contains("version = " + to);
        }
        assertThat(clusterVersion()).isEqualTo(to);
        assertThat(cluster().has("versions")).isFalse();
        assertThat(members().values())
                .allSatisfy(m -> assertThat(m.path("version").asText()).isEqualTo(to));
    }

    @Test
    @Order(2)
    void aCatalogThatFailsOnOneMemberIsRolledBackAndTheFailedRunStaysInTheApi() throws Exception {
        String from = clusterVersion();
        String to = next(from);
        PuppetMember broken = fleet.member(1);
        broken.hieraData(Map.of("stratos_app::releases", releasesWithout(to)));

        String id = start(request(to, true, "3", "0", null, "PT60S", null));
        JsonNode ended = awaitEnd(id);

        assertThat(ended.path("state").asText()).as(ended.toPrettyString()).isEqualTo("ROLLED_BACK");
        assertThat(ended.path("message").asText()).contains("more members failed than maxFailures allows (1 > 0)");
        JsonNode failed = progress(ended, broken);
        assertThat(failed.path("state").asText()).isEqualTo("ROLLED_BACK");
        assertThat(failed.path("failure").asText()).isEqualTo("COMMAND_FAILED");
        assertThat(failed.path("exitCode").asInt()).as("a catalog error").isEqualTo(1);
        assertThat(failed.path("message").asText()).isEqualTo("update command exited with 1");
        assertThat(failed.path("outputTail").asText())
                .contains("Error: Evaluation Error")
                .contains("stratos_app: no release " + to)
                .doesNotContain("/proc/1/environ");
        assertThat(failed.path("rollback").path("message").asText()).isEqualTo("rolled back to " + from);
        assertThat(failed.path("rollback").path("exitCode").asInt()).isEqualTo(2);
        assertThat(failed.path("rollback").path("resourcesChanged").asInt())
                .as("only release.json: its update had changed nothing")
                .isEqualTo(1);
        for (PuppetMember member : List.of(fleet.member(0), fleet.member(2))) {
            JsonNode back = progress(ended, member);
            assertThat(back.path("state").asText()).isEqualTo("ROLLED_BACK");
            assertThat(back.path("exitCode").asInt()).as("its update applied").isEqualTo(2);
            assertThat(back.path("resourcesChanged").asInt()).isEqualTo(6);
            assertThat(back.path("rollback").path("exitCode").asInt())
                    .as("its rollback changed it back")
                    .isEqualTo(2);
            assertThat(back.path("rollback").path("resourcesChanged").asInt()).isEqualTo(6);
        }
        for (PuppetMember member : fleet.members()) {
            assertThat(member.installedVersion()).as(member.memberId()).isEqualTo(from);
            assertThat(release(member))
                    .as(member.memberId())
                    .isEqualTo(Map.of("version", from, "previous", to, "rollback", true, "update", id));
        }
        assertThat(clusterVersion()).isEqualTo(from);
        assertThat(allActive()).isTrue();
        // the evidence is still there when the update is read again later, in the list too (without the output)
        JsonNode listed = StreamSupport.stream(
                        json(api.get("/api/updates?applicationId=" + app)).spliterator(), false)
                .filter(u -> u.path("updateId").asText().equals(id))
                .findFirst()
                .orElseThrow();
        assertThat(progress(listed, broken).path("exitCode").asInt()).isEqualTo(1);
        assertThat(progress(listed, broken).path("failure").asText()).isEqualTo("COMMAND_FAILED");
    }

    @Test
    @Order(3)
    void aHeldPuppetRunLockIsWaitedForAndTheMemberUpdatesOnceItIsReleased() throws Exception {
        String from = clusterVersion();
        String to = next(from);
        PuppetMember waiting = fleet.member(0);
        String id;
        Instant released;
        try (PuppetMember.RunLock lock = waiting.holdRunLock()) {
            id = start(request(to, true, "3", "0", null, "PT60S", null));

            // the others run; this one's agent sees the lock and waits for it
            await().atMost(UPDATE)
                    .until(() -> fleet.member(1).installedVersion().equals(to)
                            && fleet.member(2).installedVersion().equals(to)
                            && Files.readString(waiting.agentLog()).contains("holds the run lock"));
            assertThat(Files.readString(waiting.agentLog()))
                    .contains("Puppet run " + lock.pid() + " holds the run lock");
            assertThat(waiting.installedVersion())
                    .as("nothing ran while the lock was held")
                    .isEqualTo(from);
            JsonNode meanwhile = keep(view(id));
            assertThat(meanwhile.path("state").asText()).isEqualTo("RUNNING");
            assertThat(progress(meanwhile, waiting).path("state").asText()).isEqualTo("UPDATING");
            assertThat(member(waiting).path("state").asText()).isEqualTo("Updating");
            released = Instant.now();
        }
        JsonNode ended = awaitEnd(id);

        assertThat(ended.path("state").asText()).as(ended.toPrettyString()).isEqualTo("COMPLETED");
        JsonNode waited = progress(ended, waiting);
        assertThat(waited.path("state").asText()).isEqualTo("UPDATED");
        assertThat(waited.path("exitCode").asInt()).isEqualTo(2);
        assertThat(instant(waited, "endedAt"))
                .as("it ended after the lock was released")
                .isAfter(released);
        assertThat(waiting.installedVersion()).isEqualTo(to);
        assertThat(release(waiting).get("update")).isEqualTo(id);
        assertThat(clusterVersion()).isEqualTo(to);
    }

    @Test
    @Order(4)
    void aDisabledPuppetIsReportedAsSuchNothingIsRolledBackAndTheNextUpdateTakesTheMember() throws Exception {
        String from = clusterVersion();
        String to = next(from);
        PuppetMember disabled = fleet.member(2);
        disabled.disablePuppet("kernel upgrade by ops");
        byte[] releaseBefore = Files.readAllBytes(disabled.appDir().resolve("release.json"));

        // maxFailures 0: a failure would roll every member back; a disabled Puppet is no failure
        String id = start(request(to, true, "3", "0", null, "PT60S", null));
        JsonNode ended = awaitEnd(id);

        assertThat(ended.path("state").asText()).as(ended.toPrettyString()).isEqualTo("COMPLETED_WITH_FAILURES");
        assertThat(ended.path("message").asText()).contains(disabled.memberId() + " (NOT_APPLIED");
        JsonNode notApplied = progress(ended, disabled);
        assertThat(notApplied.path("state").asText()).isEqualTo("NOT_APPLIED");
        assertThat(notApplied.path("failure").asText()).isEqualTo("DISABLED");
        assertThat(notApplied.path("message").asText())
                .contains("Puppet is administratively disabled")
                .contains("kernel upgrade by ops")
                .contains("nothing ran");
        assertThat(notApplied.has("exitCode")).as("Puppet never ran").isFalse();
        assertThat(progress(ended))
                .allSatisfy(p ->
                        assertThat(p.has("rollback")).as("nothing rolled back").isFalse());
        assertThat(ended.path("totals").path("rolledBack").asInt()).isZero();
        assertThat(disabled.installedVersion()).isEqualTo(from);
        assertThat(Files.readAllBytes(disabled.appDir().resolve("release.json")))
                .isEqualTo(releaseBefore);
        assertThat(member(disabled).path("state").asText()).as("it serves on").isEqualTo("Active");
        assertThat(member(disabled).path("version").asText()).isEqualTo(from);
        for (PuppetMember other : List.of(fleet.member(0), fleet.member(1))) {
            assertThat(progress(ended, other).path("state").asText()).isEqualTo("UPDATED");
            assertThat(other.installedVersion()).isEqualTo(to);
        }
        assertThat(texts(cluster().path("versions").path(from))).containsExactly(disabled.memberId());
        assertThat(texts(cluster().path("versions").path(to))).hasSize(2);
        assertThat(clusterVersion())
                .as("it changes only when every Active member runs the new one")
                .isEqualTo(from);

        // once Puppet is enabled, the same update again takes the member that was left out, and only it
        disabled.enablePuppet();
        String again = start(request(to, true, "3", "0", null, "PT60S", null));
        JsonNode completed = awaitEnd(again);
        assertThat(completed.path("state").asText())
                .as(completed.toPrettyString())
                .isEqualTo("COMPLETED");
        assertThat(progress(completed))
                .singleElement()
                .satisfies(p -> assertThat(p.path("memberId").asText()).isEqualTo(disabled.memberId()));
        assertThat(disabled.installedVersion()).isEqualTo(to);
        assertThat(clusterVersion()).isEqualTo(to);
    }

    @Test
    @Order(5)
    void aRunPastItsUpdateTimeoutIsStoppedReportedTimedOutAndALaterUpdateRepairsTheMember() throws Exception {
        String from = clusterVersion();
        String to = next(from);
        PuppetMember slow = fleet.member(2);
        int settle = 271; // a sleep no other test runs: the process it makes can be told apart
        slow.hieraData(Map.of("stratos_app::settle_seconds", Integer.toString(settle)));

        // one failure tolerated, no rollback: the slow member is left Suspended. PT30S leaves the other members' runs
        // room on a busy machine (5-17 s each were seen at a load average of 13) and is far from the 271 s
        Instant started = Instant.now();
        String id = start(request(to, true, "3", "1", false, "PT30S", null));
        await().atMost(UPDATE).until(() -> !sleeping(settle).isEmpty() || ended(view(id)));
        assertThat(sleeping(settle)).as("Puppet settles on the slow member").isNotEmpty();
        JsonNode ended = awaitEnd(id);

        assertThat(Duration.between(started, instant(ended, "endedAt")))
                .as("not the %d s of the run", settle)
                .isLessThan(Duration.ofSeconds(90));
        assertThat(ended.path("state").asText()).as(ended.toPrettyString()).isEqualTo("COMPLETED_WITH_FAILURES");
        JsonNode timedOut = progress(ended, slow);
        assertThat(timedOut.path("state").asText()).isEqualTo("FAILED");
        assertThat(timedOut.path("failure").asText()).isEqualTo("TIMED_OUT");
        assertThat(timedOut.path("message").asText()).isEqualTo("update command timed out after PT30S");
        assertThat(timedOut.has("lateReport")).isFalse();
        assertThat(timedOut.path("outputTail").asText())
                .as("what Puppet did before it was stopped")
                .contains("/app/VERSION]/content: content changed");
        assertThat(slow.installedVersion())
                .as("its files changed before the settle step")
                .isEqualTo(to);
        assertThat(sleeping(settle))
                .as("sudo, Puppet and its sleep were all stopped")
                .isEmpty();
        assertThat(member(slow).path("state").asText()).isEqualTo("Suspended");
        assertThat(clusterVersion()).as("the version every Active member runs").isEqualTo(to);
        assertThat(texts(cluster().path("versions").path(from))).containsExactly(slow.memberId());

        // the operator fixes the member's data and runs the same update again: it takes the Suspended member only
        slow.hieraData(Map.of());
        String repair = start(request(to, true, "3", "1", false, "PT60S", null));
        JsonNode repaired = awaitEnd(repair);

        assertThat(repaired.path("state").asText())
                .as(repaired.toPrettyString())
                .isEqualTo("COMPLETED");
        assertThat(progress(repaired)).singleElement().satisfies(p -> {
            assertThat(p.path("memberId").asText()).isEqualTo(slow.memberId());
            assertThat(p.path("state").asText()).isEqualTo("UPDATED");
            assertThat(p.path("fromVersion").asText()).isEqualTo(from);
        });
        assertThat(member(slow).path("state").asText()).isEqualTo("Active");
        assertThat(member(slow).path("version").asText()).isEqualTo(to);
        assertThat(release(slow).get("update")).isEqualTo(repair);
        assertThat(clusterVersion()).isEqualTo(to);
        assertThat(cluster().has("versions")).isFalse();
    }

    @Test
    @Order(6)
    void aNoopPreflightThatFailsOnOneMemberStopsTheUpdateBeforeAnyMemberChanges() throws Exception {
        String from = clusterVersion();
        String to = next(from);
        PuppetMember broken = fleet.member(1);
        broken.hieraData(Map.of("stratos_app::releases", releasesWithout(to)));
        Map<PuppetMember, Map<String, String>> before = new HashMap<>();
        for (PuppetMember member : fleet.members()) {
            before.put(member, files(member));
        }
        String id = start(request(to, true, "1", "0", null, "PT60S", "noop"));
        JsonNode ended = awaitEnd(id);

        assertThat(ended.path("state").asText()).as(ended.toPrettyString()).isEqualTo("PREFLIGHT_FAILED");
        assertThat(ended.path("message").asText())
                .contains("the pre-flight failed on 1 of 3 members")
                .contains(broken.memberId() + " (pre-flight FAILED");
        JsonNode failed = progress(ended, broken);
        assertThat(failed.path("preflight").path("result").asText()).isEqualTo("FAILED");
        assertThat(failed.path("preflight").path("exitCode").asInt()).isEqualTo(1);
        assertThat(failed.path("preflight").path("outputTail").asText()).contains("stratos_app: no release " + to);
        for (PuppetMember member : List.of(fleet.member(0), fleet.member(2))) {
            JsonNode passed = progress(ended, member).path("preflight");
            assertThat(passed.path("result").asText()).isEqualTo("PASSED");
            assertThat(passed.path("resourcesChanged").asInt())
                    .as("what the no-op run would change")
                    .isEqualTo(6);
        }
        assertThat(progress(ended)).hasSize(MEMBERS).allSatisfy(p -> {
            assertThat(p.path("state").asText()).isEqualTo("PENDING");
            assertThat(p.path("batch").asInt()).isZero();
        });
        for (PuppetMember member : fleet.members()) {
            assertThat(files(member))
                    .as("%s: app files and fact file as they were", member.memberId())
                    .isEqualTo(before.get(member));
        }
        assertThat(updatingEvents(id)).as("no member was ever Updating").isEmpty();
        assertThat(allActive()).isTrue();
        assertThat(clusterVersion()).isEqualTo(from);
    }

    @Test
    @Order(7)
    void anAllAtOnceUpdateTakesTheClusterDownTogetherAndBringsItBackOnTheNewVersion() throws Exception {
        String from = clusterVersion();
        String to = next(from);
        List<String> patching = topologyEvents.listen("topology.ClusterPatchingEvent");
        List<String> activated = topologyEvents.listen("topology.ClusterActivatedEvent");

        String id = start(request(to, false, null, null, null, "PT60S", null));
        JsonNode ended = awaitEnd(id);

        assertThat(ended.path("state").asText()).as(ended.toPrettyString()).isEqualTo("COMPLETED");
        assertThat(progress(ended)).hasSize(MEMBERS).allSatisfy(p -> {
            assertThat(p.path("batch").asInt())
                    .as("one batch: the whole cluster")
                    .isEqualTo(1);
            assertThat(p.path("state").asText()).isEqualTo("UPDATED");
            assertThat(p.path("fromVersion").asText()).isEqualTo(from);
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> activated.stream().anyMatch(e -> e.contains(clusterId)));
        assertThat(updatingEvents(id)).as("every member went Updating").hasSize(MEMBERS);
        assertThat(patching).anyMatch(e -> e.contains(clusterId));
        for (PuppetMember member : fleet.members()) {
            assertThat(member.installedVersion()).isEqualTo(to);
            assertThat(release(member).get("update")).isEqualTo(id);
        }
        assertThat(cluster().path("state").asText()).isEqualTo("Active");
        assertThat(clusterVersion()).isEqualTo(to);
    }

    @Test
    @Order(8)
    void aKilledAgentIsFoundUnreachableWithinTheAcknowledgementWindowNotAtTheDeadline() throws Exception {
        String from = clusterVersion();
        String to = next(from);
        PuppetMember dead = fleet.member(2);
        dead.kill();

        String id = start(request(to, true, "3", "1", false, "PT60S", null));
        JsonNode ended = awaitEnd(id);

        // the batch would wait PT60S + PT10S + 1 min for a report; the unreachable agent is given up at the first look
        // past the 5 s acknowledgement window
        assertThat(Duration.between(instant(ended, "startedAt"), instant(ended, "endedAt")))
                .isLessThan(Duration.ofSeconds(40));
        assertThat(ended.path("state").asText()).as(ended.toPrettyString()).isEqualTo("COMPLETED_WITH_FAILURES");
        JsonNode unreachable = progress(ended, dead);
        assertThat(unreachable.path("state").asText()).isEqualTo("FAILED");
        assertThat(unreachable.path("failure").asText()).isEqualTo("UNREACHABLE");
        assertThat(unreachable.path("message").asText())
                .contains("its agent did not acknowledge the update command within PT5S");
        assertThat(ended.path("message").asText()).contains(dead.memberId() + " (FAILED: unreachable");
        assertThat(dead.installedVersion()).isEqualTo(from);
        assertThat(member(dead).path("state").asText()).isEqualTo("Suspended");
        for (PuppetMember member : List.of(fleet.member(0), fleet.member(1))) {
            assertThat(progress(ended, member).path("state").asText()).isEqualTo("UPDATED");
            assertThat(member.installedVersion()).isEqualTo(to);
        }

        // the agent restarted: the member comes back on the version it still runs
        dead.restart();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> member(dead).path("state").asText().equals("Active"));
        assertThat(member(dead).path("version").asText()).isEqualTo(from);
    }

    // ---- the manager's API

    private String start(String requestJson) {
        HttpResponse<String> response = api.postJson("/api/applications/" + app + "/updates", requestJson);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return json(response).path("updateId").asText();
    }

    private static String request(
            String version,
            boolean compatible,
            String batchSize,
            String maxFailures,
            Boolean autoRollback,
            String updateTimeout,
            String preflight) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("clusters", List.of("php"));
        request.put("version", version);
        request.put("compatible", compatible);
        request.put("batchSize", batchSize);
        request.put("maxFailures", maxFailures);
        request.put("autoRollback", autoRollback);
        request.put("healthTimeout", "PT10S");
        request.put("updateTimeout", updateTimeout);
        request.put("preflight", preflight);
        request.values().removeIf(Objects::isNull);
        try {
            return JSON.writeValueAsString(request);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode view(String updateId) {
        HttpResponse<String> response = api.get("/api/updates/" + updateId);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response);
    }

    private static boolean ended(JsonNode view) {
        return ENDED.contains(view.path("state").asText());
    }

    private JsonNode awaitEnd(String updateId) {
        await().atMost(UPDATE).pollInterval(Duration.ofMillis(250)).until(() -> ended(view(updateId)));
        return keep(view(updateId));
    }

    /**
     * Keeps what {@code GET /api/updates/{id}} answered in {@code target/puppet-update-e2e/}, named by test and update
     * (docs/puppet.md's walkthrough shows these answers).
     */
    private JsonNode keep(JsonNode view) {
        try {
            Path kept = Files.createDirectories(OBSERVED)
                    .resolve(String.format(
                            "%02d-%s-%s.json",
                            ++observed,
                            view.path("state").asText(),
                            view.path("updateId").asText()));
            Files.writeString(kept, view.toPrettyString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return view;
    }

    /** The {@code topology.MemberUpdatingEvent}s of {@code updateId} so far. */
    private List<JsonNode> updatingEvents(String updateId) throws IOException {
        List<JsonNode> events = new ArrayList<>();
        for (String event : memberUpdating) {
            JsonNode node = JSON.readTree(event);
            if (node.path("updateId").asText().equals(updateId)) {
                events.add(node);
            }
        }
        return events;
    }

    private static List<JsonNode> progress(JsonNode view) {
        List<JsonNode> progress = new ArrayList<>();
        view.path("clusters").forEach(c -> c.path("memberProgress").forEach(progress::add));
        return progress;
    }

    private static JsonNode progress(JsonNode view, PuppetMember member) {
        return progress(view).stream()
                .filter(p -> p.path("memberId").asText().equals(member.memberId()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no progress of " + member.memberId() + " in " + view));
    }

    private JsonNode cluster() {
        HttpResponse<String> response = api.get("/api/applications/" + app);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response).path("clusters").get(0);
    }

    /** The cluster's {@code version}: the one all its Active members run (it changes only when they all agree). */
    private String clusterVersion() {
        JsonNode version = cluster().path("version");
        return version.isTextual() ? version.asText() : null;
    }

    /** Every member Active, all on one version (the cluster lists no {@code versions}). */
    private boolean uniform() {
        return allActive() && clusterVersion() != null && !cluster().has("versions");
    }

    private Map<String, JsonNode> members() {
        Map<String, JsonNode> members = new LinkedHashMap<>();
        cluster().path("members").forEach(m -> members.put(m.path("memberId").asText(), m));
        return members;
    }

    private JsonNode member(PuppetMember member) {
        return members().get(member.memberId());
    }

    private boolean allActive() {
        Map<String, JsonNode> members = members();
        return members.size() == MEMBERS
                && members.values().stream()
                        .allMatch(m -> m.path("state").asText().equals("Active"));
    }

    private static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false)
                .map(JsonNode::asText)
                .toList();
    }

    private static Instant instant(JsonNode node, String field) {
        assertThat(node.path(field).isTextual()).as("%s in %s", field, node).isTrue();
        return Instant.parse(node.path(field).asText());
    }

    // ---- the members

    /** How often the member's agent has announced itself ({@code InstanceActivatedEvent}) so far. */
    private static long activations(PuppetMember member) throws IOException {
        try (Stream<String> lines = Files.lines(member.agentLog())) {
            return lines.filter(line -> line.contains("InstanceActivatedEvent published"))
                    .count();
        }
    }

    private static String next(String version) {
        return RELEASES.get((RELEASES.indexOf(version) + 1) % RELEASES.size());
    }

    /** {@code stratos_app::releases} as YAML, without {@code version}: the member's catalog fails for it. */
    private static String releasesWithout(String version) {
        return RELEASES.stream()
                .filter(r -> !r.equals(version))
                .map(r -> "'" + r + "'")
                .collect(Collectors.joining(", ", "[", "]"));
    }

    /** What the module wrote into {@code release.json}. */
    private static Map<String, Object> release(PuppetMember member) throws IOException {
        return JSON.readValue(
                member.appDir().resolve("release.json").toFile(),
                JSON.getTypeFactory().constructMapType(Map.class, String.class, Object.class));
    }

    /** The member's application files and its fact file, by path. */
    private static Map<String, String> files(PuppetMember member) throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        try (Stream<Path> walk = Stream.concat(Files.walk(member.appDir()), Stream.of(member.factsFile()))) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                files.put(file.toString(), Files.readString(file));
            }
        }
        return files;
    }

    /** The pids of processes running {@code sleep <seconds>} (the module's settle step). */
    private static List<Long> sleeping(int seconds) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info()
                        .commandLine()
                        .map(c -> c.endsWith("sleep " + seconds))
                        .orElse(false))
                .map(ProcessHandle::pid)
                .toList();
    }
}
