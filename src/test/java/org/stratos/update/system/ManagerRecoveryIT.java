package org.stratos.update.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.stratos.update.support.ManagerProcess;
import org.stratos.update.support.PostgresDatabase;
import org.stratos.update.support.TestHttp;

/**
 * Kills the packaged manager with {@code kill -9} at random moments during updates (phased and all-at-once updates
 * of VM members, whose agents run in a process of their own; a phased update of container members of the simulated
 * runtime, which run in the manager and die with it) and starts it again, on H2 and on PostgreSQL. Measures, for each
 * crash, the time from the restarted manager answering health to the next state change of the interrupted update
 * (the earliest start or end of a member's run, or of a cluster or the update, after the crash, as the API shows it).
 * Every update must end COMPLETED with every member Active on the new version, and the median recovery must be within
 * 10 s. The figures are printed and written to {@code target/manager-recovery/<db>.txt} (docs/benchmarks.md).
 *
 * <p>The random moments come from a fixed seed ({@code -Dstratos.recovery.seed} to change it), so a run can be
 * repeated; the kills per database: 4 ({@code -Dstratos.recovery.kills}), one per update, the cases in turn.
 */
class ManagerRecoveryIT {

    static final int KILLS = Integer.getInteger("stratos.recovery.kills", 4);
    static final Duration RECOVERY_BOUND = Duration.ofSeconds(10);
    static final String APP = "rec";
    static final int VM_MEMBERS = 6;
    static final ObjectMapper JSON = new ObjectMapper();

    final List<Process> fleets = new ArrayList<>();
    final List<ManagerProcess> managers = new ArrayList<>();

    @AfterEach
    void stopEverything() {
        fleets.forEach(Process::destroyForcibly);
        managers.forEach(ManagerProcess::close);
    }

    @Test
    void managerKilledDuringUpdatesOnH2RecoversWithinTheBound() throws Exception {
        recover("h2", null);
    }

    @Test
    void managerKilledDuringUpdatesOnPostgresqlRecoversWithinTheBound() throws Exception {
        recover("postgres", PostgresDatabase.create("stratos_recovery"));
    }

