package org.stratos.update.agent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;
import org.stratos.update.messaging.event.instance.notifier.SoftwareUpdateEvent;
import org.stratos.update.messaging.event.instance.status.InstanceStartedEvent;
import org.stratos.update.messaging.event.instance.status.InstanceUpdatedEvent;

/**
 * What one member update costs the agent's own process, beside what the update command itself costs: starts a broker
 * in this JVM and the agent jar as a process of its own (the JVM flags of docs/agent.md's systemd unit, update command
 * {@code /bin/true}), sends it updates one after the other, waiting for each report, and reads the agent's CPU time
 * from {@code /proc/<pid>/stat} before and after (its own, and its reaped children's apart). Run by
 * {@code bin/measure-agent.sh} ({@code COST_RUNS}); prints one line per figure.
 *
 * <p>Arguments: the agent jar, a work directory, the number of measured updates, the number of warm-up updates.
 */
public final class UpdateCost {

    private static final String MEMBER = "cost.php.php.domain-1";
    private static final double TICK_MS = 10; // USER_HZ = 100 on Linux

    private UpdateCost() {}

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        Path work = Path.of(args[1]);
        int runs = Integer.parseInt(args[2]);
        int warmUp = Integer.parseInt(args[3]);
        Files.createDirectories(work);
        try (TestBroker broker = TestBroker.start();
                TestClient manager = new TestClient(broker.url())) {
            Process agent = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-Xmx32m",
                            "-Xmn4m",
                            "-XX:+UseSerialGC",
                            "-XX:TieredStopAtLevel=1",
                            "-Xss256k",
                            "-jar",
                            jar.toString(),
                            "--broker.url=" + broker.url(),
                            "--broker.password=measure",
                            "--application.id=cost",
                            "--service.name=php",
                            "--alias=php",
                            "--member.id=" + MEMBER,
                            "--version=0",
                            "--state.dir=" + work.resolve("state"),
                            "--puppet.facts-file=" + work.resolve("facts.json"),
                            "--puppet.state-dir=" + work.resolve("puppet-state"),
                            "--puppet.summary-file=" + work.resolve("summary.yaml"),
                            "--update.command=/bin/true")
                    .redirectErrorStream(true)
                    .redirectOutput(work.resolve("agent.log").toFile())
                    .start();
            try {
                manager.awaitEvent(InstanceStartedEvent.class, e -> true, Duration.ofSeconds(60));
                for (int i = 0; i < warmUp; i++) {
                    update(manager, "warm-" + i);
                }
                long[] before = cpuTicks(agent.pid());
                List<Long> roundTrips = new ArrayList<>();
                List<Long> commandMillis = new ArrayList<>();
                long t0 = System.nanoTime();
                for (int i = 0; i < runs; i++) {
                    long start = System.nanoTime();
                    InstanceUpdatedEvent done = update(manager, "cost-" + i);
                    roundTrips.add((System.nanoTime() - start) / 1_000);
                    commandMillis.add(done.durationMillis());
                }
                long wallMicros = (System.nanoTime() - t0) / 1_000;
                long[] after = cpuTicks(agent.pid());
                double ownMs = (after[0] - before[0]) * TICK_MS / runs;
                double childrenMs = (after[1] - before[1]) * TICK_MS / runs;
                System.out.printf(
                        Locale.ROOT,
                        "updates: %d measured after %d warm-up, update command /bin/true%n"
                                + "agent CPU per update (its own process): %.2f ms%n"
                                + "update command CPU per update (reaped children): %.2f ms%n"
                                + "round trip per update (command sent -> InstanceUpdatedEvent received): median %.1f ms,"
                                + " p90 %.1f ms, mean %.1f ms%n"
                                + "command run time as the agent reports it (durationMillis): median %d ms%n",
                        runs,
                        warmUp,
                        ownMs,
                        childrenMs,
                        percentile(roundTrips, 50) / 1000.0,
                        percentile(roundTrips, 90) / 1000.0,
                        wallMicros / 1000.0 / runs,
                        percentile(commandMillis, 50));
            } finally {
                agent.destroy();
                agent.waitFor();
            }
        }
    }

    private static InstanceUpdatedEvent update(TestClient manager, String updateId) throws Exception {
        manager.send(new SoftwareUpdateEvent(
                updateId,
                "cost",
                "php",
                "cost.php.php.domain",
                MEMBER,
                updateId,
                null,
                false,
                null,
                null,
                null,
                null,
                false));
        // polled every 0.2 ms, not with Awaitility's 100 ms: the round trip is what is measured
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            List<InstanceUpdatedEvent> done =
                    manager.events(InstanceUpdatedEvent.class, e -> e.updateId().equals(updateId));
            if (!done.isEmpty()) {
                return done.get(0);
            }
            LockSupport.parkNanos(200_000);
        }
        throw new IllegalStateException("no InstanceUpdatedEvent for " + updateId + " within 60 s");
    }

    /** utime + stime, and cutime + cstime, of a process, in clock ticks (proc(5) fields 14-17). */
    private static long[] cpuTicks(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // f[0] is field 3
        return new long[] {Long.parseLong(f[11]) + Long.parseLong(f[12]), Long.parseLong(f[13]) + Long.parseLong(f[14])
        };
    }

    private static long percentile(List<Long> values, int p) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
