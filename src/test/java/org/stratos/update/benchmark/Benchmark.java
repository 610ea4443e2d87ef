package org.stratos.update.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.stratos.update.support.AgentJar;
import org.stratos.update.support.PostgresDatabase;

/**
 * The rollout benchmark: starts the packaged manager (its own JVM, embedded broker, H2 or PostgreSQL) and fleets of
 * simulated members ({@code FleetMain} from the agent jar, over the broker's TCP connector), runs one phased update and
 * writes what it measured as JSON. Not part of the test run:
 * {@code ./mvnw -q package -DskipTests && ./mvnw -q -Pbenchmark test-compile exec:java
 * -Dexec.args="--members=1000 --duration=PT1S"}
 * (see docs/benchmarks.md).
 */
public final class Benchmark {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String PASSWORD = "benchmark-password";

    private final Map<String, String> opts;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Process> processes = new ArrayList<>();
    private String base;
    private PostgresDatabase db;

    private Benchmark(Map<String, String> opts) {
        this.opts = opts;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>(Map.of(
                "members",
                "100",
                "duration",
                "PT1S",
                "batch",
                "10%",
                "db",
                "h2",
                "agents-per-process",
                "5000",
                "agents-per-connection",
                "1000",
                "heap",
                "512m",
                "out",
                "target/benchmark"));
        for (String a : args) {
            if (a.indexOf('=') < 0) {
                opts.put(a.substring(2), "true"); // a flag: --keep-db
            } else {
                opts.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
            }
        }
        Benchmark b = new Benchmark(opts);
        try {
            b.run();
        } finally {
            b.processes.forEach(Process::destroy);
            // --keep-db: leave the PostgreSQL database for a look afterwards (the next run with --db=postgres drops it)
            if (b.db != null && !opts.containsKey("keep-db")) {
                for (Process p : b.processes) {
                    p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
                }
                b.db.drop();
            }
        }
        System.exit(0);
    }

    /** An update's time by the manager's own clock: created to ended, without the harness's polling. */
    private static long managerMillis(JsonNode update) {
        return Duration.between(
                        java.time.Instant.parse(update.get("createdAt").asText()),
                        java.time.Instant.parse(update.get("endedAt").asText()))
                .toMillis();
    }