    private void recover(String db, PostgresDatabase database) throws Exception {
        long seed = Long.getLong("stratos.recovery.seed", 1301L) + db.hashCode();
        SplittableRandom random = new SplittableRandom(seed);
        Path dir = testDir(db);
        ManagerProcess.Builder builder = ManagerProcess.builder(dir, "manager")
                .property("stratos.simulated.update-duration", "PT1S")
                .property("stratos.simulated.start-latency", "PT1S")
                .property("logging.level.org.stratos", "INFO");
        if (database != null) {
            builder.postgres(database);
        }
        ManagerProcess manager = builder.start();
        managers.add(manager);
        TestHttp http = manager.http();
        ok(http.postJson("/api/applications", """
                {"applicationId":"rec","clusters":[
                  {"alias":"vm","cartridgeType":"php","runtime":"puppet","version":"1.0"},
                  {"alias":"web","cartridgeType":"web","runtime":"simulated","imageId":"stratos/web:1","members":4},
                  {"alias":"sim","cartridgeType":"mysql","runtime":"simulated","version":"1.0","members":4}]}
                """));
        startFleet(manager, dir);
        await().atMost(Duration.ofSeconds(90))
                .until(() -> active(http, "vm") == VM_MEMBERS && active(http, "web") == 4 && active(http, "sim") == 4);

        record Case(String name, String cluster, String body, String target, long fromMillis, long toMillis) {}
        List<Case> cases = List.of(
                new Case("phased VM update", "vm", """
                        {"clusters":["vm"],"version":"2.0","compatible":true,"batchSize":"1","healthTimeout":"PT2M"}""", "2.0", 500, 9000),
                new Case("phased container update", "web", """
                        {"clusters":["web"],"imageId":"stratos/web:2","compatible":true,"batchSize":"2",
                         "healthTimeout":"PT2M","minHealthyTime":"PT1S"}""", "stratos/web:2", 500, 4000),
                new Case(
                        "phased update of simulated VM members (their agents die with the manager)",
                        "sim",
                        """
                        {"clusters":["sim"],"version":"2.0","compatible":true,"batchSize":"1","healthTimeout":"PT2M"}""",
                        "2.0",
                        500,
                        3500),
                new Case("all-at-once VM update", "vm", """
                        {"clusters":["vm"],"version":"3.0","compatible":false,"healthTimeout":"PT2M"}""", "3.0", 200, 2000));
        List<Long> fromHealthy = new ArrayList<>();
        List<Long> fromCrash = new ArrayList<>();
        StringBuilder report = new StringBuilder();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < KILLS; i++) {
            // each round of the cases goes to versions of its own: a second update to the same version has nothing to
            // do
            int round = i / cases.size();
            Case c0 = cases.get(i % cases.size());
            Case c = new Case(
                    c0.name(),
                    c0.cluster(),
                    c0.body().replace(c0.target(), c0.target() + "." + round),
                    c0.target() + "." + round,
                    c0.fromMillis(),
                    c0.toMillis());
            String id = TestHttp.json(ok(http.postJson("/api/applications/rec/updates", c.body())))
                    .get("updateId")
                    .asText();
            Instant started = Instant.now();
            long delay = c.fromMillis() + random.nextLong(c.toMillis() - c.fromMillis());
            await().pollDelay(Duration.ofMillis(delay))
                    .atMost(Duration.ofMillis(delay + 1000))
                    .until(() -> true);
            if (ended(state(http, id))) {
                report.append(c.name())
                        .append(": ended before the kill at +")
                        .append(delay)
                        .append(" ms\n");
                continue;
            }
            Instant crash = manager.kill();
            Instant healthy = manager.restart();
            // the next state change the update makes after the crash, as the API shows it
            Instant change;
            try {
                change = await().atMost(Duration.ofMinutes(3))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> firstChangeAfter(view(http, id), crash), Optional::isPresent)
                        .orElseThrow();
            } catch (ConditionTimeoutException stuck) {
                problems.add("update %s (%s) did not move within 3 min of the restart".formatted(id, c.name()));
                break;
            }
            long recovery = Math.max(0, Duration.between(healthy, change).toMillis());
            fromHealthy.add(recovery);
            fromCrash.add(Duration.between(crash, change).toMillis());
            report.append("%s %s: killed at +%d ms, healthy after %d ms, next change %d ms after healthy%n"
                    .formatted(
                            c.name(),
                            id,
                            Duration.between(started, crash).toMillis(),
                            Duration.between(crash, healthy).toMillis(),
                            recovery));
            try {
                await().atMost(Duration.ofMinutes(3)).until(() -> ended(state(http, id)));
            } catch (ConditionTimeoutException stuck) {
                problems.add("update %s (%s) did not end within 3 min: %s".formatted(id, c.name(), view(http, id)));
                break;
            }
            JsonNode end = view(http, id);
            if (!"COMPLETED".equals(end.get("state").asText())) {
                problems.add("update %s (%s) ended %s: %s"
                        .formatted(
                                id,
                                c.name(),
                                end.get("state").asText(),
                                end.path("message").asText()));
            }
            for (JsonNode m : members(http, c.cluster())) {
                if (!"Active".equals(m.get("state").asText()) || !c.target().equals(version(m))) {
                    problems.add("after update %s member %s is %s on %s"
                            .formatted(
                                    id,
                                    m.get("memberId").asText(),
                                    m.get("state").asText(),
                                    version(m)));
                }
            }
        }
        long median = median(fromHealthy);
        String summary =
                "%s: n=%d, recovery from healthy median %d ms, max %d ms; from crash median %d ms, max %d ms; seed %d%n"
                        .formatted(
                                db,
                                fromHealthy.size(),
                                median,
                                max(fromHealthy),
                                median(fromCrash),
                                max(fromCrash),
                                seed);
        report.append(summary);
        problems.forEach(p -> report.append("PROBLEM: ").append(p).append('\n'));
        System.out.print(report);
        Path out = Path.of("target", "manager-recovery");
        Files.createDirectories(out);
        Files.writeString(out.resolve(db + System.getProperty("stratos.recovery.label", "") + ".txt"), report);
        assertThat(problems)
                .as("every update ends COMPLETED with every member Active on its version")
                .isEmpty();
        assertThat(fromHealthy).as("a crash measured").isNotEmpty();
        assertThat(median).as(summary).isLessThanOrEqualTo(RECOVERY_BOUND.toMillis());
    }

    /** The members' agents in a process of their own (FleetMain from the agent jar), as on VMs: they outlive kills. */
    private void startFleet(ManagerProcess manager, Path dir) throws IOException {
        JsonNode fleet = TestHttp.json(ok(manager.http()
                        .postJson(
                                "/api/applications/rec/clusters/vm/members",
                                "{\"count\":" + VM_MEMBERS + ",\"shared\":true}")))
                .get("credentials")
                .get(0);
        Path credentials = dir.resolve("fleet.json");
        JSON.writeValue(credentials.toFile(), fleet);
        fleets.add(fleet(dir, manager.brokerUrl(), credentials, APP, "rec.vm.php.domain", "PT2S"));
    }

    /** FleetMain with the members of {@code credentials}, each update taking {@code duration}; logs to fleet.log. */
    static Process fleet(Path dir, String brokerUrl, Path credentials, String app, String clusterId, String duration)
            throws IOException {
        return new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx64m",
                        "-XX:+UseSerialGC",
                        "-cp",
                        ManagerProcess.agentJar().toString(),
                        "org.stratos.update.agent.FleetMain",
                        "--broker.url=" + brokerUrl,
                        "--credentials=" + credentials,
                        "--application.id=" + app,
                        "--cluster.id=" + clusterId,
                        "--service.name=php",
                        "--version=1.0",
                        "--update.duration=" + duration,
                        "--failure.rate=0"))
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dir.resolve("fleet.log").toFile()))
                .start();
    }

    static Optional<Instant> firstChangeAfter(JsonNode update, Instant crash) {
        List<Instant> times = new ArrayList<>();
        add(times, update, "endedAt");
        for (JsonNode cluster : update.get("clusters")) {
            add(times, cluster, "startedAt");
            add(times, cluster, "endedAt");
            JsonNode progress = cluster.get("memberProgress");
            if (progress != null) {
                for (JsonNode m : progress) {
                    add(times, m, "startedAt");
                    add(times, m, "endedAt");
                    add(times, m, "rollbackStartedAt");
                    add(times, m, "rollbackEndedAt");
                }
            }
        }
        return times.stream().filter(t -> t.isAfter(crash)).min(Comparator.naturalOrder());
    }

    private static void add(List<Instant> times, JsonNode node, String field) {
        if (node.hasNonNull(field)) {
            times.add(Instant.parse(node.get(field).asText()));
        }
    }

    static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        if (sorted.isEmpty()) {
            return 0;
        }
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static long max(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).max().orElse(0);
    }

    static boolean ended(String state) {
        return switch (state) {
            case "COMPLETED",
                    "COMPLETED_WITH_FAILURES",
                    "ROLLED_BACK",
                    "ROLLBACK_FAILED",
                    "PREFLIGHT_FAILED",
                    "FAILED",
                    "ABORTED",
                    "CANCELLED" -> true;
            default -> false;
        };
    }

    static String state(TestHttp http, String id) {
        return view(http, id).get("state").asText();
    }

    static JsonNode view(TestHttp http, String id) {
        return TestHttp.json(ok(http.get("/api/updates/" + id)));
    }

    static List<JsonNode> members(TestHttp http, String alias) {
        return members(http, APP, alias);
    }

    static List<JsonNode> members(TestHttp http, String appId, String alias) {
        JsonNode app = TestHttp.json(ok(http.get("/api/applications/" + appId)));
        for (JsonNode c : app.get("clusters")) {
            if (alias.equals(c.get("alias").asText())) {
                List<JsonNode> list = new ArrayList<>();
                c.get("members").forEach(list::add);
                return list.stream()
                        .filter(m -> !"Terminated".equals(m.get("state").asText()))
                        .toList();
            }
        }
        throw new AssertionError("no cluster " + alias + " in " + app);
    }

    static long active(TestHttp http, String alias) {
        return active(http, APP, alias);
    }

    static long active(TestHttp http, String appId, String alias) {
        try {
            return members(http, appId, alias).stream()
                    .filter(m -> "Active".equals(m.get("state").asText()))
                    .count();
        } catch (AssertionError notYet) {
            return -1;
        }
    }

    static String version(JsonNode member) {
        return member.hasNonNull("version") ? member.get("version").asText() : null;
    }

    static java.net.http.HttpResponse<String> ok(java.net.http.HttpResponse<String> r) {
        if (r.statusCode() >= 300) {
            throw new AssertionError(r.statusCode() + " " + r.body());
        }
        return r;
    }

    static Path testDir(String name) throws IOException {
        Path dir = Path.of("target", "it", ManagerRecoveryIT.class.getSimpleName(), name + "-" + System.nanoTime())
                .toAbsolutePath();
        Files.createDirectories(dir);
        try (Stream<Path> ignored = Files.list(dir)) {
            return dir;
        }
    }
}
