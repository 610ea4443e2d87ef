package org.stratos.update.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.stratos.update.system.ManagerRecoveryIT.ok;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.stratos.update.messaging.broker.BrokerGroups;
import org.stratos.update.support.ManagerProcess;
import org.stratos.update.support.PostgresDatabase;
import org.stratos.update.support.StandaloneBroker;
import org.stratos.update.support.TestHttp;

/**
 * Production's layout end to end: two packaged managers (JVMs of their own) on one PostgreSQL database and one
 * standalone ActiveMQ broker (Debian's, a process of its own), the members' agents in a third process. One manager is
 * killed with {@code kill -9} in the middle of a phased update; the other one goes on with it within the recovery
 * bound and finishes it, and the transition log shows that no two batches of the cluster were ever out of service at
 * once (the cluster lock and the engine's job locks held across the crash).
 */
class TwoManagersStandaloneBrokerIT {

    static final int MEMBERS = 6;
    static final String CLUSTER = "duo.php.php.domain";

    final List<AutoCloseable> resources = new ArrayList<>();
    Process fleet;

    @AfterEach
    void stop() throws Exception {
        if (fleet != null) {
            fleet.destroyForcibly();
        }
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    @Test
    void theSurvivingManagerFinishesAPhasedUpdateWithinTheBoundAndNeverRunsTwoBatchesAtOnce() throws Exception {
        Path dir = ManagerRecoveryIT.testDir("two-managers");
        PostgresDatabase database = PostgresDatabase.create("stratos_duo");
        StandaloneBroker broker = StandaloneBroker.start(dir.resolve("broker"));
        resources.add(broker);
        ManagerProcess a = node(dir, "nodeA", database, broker);
        ManagerProcess b = node(dir, "nodeB", database, broker);
        TestHttp http = a.http();
        ok(http.postJson("/api/applications", """
                {"applicationId":"duo","clusters":[{"alias":"php","cartridgeType":"php","runtime":"puppet","version":"1.0"}]}
                """));
        JsonNode credentials = TestHttp.json(ok(http.postJson(
                        "/api/applications/duo/clusters/php/members", "{\"count\":" + MEMBERS + ",\"shared\":true}")))
                .get("credentials")
                .get(0);
        broker.addUser(
                credentials.get("user").asText(), credentials.get("password").asText(), BrokerGroups.FLEETS);
        Path file = dir.resolve("fleet.json");
        ManagerRecoveryIT.JSON.writeValue(file.toFile(), credentials);
        fleet = ManagerRecoveryIT.fleet(dir, broker.url(), file, "duo", CLUSTER, "PT2S");
        await().atMost(Duration.ofSeconds(90)).until(() -> ManagerRecoveryIT.active(b.http(), "duo", "php") == MEMBERS);

        String id = TestHttp.json(ok(http.postJson("/api/applications/duo/updates", """
                {"clusters":["php"],"version":"2.0","compatible":true,"batchSize":"1","healthTimeout":"PT2M"}""")))
                .get("updateId")
                .asText();
        // somewhere in the second to fourth batch (each takes the agents 2 s)
        long delay = 3000 + new SplittableRandom(Long.getLong("stratos.recovery.seed", 1301L)).nextLong(5000);
        await().pollDelay(Duration.ofMillis(delay))
                .atMost(Duration.ofMillis(delay + 1000))
                .until(() -> true);
        assertThat(ManagerRecoveryIT.ended(ManagerRecoveryIT.state(b.http(), id)))
                .as("still running")
                .isFalse();
        Instant crash = a.kill();

        Instant change = await().atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> ManagerRecoveryIT.firstChangeAfter(ManagerRecoveryIT.view(b.http(), id), crash),
                        Optional::isPresent)
                .orElseThrow();
        long recovery = Duration.between(crash, change).toMillis();
        System.out.printf(
                "two managers: node A killed at +%d ms; node B moved the update %d ms after the crash%n",
                delay, recovery);
        await().atMost(Duration.ofMinutes(2))
                .until(() -> ManagerRecoveryIT.ended(ManagerRecoveryIT.state(b.http(), id)));

        JsonNode end = ManagerRecoveryIT.view(b.http(), id);
        assertThat(end.get("state").asText()).as("%s", end).isEqualTo("COMPLETED");
        assertThat(ManagerRecoveryIT.members(b.http(), "duo", "php"))
                .hasSize(MEMBERS)
                .allSatisfy(m -> {
                    assertThat(m.get("state").asText()).isEqualTo("Active");
                    assertThat(m.get("version").asText()).isEqualTo("2.0");
                });
        assertThat(recovery)
                .as("crash to the surviving node's next move of the update")
                .isLessThanOrEqualTo(ManagerRecoveryIT.RECOVERY_BOUND.toMillis());
        assertOneBatchAtATime(database, id, end);
    }

    /** From the transition log: at no moment were members of two batches Updating at once. */
    private static void assertOneBatchAtATime(PostgresDatabase database, String updateId, JsonNode update)
            throws Exception {
        Map<String, Integer> batchOf = new HashMap<>();
        for (JsonNode m : update.get("clusters").get(0).get("memberProgress")) {
            batchOf.put(m.get("memberId").asText(), m.get("batch").asInt());
        }
        record Move(String member, String from, String to, Timestamp at) {}
        List<Move> moves = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(database.url(), PostgresDatabase.USER, "");
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery("select member_id, from_state, to_state, at from stratos_member_transition "
                                + "where update_id = '" + updateId + "' order by at, id")) {
            while (rs.next()) {
                moves.add(new Move(rs.getString(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4)));
            }
        }
        assertThat(moves).as("the update's transitions").isNotEmpty();
        Set<String> updating = new HashSet<>();
        int intoUpdating = 0;
        for (Move move : moves) {
            if ("UPDATING".equalsIgnoreCase(move.to())) {
                updating.add(move.member());
                intoUpdating++;
            } else if ("UPDATING".equalsIgnoreCase(move.from())) {
                updating.remove(move.member());
            }
            Set<Integer> batches = new HashSet<>();
            updating.forEach(m -> batches.add(batchOf.get(m)));
            assertThat(batches)
                    .as("batches out of service together at %s (%s)", move.at(), updating)
                    .hasSizeLessThanOrEqualTo(1);
        }
        assertThat(intoUpdating).as("every member went through Updating once").isEqualTo(MEMBERS);
    }

    private ManagerProcess node(Path dir, String name, PostgresDatabase database, StandaloneBroker broker) {
        ManagerProcess m = ManagerProcess.builder(dir, name)
                .postgres(database)
                .externalBroker(broker.failoverUrl(), broker.managerPassword())
                .property("logging.level.org.stratos", "INFO")
                .start();
        resources.add(m);
        return m;
    }
}
