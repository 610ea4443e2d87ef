package org.stratos.update.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
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
import java.util.concurrent.atomic.AtomicLong;
import org.stratos.update.support.PostgresDatabase;

/**
 * The rollout benchmark: starts the packaged manager (its own JVM, embedded broker, H2 or PostgreSQL) and fleets of
 * simulated members ({@code FleetMain} from the agent jar, over the broker's TCP connector), runs one phased update and
 * writes what it measured as JSON. Not part of the test run:
 * {@code ./mvnw -q package -DskipTests && ./mvnw -q -Pbenchmark exec:java -Dexec.args="--members=1000 --duration=PT1S"}
 * (see docs/benchmarks.md).
 */
public final class Benchmark {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String PASSWORD = "benchmark-password";

    private final Map<String, String> opts;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Process> processes = new ArrayList<>();
    private String base;

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
                "heap",
                "512m",
                "out",
                "target/benchmark"));
        for (String a : args) {
            opts.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
        }
        Benchmark b = new Benchmark(opts);
        try {
            b.run();
        } finally {
            b.processes.forEach(Process::destroy);
        }
        System.exit(0);
    }

    private void run() throws Exception {
        int members = Integer.parseInt(opts.get("members"));
        Duration duration = Duration.parse(opts.get("duration"));
        Path work = Files.createTempDirectory("stratos-benchmark");
        // --jars=DIR runs another build's jars (e.g. a baseline copied to /work/perf-baseline) against this harness
        String jars = opts.getOrDefault("jars", "target");
        Path jar = find(jars, "stratos-update-manager-", ".jar", "-agent.jar", "-broker-plugin.jar");
        Path agentJar = find(jars, "stratos-update-manager-", "-agent.jar");
        int httpPort = freePort();
        int brokerPort = freePort();
        base = "http://127.0.0.1:" + httpPort;
        List<String> command = new ArrayList<>(List.of("java", "-Xmx" + opts.get("heap")));
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
            PostgresDatabase db = PostgresDatabase.create("stratos_bench");
            command.addAll(List.of(
                    "--spring.profiles.active=postgres",
                    "--spring.datasource.url=" + db.url(),
                    "--spring.datasource.username=" + PostgresDatabase.USER));
        }
        long t0 = System.nanoTime();
        Process manager = start(command, work, "manager.log");
        // --start-limit=PT5M: a loaded shared machine may take longer than the default 2 minutes to start the manager
        awaitHealthy(Duration.parse(opts.getOrDefault("start-limit", "PT2M")));
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
                            "--failure.rate=0"),
                    work,
                    "fleet-" + i + ".log");
        }
        awaitActive(members, Duration.ofMinutes(10));
        long joinMillis = (System.nanoTime() - j0) / 1_000_000;

        AtomicLong peakRss = new AtomicLong();
        AtomicLong peakHeap = new AtomicLong();
        Thread sampler = new Thread(() -> sample(manager.pid(), peakRss, peakHeap), "sampler");
        sampler.setDaemon(true);
        sampler.start();
        double dispatchedBefore = metric("stratos.broker.dispatched");

        long u0 = System.nanoTime();
        JsonNode update = post(
                "/api/applications/bench/updates",
                "{\"clusters\":[\"php\"],\"version\":\"2.0\"," + "\"compatible\":true,\"batchSize\":\""
                        + opts.get("batch") + "\",\"healthTimeout\":\"PT5M\"}");
        String id = update.get("updateId").asText();
        JsonNode view;
        do {
            // every 250 ms: the view of a 10,000-member update is not free, and the poll must not load the manager
            Thread.sleep(250);
            view = get("/api/updates/" + id);
        } while (!Boolean.TRUE.equals(ended(view.get("state").asText())));
        long wallMillis = (System.nanoTime() - u0) / 1_000_000;
        Thread.sleep(600);
        sampler.interrupt();
        double dispatched = metric("stratos.broker.dispatched") - dispatchedBefore;

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
        result.put("wallMillis", wallMillis);
        result.put("idealMillis", idealMillis);
        result.put(
                "overheadPercent",
                idealMillis == 0 ? null : Math.round((wallMillis - idealMillis) * 1000.0 / idealMillis) / 10.0);
        // the cost of each batch on top of its D: what the orchestration adds per batch (issue 12: target <= 50 ms)
        result.put("overheadPerBatchMillis", Math.round((wallMillis - idealMillis) * 10.0 / batches) / 10.0);
        result.put("memberUpdatesPerSecond", Math.round(members * 10_000.0 / wallMillis) / 10.0);
        result.put("managerStartMillis", startMillis);
        result.put("membersJoinedMillis", joinMillis);
        result.put("managerPeakRssMb", peakRss.get() / 1024);
        result.put("managerPeakHeapMb", peakHeap.get() / (1024 * 1024));
        result.put("commandDeliveriesPerMemberUpdate", Math.round(dispatched * 100.0 / members) / 100.0);
        result.put("heapLimit", opts.get("heap"));
        result.put("managerArgs", opts.getOrDefault("manager-args", ""));
        result.put("cores", Runtime.getRuntime().availableProcessors());
        result.put("jars", jar.toAbsolutePath().toString());
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

    /** The machine's 1-minute load average at the end of the run (the machine may be shared: read the figures with it). */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "";
        }
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

    private static Path find(String dir, String prefix, String suffix, String... excluded) throws IOException {
        try (var files = Files.list(Path.of(dir))) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix)
                            && f.getFileName().toString().endsWith(suffix)
                            && Arrays.stream(excluded).noneMatch(f.getFileName().toString()::endsWith)
                            && !f.getFileName().toString().startsWith("original-"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException(
                            "no " + prefix + "*" + suffix + " in " + dir + ": run ./mvnw package -DskipTests first"));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
