package org.stratos.update.support;

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
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged manager ({@code target/stratos-update-manager-*.jar}, the fat jar) run as a JVM of its own, the way
 * it runs in production, so that a test can kill it with {@code kill -9} ({@link #kill()}) and start it again on the
 * same database and port ({@link #restart()}). Only for failsafe {@code *IT} classes: they run after packaging.
 *
 * <p>Its working directory is {@code dir} (no {@code ./config} there: the defaults built into the jar apply), so the
 * default H2 file and the embedded broker's store land under {@code dir/data}; its output is appended to
 * {@code dir/manager.log}, every life of it after a line saying when it was started. Settings are given as Spring
 * properties ({@code --name=value} arguments) or environment variables ({@code STRATOS_*}).
 */
public final class ManagerProcess implements AutoCloseable {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration START_LIMIT = Duration.ofMinutes(3);

    private final String name;
    private final Path dir;
    private final Path log;
    private final List<String> command;
    private final Map<String, String> env;
    private final int port;
    private final int brokerPort;
    private final String adminPassword;
    private Process process;
    private Instant healthyAt;

    private ManagerProcess(Builder b) {
        this.name = b.name;
        this.dir = b.dir;
        this.log = dir.resolve("manager.log");
        this.port = b.port;
        this.brokerPort = b.brokerPort;
        this.adminPassword = b.adminPassword;
        this.env = Map.copyOf(b.env);
        List<String> c = new ArrayList<>(List.of(
                javaBinary(),
                "-Xmx" + b.heap,
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-jar",
                managerJar().toString(),
                "--server.port=" + port,
                "--camunda.bpm.admin-user.password=" + adminPassword,
                "--stratos.demo.enabled=false",
                "--spring.jmx.enabled=false"));
        if (b.database != null) {
            c.add("--spring.profiles.active=postgres");
            c.add("--spring.datasource.url=" + b.database.url());
            c.add("--spring.datasource.username=" + PostgresDatabase.USER);
        }
        if (b.brokerUrl == null) {
            c.add("--stratos.broker.connector=tcp://127.0.0.1:" + brokerPort);
        } else {
            c.add("--stratos.broker.embedded=false");
            c.add("--stratos.broker.url=" + b.brokerUrl);
            c.add("--stratos.broker.password=" + b.brokerPassword);
        }
        b.properties.forEach((k, v) -> c.add("--" + k + "=" + v));
        this.command = List.copyOf(c);
    }

    /** A manager named {@code name} (its directory is {@code parent/name}); {@link Builder#start()} runs it. */
    public static Builder builder(Path parent, String name) {
        return new Builder(parent, name);
    }

    /** Settings of a manager process; by default H2 under its directory and its embedded broker on a free port. */
    public static final class Builder {
        private final String name;
        private final Path dir;
        private final Map<String, String> properties = new LinkedHashMap<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private PostgresDatabase database;
        private String brokerUrl;
        private String brokerPassword;
        private String adminPassword = "manager-process-test-password";
        private String heap = "384m";
        private int port;
        private int brokerPort;

        private Builder(Path parent, String name) {
            this.name = name;
            this.dir = parent.resolve(name);
        }

        /** PostgreSQL (the {@code postgres} profile) on {@code database}, instead of H2 in the manager's directory. */
        public Builder postgres(PostgresDatabase database) {
            this.database = database;
            return this;
        }

        /** An external broker instead of the embedded one; {@code password} is the manager's broker password. */
        public Builder externalBroker(String url, String password) {
            this.brokerUrl = url;
            this.brokerPassword = password;
            return this;
        }

        public Builder adminPassword(String password) {
            this.adminPassword = password;
            return this;
        }

        public Builder heap(String heap) {
            this.heap = heap;
            return this;
        }

        /** A Spring property, given as {@code --name=value}. */
        public Builder property(String name, Object value) {
            properties.put(name, String.valueOf(value));
            return this;
        }

        /** An environment variable of the manager's JVM (the {@code STRATOS_*} settings). */
        public Builder env(String name, String value) {
            env.put(name, value);
            return this;
        }

        /** Starts the manager and waits until it answers health. */
        public ManagerProcess start() {
            try {
                Files.createDirectories(dir);
                port = freePort();
                brokerPort = freePort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            ManagerProcess m = new ManagerProcess(this);
            m.launch();
            return m;
        }
    }

    /** Kills the manager's JVM with SIGKILL ({@code kill -9}): no shutdown hook, no graceful stop. */
    public Instant kill() {
        Process p = process;
        if (p == null || !p.isAlive()) {
            throw new IllegalStateException("manager " + name + " is not running");
        }
        Instant at = Instant.now();
        p.destroyForcibly(); // SIGKILL on Linux
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("manager " + name + " (pid " + p.pid() + ") did not die");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        note("killed with SIGKILL at " + at);
        return at;
    }

    /** Starts the manager again with the same settings, database, broker and port; waits until healthy. */
    public Instant restart() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("manager " + name + " still runs: kill() or close() it first");
        }
        launch();
        return healthyAt;
    }

    /** When the current life of the manager first answered health. */
    public Instant healthyAt() {
        return healthyAt;
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    public int port() {
        return port;
    }

    public String name() {
        return name;
    }

    public Path log() {
        return log;
    }

    /** The embedded broker's TCP URL (meaningless with an external broker). */
    public String brokerUrl() {
        return "tcp://127.0.0.1:" + brokerPort;
    }

    public String adminPassword() {
        return adminPassword;
    }

    /** HTTP calls to this manager as its admin user. */
    public TestHttp http() {
        return TestHttp.anonymous(port).as("admin", adminPassword);
    }

    /** Stops the manager gracefully (SIGTERM), forcibly if it has not stopped within 20 s. */
    @Override
    public void close() {
        Process p = process;
        if (p == null || !p.isAlive()) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
    }

    private void launch() {
        note("starting: "
                + String.join(
                        " ",
                        command.stream()
                                .map(a -> a.contains("password") ? a.replaceAll("=.*", "=***") : a)
                                .toList()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        healthyAt = awaitHealthy();
    }

    private Instant awaitHealthy() {
        long until = System.nanoTime() + START_LIMIT.toNanos();
        URI health = URI.create("http://127.0.0.1:" + port + "/actuator/health");
        while (System.nanoTime() < until) {
            if (!process.isAlive()) {
                throw new IllegalStateException("manager " + name + " exited with " + process.exitValue()
                        + " before it was healthy; see " + log);
            }
            try {
                HttpResponse<String> r = HTTP.send(
                        HttpRequest.newBuilder(health)
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    Instant at = Instant.now();
                    note("healthy at " + at);
                    return at;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("manager " + name + " was not healthy within " + START_LIMIT + "; see " + log);
    }

    private void note(String line) {
        try {
            Files.writeString(
                    log,
                    "=== [ManagerProcess " + name + "] " + line + System.lineSeparator(),
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The manager's fat jar in {@code target/}, not the agent's or the broker plugin's; {@code -Dstratos.manager.jar}
     * names another one (to measure an older build against the same test).
     */
    public static Path managerJar() {
        String other = System.getProperty("stratos.manager.jar");
        if (other != null && !other.isBlank()) {
            return Path.of(other).toAbsolutePath();
        }
        try (var files = Files.list(Path.of("target"))) {
            return files.filter(f -> {
                        String n = f.getFileName().toString();
                        return n.startsWith("stratos-update-manager-")
                                && n.endsWith(".jar")
                                && !n.endsWith("-agent.jar")
                                && !n.endsWith("-broker-plugin.jar")
                                && !n.endsWith("-sources.jar");
                    })
                    .findFirst()
                    .map(Path::toAbsolutePath)
                    .orElseThrow(
                            () -> new IllegalStateException(
                                    "no target/stratos-update-manager-*.jar: ManagerProcess runs in failsafe ITs, after packaging"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The member agent's runnable jar in {@code agent/target/} (FleetMain runs simulated members from it). */
    public static Path agentJar() {
        return AgentJar.find();
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