    private void run() throws Exception {
        int members = Integer.parseInt(opts.get("members"));
        Duration duration = Duration.parse(opts.get("duration"));
        Path work = Files.createTempDirectory("stratos-benchmark");
        // --jars=DIR runs another build's jars (e.g. a baseline copied to /work/perf-baseline) against this harness:
        // the manager's jar and the agent's from DIR, the agent's of this layout
        // (stratos-update-agent-*-standalone.jar)
        // or of the one before the agent was a module of its own (stratos-update-manager-*-agent.jar); a DIR without
        // an agent jar takes the one this checkout built in agent/target/, and so does target/ itself (where an
        // *-agent.jar is a leftover of a build before the agent module)
        String jars = opts.getOrDefault("jars", "target");
        Path jar = find(jars, "stratos-update-manager-", ".jar", "-agent.jar", "-broker-plugin.jar");
        boolean thisBuild = Path.of(jars)
                .toAbsolutePath()
                .normalize()
                .equals(Path.of("target").toAbsolutePath());
        Path agentJar = thisBuild
                ? AgentJar.find()
                : AgentJar.in(Path.of(jars))
                        .or(() -> findOptional(jars, "stratos-update-manager-", "-agent.jar"))
                        .orElseGet(AgentJar::find);
        System.err.println("benchmark: manager " + jar + ", agent " + agentJar);
        int httpPort = freePort();
        int brokerPort = freePort();
        base = "http://127.0.0.1:" + httpPort;
        // --manager-java=PATH runs the manager (only the manager) with another java, e.g. a JDK 25 with its AOT cache
        List<String> command =
                new ArrayList<>(List.of(opts.getOrDefault("manager-java", "java"), "-Xmx" + opts.get("heap")));
        if (opts.containsKey("manager-jvm")) {
            command.addAll(List.of(opts.get("manager-jvm").trim().split(";")));
        }
        command.addAll(List.of(
                "-jar",
                jar.toAbsolutePath().toString(),
                "--server.port=" + httpPort,
                "--stratos.broker.connector=tcp://127.0.0.1:" + brokerPort,
                "--stratos.demo.enabled=false",
                "--camunda.bpm.admin-user.password=" + PASSWORD,
                "--logging.level.org.stratos=WARN"));
        if (opts.containsKey("manager-args")) {
            command.addAll(List.of(opts.get("manager-args").trim().split(",")));
        }
        if (opts.get("db").equals("postgres")) {
            db = PostgresDatabase.create("stratos_bench");
            // --pg-set=name=value;name=value: settings of this database only (ALTER DATABASE ... SET), e.g.
            // log_min_duration_statement=0 to log every statement of the run in the server's log
            for (String setting : opts.getOrDefault("pg-set", "").split(";")) {
                if (!setting.isBlank()) {
                    String name = setting.substring(0, setting.indexOf('=')).trim();
                    String value = setting.substring(setting.indexOf('=') + 1).trim();
                    if (!name.matches("[a-z_.]+")) {
                        throw new IllegalArgumentException("not a setting name: " + name);
                    }
                    sql("alter database " + db.name() + " set " + name + " = '" + value.replace("'", "''") + "'");
                }
            }
            command.addAll(List.of(
                    "--spring.profiles.active=postgres",
                    "--spring.datasource.url=" + db.url(),
                    "--spring.datasource.username=" + PostgresDatabase.USER));
        }
        long t0 = System.nanoTime();
        Process manager = start(command, work, "manager.log");
        // --start-limit=PT10M: how long to wait for the manager to start (a loaded shared machine took more than 2
        // minutes)
        awaitHealthy(Duration.parse(opts.getOrDefault("start-limit", "PT5M")));
        long startMillis = (System.nanoTime() - t0) / 1_000_000;

        post(
                "/api/applications",
                "{\"applicationId\":\"bench\",\"clusters\":[{\"alias\":\"php\",\"cartridgeType\":\"php\","
                        + "\"runtime\":\"puppet\",\"version\":\"1.0\"}]}");
        int perProcess = Integer.parseInt(opts.get("agents-per-process"));
        long j0 = System.nanoTime();
        for (int started = 0, i = 0; started < members; started += perProcess, i++) {
            // each fleet process hosts its members: registered to one fleet user, whose password it reads from a file
            JsonNode fleet = post(
                            "/api/applications/bench/clusters/php/members",
                            "{\"count\":" + Math.min(perProcess, members - started) + ",\"shared\":true}")
                    .get("credentials")
                    .get(0);
            Path credentials = work.resolve("fleet-" + i + ".json");
            JSON.writeValue(credentials.toFile(), fleet);
            start(
                    List.of(
                            "java",
                            "-Xmx512m",
                            "-XX:+UseSerialGC",
                            "-cp",
                            agentJar.toAbsolutePath().toString(),
                            "org.stratos.update.agent.FleetMain",
                            "--broker.url=tcp://127.0.0.1:" + brokerPort,
                            "--credentials=" + credentials,
                            "--application.id=bench",
                            "--cluster.id=bench.php.php.domain",
                            "--service.name=php",
                            "--version=1.0",
                            "--update.duration=" + duration,
                            "--failure.rate=0",
                            "--agents.per.connection=" + opts.get("agents-per-connection")),
                    work,
                    "fleet-" + i + ".log");
        }
        awaitActive(members, Duration.ofMinutes(10));
        long joinMillis = (System.nanoTime() - j0) / 1_000_000;
        // --warmup=K: K whole updates (versions 1.1, 1.2, ...) before the measured one, so that it runs on a manager
        // whose code the JIT has compiled, as a manager that has been up for a while does; 0 (the default) measures
        // the first update after the manager's start
        int warmups = Integer.parseInt(opts.getOrDefault("warmup", "0"));
        long warmupMillis = 0;
        List<Long> warmupUpdateMillis = new ArrayList<>(); // each warm-up by the manager's clock: a trend shows here
        for (int w = 1; w <= warmups; w++) {
            long w0 = System.nanoTime();
            JsonNode warmup = runUpdate("1." + w);
            warmupMillis += (System.nanoTime() - w0) / 1_000_000;
            if (!"COMPLETED".equals(warmup.get("state").asText())) {
                throw new IllegalStateException(
                        "warm-up update " + w + " ended " + warmup.get("state").asText());
            }
            warmupUpdateMillis.add(managerMillis(warmup));
        }

        AtomicLong peakRss = new AtomicLong();
        AtomicLong peakHeap = new AtomicLong();
        Thread sampler = new Thread(() -> sample(manager.pid(), peakRss, peakHeap), "sampler");
        sampler.setDaemon(true);
        sampler.start();
        double dispatchedBefore = metric("stratos.broker.dispatched");
        double gcBefore = metric("jvm.gc.pause", 0);
        double gcCountBefore = metric("jvm.gc.pause", 1);
        Map<String, Long> dbBefore = databaseCounters();

        long cpu0 = cpuMillis(manager);
        long fleetCpu0 = fleetCpuMillis();
        long u0 = System.nanoTime();
        JsonNode view = runUpdate("2.0");
        long wallMillis = (System.nanoTime() - u0) / 1_000_000;
        long managerCpuMillis = cpuMillis(manager) - cpu0;
        long fleetCpuMillis = fleetCpuMillis() - fleetCpu0;
        Thread.sleep(600);
        sampler.interrupt();
        double dispatched = metric("stratos.broker.dispatched") - dispatchedBefore;
        double gcMillis = (metric("jvm.gc.pause", 0) - gcBefore) * 1000;
        double gcCount = metric("jvm.gc.pause", 1) - gcCountBefore;
        Map<String, Long> dbAfter = databaseCounters();

        int batchSize = view.get("clusters").get(0).get("batchSize").asInt();
        int batches = (members + batchSize - 1) / batchSize;
        long idealMillis = batches * duration.toMillis();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("db", opts.get("db"));
        result.put("members", members);
        result.put("updateDurationMillis", duration.toMillis());
        result.put("batchSize", batchSize);
        result.put("batches", batches);
        result.put("state", view.get("state").asText());
        result.put("warmupUpdates", warmups);
        result.put("warmupMillis", warmupMillis);
        result.put("wallMillis", wallMillis);
        // the same update as the manager recorded it (accepted → ended): without the harness's request and its polls
        // every 250 ms, which add up to 250 ms to wallMillis
        long updateMillis = managerMillis(view);
        result.put("updateMillis", updateMillis);
        result.put("warmupUpdateMillis", warmupUpdateMillis);
        result.put("idealMillis", idealMillis);
        result.put(
                "overheadPercent",
                idealMillis == 0 ? null : Math.round((wallMillis - idealMillis) * 1000.0 / idealMillis) / 10.0);
        // the cost of each batch on top of its D: what the orchestration adds per batch (issue 12: target <= 50 ms)
        result.put("overheadPerBatchMillis", Math.round((wallMillis - idealMillis) * 10.0 / batches) / 10.0);
        result.put("memberUpdatesPerSecond", Math.round(members * 10_000.0 / wallMillis) / 10.0);
        result.put("updateOverheadPerBatchMillis", Math.round((updateMillis - idealMillis) * 10.0 / batches) / 10.0);
        result.put("updateMemberUpdatesPerSecond", Math.round(members * 10_000.0 / updateMillis) / 10.0);
        // CPU time (user + system, all threads) the manager's and the fleet's processes used during the measured
        // update: less sensitive to what else the machine runs than the wall time, and per member what a member
        // update costs the manager (its embedded broker included)
        result.put("managerCpuMillis", managerCpuMillis);
        result.put("managerCpuMillisPerMemberUpdate", Math.round(managerCpuMillis * 100.0 / members) / 100.0);
        result.put("fleetCpuMillis", fleetCpuMillis);
        result.put("managerStartMillis", startMillis);
        result.put("membersJoinedMillis", joinMillis);
        result.put("managerPeakRssMb", peakRss.get() / 1024);
        result.put("managerPeakHeapMb", peakHeap.get() / (1024 * 1024));
        result.put("commandDeliveriesPerMemberUpdate", Math.round(dispatched * 100.0 / members) / 100.0);
        // the manager's garbage collection during the update: pauses summed (jvm.gc.pause), and how many
        result.put("managerGcPauseMillis", Math.round(gcMillis));
        result.put("managerGcPauses", Math.round(gcCount));
        if (db != null) {
            // PostgreSQL's own counters over the update (pg_stat_database, pg_stat_user_tables): commits, rows read
            // by sequential scans, per table; read with the batches: what the database does per batch
            Map<String, Long> delta = new java.util.TreeMap<>();
            dbAfter.forEach((k, v) -> {
                long d = v - dbBefore.getOrDefault(k, 0L);
                if (d != 0) {
                    delta.put(k, d);
                }
            });
            result.put("databaseCounters", delta);
        }
        result.put("heapLimit", opts.get("heap"));
        result.put("managerArgs", opts.getOrDefault("manager-args", ""));
        result.put("cores", Runtime.getRuntime().availableProcessors());
        result.put("jars", jar.toAbsolutePath().toString());
        result.put("agentJar", agentJar.toAbsolutePath().toString());
        result.put("label", opts.getOrDefault("label", ""));
        result.put("loadAverage", loadAverage());
        Path out = Path.of(opts.get("out"));
        Files.createDirectories(out);
        Path file = out.resolve(opts.get("db") + "-n" + members + "-d" + duration.toMillis()
                + (opts.containsKey("label") ? "-" + opts.get("label") : "") + ".json");
        JSON.writeValue(file.toFile(), result);
        System.out.println(JSON.writeValueAsString(result));
        System.out.println("written to " + file + "; logs in " + work);
    }

    /**
     * The database's counters now (PostgreSQL only; empty otherwise): commits and rows of the whole database, and
     * per table the sequential scans, the rows they read, index scans and rows written. The statistics collector
     * publishes with a delay of up to a second; the caller reads them after waiting that long.
     */
    private Map<String, Long> databaseCounters() {
        Map<String, Long> counters = new LinkedHashMap<>();
        if (db == null) {
            return counters;
        }
        try {
            // a backend publishes its counts at most once a second, an idle one within 10 s
            Thread.sleep(11_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (var c = java.sql.DriverManager.getConnection(db.url(), PostgresDatabase.USER, "");
                var s = c.createStatement()) {
            try (var rs = s.executeQuery(
                    "select xact_commit, xact_rollback, tup_returned, tup_fetched, tup_inserted, tup_updated,"
                            + " tup_deleted from pg_stat_database where datname = current_database()")) {
                rs.next();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    counters.put("db." + rs.getMetaData().getColumnName(i), rs.getLong(i));
                }
            }
            try (var rs = s.executeQuery(
                    "select relname, seq_scan, seq_tup_read, coalesce(idx_scan, 0) idx_scan, coalesce(idx_tup_fetch, 0) idx_tup_fetch,"
                            + " n_tup_ins, n_tup_upd, n_tup_del from pg_stat_user_tables")) {
                while (rs.next()) {
                    for (int i = 2; i <= rs.getMetaData().getColumnCount(); i++) {
                        counters.put(
                                rs.getString(1).toLowerCase() + "."
                                        + rs.getMetaData().getColumnName(i),
                                rs.getLong(i));
                    }
                }
            }
            // per index of the project's tables: which index the statements used, and how many rows it returned
            try (var rs = s.executeQuery("select indexrelname, idx_scan, idx_tup_read from pg_stat_user_indexes"
                    + " where relname like 'stratos%'")) {
                while (rs.next()) {
                    counters.put("index." + rs.getString(1) + ".idx_scan", rs.getLong(2));
                    counters.put("index." + rs.getString(1) + ".idx_tup_read", rs.getLong(3));
                }
            }
        } catch (java.sql.SQLException e) {
            System.err.println("database counters not read: " + e);
        }
        return counters;
    }

    private void sql(String statement) throws java.sql.SQLException {
        try (var c = java.sql.DriverManager.getConnection(db.url(), PostgresDatabase.USER, "");
                var s = c.createStatement()) {
            s.execute(statement);
        }
    }

    /** The machine's 1-minute load average at the end of the run (the machine may be shared: read the figures with it). */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "";
        }
    }

    /** CPU time the process has used so far, all its threads, in milliseconds. */
    private static long cpuMillis(Process p) {
        return p.info().totalCpuDuration().map(Duration::toMillis).orElse(0L);
    }

    /** The fleets' CPU time so far: every process the harness started but the manager (the first). */
    private long fleetCpuMillis() {
        return processes.stream().skip(1).mapToLong(Benchmark::cpuMillis).sum();
    }

    /** Updates the cluster to {@code version} and waits until the update has ended: its last view. */
    private JsonNode runUpdate(String version) throws Exception {
        JsonNode update = post(
                "/api/applications/bench/updates",
                "{\"clusters\":[\"php\"],\"version\":\"" + version + "\",\"compatible\":true,\"batchSize\":\""
                        + opts.get("batch") + "\",\"healthTimeout\":\"PT5M\"}");
        String id = update.get("updateId").asText();
        JsonNode view;
        do {
            // every 250 ms: the view of a 10,000-member update is not free, and the poll must not load the manager
            Thread.sleep(250);
            view = get("/api/updates/" + id);
        } while (!Boolean.TRUE.equals(ended(view.get("state").asText())));
        return view;
    }

    private static Boolean ended(String state) {
        return switch (state) {
            case "COMPLETED", "COMPLETED_WITH_FAILURES", "ROLLED_BACK", "FAILED", "ABORTED", "CANCELLED" -> true;
            default -> false;
        };
    }

    private void sample(long pid, AtomicLong peakRssKb, AtomicLong peakHeapBytes) {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                    if (line.startsWith("VmHWM:")) {
                        peakRssKb.accumulateAndGet(Long.parseLong(line.replaceAll("\\D", "")), Math::max);
                    }
                }
                peakHeapBytes.accumulateAndGet((long) metric("jvm.memory.used", "area:heap"), Math::max);
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                // the manager is busy or gone: try again
            }
        }
    }

    /** The {@code index}th measurement of a metric (jvm.gc.pause: 0 total time in seconds, 1 count). */
    private double metric(String name, int index) throws Exception {
        JsonNode m;
        try {
            m = get("/actuator/metrics/" + name);
        } catch (IllegalStateException none) {
            return 0; // 404 until the first collection
        }
        for (JsonNode v : m.path("measurements")) {
            if (v.get("statistic").asText().equals(index == 0 ? "TOTAL_TIME" : "COUNT")) {
                return v.get("value").asDouble();
            }
        }
        return 0;
    }

    private double metric(String name, String... tags) throws Exception {
        StringBuilder path = new StringBuilder("/actuator/metrics/" + name);
        for (int i = 0; i < tags.length; i++) {
            path.append(i == 0 ? "?" : "&").append("tag=").append(tags[i]);
        }
        JsonNode m = get(path.toString());
        return m.has("measurements") ? m.get("measurements").get(0).get("value").asDouble() : 0;
    }

    private void awaitHealthy(Duration limit) throws Exception {
        long until = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < until) {
            try {
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(URI.create(base + "/actuator/health"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the manager did not get healthy within " + limit);
    }

    private void awaitActive(int members, Duration limit) throws Exception {
        long until = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < until) {
            JsonNode counts =
                    get("/api/applications/bench").get("clusters").get(0).get("memberCounts");
            if (counts != null && counts.has("Active") && counts.get("Active").asInt() == members) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException(members + " members did not join within " + limit);
    }

    private JsonNode get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    private JsonNode post(String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private JsonNode send(HttpRequest.Builder request) throws Exception {
        String auth = Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = http.send(
                request.header("Authorization", "Basic " + auth).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    private Process start(List<String> command, Path dir, String log) throws IOException {
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(log).toFile())
                .start();
        processes.add(p);
        return p;
    }

    private static Path find(String dir, String prefix, String suffix, String... excluded) {
        return findOptional(dir, prefix, suffix, excluded)
                .orElseThrow(() -> new IllegalStateException(
                        "no " + prefix + "*" + suffix + " in " + dir + ": run ./mvnw package -DskipTests first"));
    }

    private static Optional<Path> findOptional(String dir, String prefix, String suffix, String... excluded) {
        try (var files = Files.list(Path.of(dir))) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix)
                            && f.getFileName().toString().endsWith(suffix)
                            && Arrays.stream(excluded).noneMatch(f.getFileName().toString()::endsWith)
                            && !f.getFileName().toString().startsWith("original-"))
                    .findFirst();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
