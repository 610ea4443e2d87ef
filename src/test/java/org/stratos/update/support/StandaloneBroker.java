package org.stratos.update.support;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.stratos.update.messaging.broker.BrokerGroups;

/**
 * Debian's {@code activemq} package (ActiveMQ Classic 5.17) run as a broker process of its own, as production runs
 * it: its own configuration directory, its own KahaDB store, a free loopback port, JAAS users from
 * {@code users.properties}/{@code groups.properties} ({@code reload=true}, so {@link #addUser} works while it runs),
 * and the Stratos authorization plugin from {@code target/*-broker-plugin.jar} (docs/security.md, "An external
 * ActiveMQ Classic broker"). {@link #kill()} is {@code kill -9}; {@link #restart()} starts it again on the same port
 * and store, so persistent messages that were on disk survive.
 *
 * <p>{@link #pair(Path)} starts two such brokers on one shared KahaDB directory: whichever holds the store's file
 * lock is the master and opens its connector; the other waits for the lock (the shared-storage master/slave of
 * ActiveMQ Classic). Clients reach either through {@link Pair#failoverUrl()}.
 *
 * <p>The broker process is killed when the test JVM exits, whatever the test did.
 */
public final class StandaloneBroker implements AutoCloseable {

    /** Debian's install: {@code apt-get install -y activemq}. */
    public static final Path ACTIVEMQ_HOME = Path.of("/usr/share/activemq");

    public static final String MANAGER_USER = "stratos-manager";

    private static final List<StandaloneBroker> RUNNING = new CopyOnWriteArrayList<>();

    static {
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(() -> RUNNING.forEach(StandaloneBroker::killQuietly), "standalone-broker-reaper"));
    }

    private final Path dir;
    private final Path conf;
    private final Path kahaDb;
    private final int port;
    private final String brokerName;
    private final String managerPassword;
    private final Map<String, String[]> users; // user -> {password, group}
    private volatile Process process;
    private int starts;

    private StandaloneBroker(Builder b) {
        this.dir = b.dir.toAbsolutePath();
        this.conf = dir.resolve("conf");
        this.kahaDb = (b.sharedStore != null ? b.sharedStore : dir.resolve("data/kahadb")).toAbsolutePath();
        this.port = b.port > 0 ? b.port : freePort();
        this.brokerName = b.brokerName;
        this.managerPassword = b.managerPassword;
        this.users = new LinkedHashMap<>(b.users);
        this.users.put(MANAGER_USER, new String[] {managerPassword, BrokerGroups.MANAGERS});
    }

    /** A builder for a broker whose files live under {@code dir} (a test's temp directory). */
    public static Builder builder(Path dir) {
        return new Builder(dir);
    }

    /** A started broker with the manager's user only (password {@link #managerPassword()}). */
    public static StandaloneBroker start(Path dir) {
        return builder(dir).start();
    }

    /** Two started brokers on one KahaDB directory under {@code dir}; the first to start is the master. */
    public static Pair pair(Path dir) {
        return pair(dir, b -> b);
    }

    /** As {@link #pair(Path)}, each broker's builder given to {@code customize} (users, ...) before it starts. */
    public static Pair pair(Path dir, java.util.function.UnaryOperator<Builder> customize) {
        Path shared = dir.resolve("shared-kahadb");
        StandaloneBroker first = customize
                .apply(builder(dir.resolve("broker-a")).brokerName("stratos-a").sharedStore(shared))
                .start();
        StandaloneBroker second = new StandaloneBroker(customize.apply(builder(dir.resolve("broker-b"))
                        .brokerName("stratos-b")
                        .sharedStore(shared)
                        .managerPassword(first.managerPassword)))
                .startWaitingForLock();
        return new Pair(first, second);
    }

    // ------------------------------------------------------------------------------------------------ addresses

    /** {@code tcp://127.0.0.1:<port>}: what a plain client would be given. */
    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    /** {@link #url()} in ActiveMQ's failover transport, with the reconnect delays the agent uses. */
    public String failoverUrl() {
        return failover(List.of(url()));
    }

    static String failover(List<String> urls) {
        return "failover:(" + String.join(",", urls) + ")?initialReconnectDelay=100&maxReconnectDelay=1000";
    }

    public int port() {
        return port;
    }

    public String brokerName() {
        return brokerName;
    }

    public String managerUser() {
        return MANAGER_USER;
    }

    public String managerPassword() {
        return managerPassword;
    }

    public Path directory() {
        return dir;
    }

    public Path kahaDbDirectory() {
        return kahaDb;
    }

    /** The broker's console output (ActiveMQ's log), for a failing test's message. */
    public Path logFile() {
        return dir.resolve("broker.log");
    }

    // ------------------------------------------------------------------------------------------------ users

    /**
     * Adds (or replaces) a user as an operator would in {@code users.properties} and {@code groups.properties}; the
     * broker reads the files again at the next login ({@code reload=true}).
     *
     * @param group one of {@link BrokerGroups} ({@code stratos-agents}, {@code stratos-fleets}, ...)
     */
    public synchronized StandaloneBroker addUser(String user, String password, String group) {
        users.put(user, new String[] {password, group});
        writeUsers();
        return this;
    }

    /** Removes a user from both files (revocation). */
    public synchronized StandaloneBroker removeUser(String user) {
        users.remove(user);
        writeUsers();
        return this;
    }

    // ------------------------------------------------------------------------------------------------ life

    /** Whether the process runs. */
    public boolean isAlive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /** Whether its connector accepts connections (a waiting slave's does not). */
    public boolean isAccepting() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The broker process's id. */
    public long pid() {
        return process.pid();
    }

    /** {@code kill -9}: no shutdown, no flush; returns when the process is gone. */
    public void kill() {
        Process p = process;
        if (p == null) {
            return;
        }
        p.destroyForcibly(); // SIGKILL
        try {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException("broker process " + p.pid() + " survived kill -9");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        awaitPortClosed();
    }

    /** Starts the process again after {@link #kill()} or {@link #stop()}: same port, same store, same users. */
    public StandaloneBroker restart() {
        if (isAlive()) {
            kill();
        }
        launch();
        awaitAccepting();
        return this;
    }

    /** A clean shutdown (SIGTERM, ActiveMQ's shutdown hook). */
    public void stop() {
        Process p = process;
        if (p == null) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        awaitPortClosed();
    }

    @Override
    public void close() {
        kill();
        RUNNING.remove(this);
    }

    private StandaloneBroker start() {
        launch();
        awaitAccepting();
        return this;
    }

    private StandaloneBroker startWaitingForLock() {
        launch();
        // the slave logs that the store is locked and keeps trying; its connector stays closed meanwhile
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!isAlive()) {
                throw new IllegalStateException("the second broker of the pair exited at start:\n" + tail());
            }
            String log = readLog();
            if (log.contains("is locked") || log.contains("waiting") || isAccepting()) {
                return this;
            }
            pause(100);
        }
        throw new IllegalStateException("the second broker of the pair did not reach the store's lock:\n" + tail());
    }

    private synchronized void launch() {
        requireDebianActiveMq();
        try {
            Files.createDirectories(conf);
            Files.createDirectories(dir.resolve("lib"));
            Files.createDirectories(dir.resolve("data"));
            Files.createDirectories(dir.resolve("tmp"));
            Files.createDirectories(kahaDb);
            installPlugin();
            Files.writeString(conf.resolve("activemq.xml"), activemqXml());
            Files.writeString(conf.resolve("login.config"), """
                    activemq {
                        org.apache.activemq.jaas.PropertiesLoginModule required
                            org.apache.activemq.jaas.properties.user="users.properties"
                            org.apache.activemq.jaas.properties.group="groups.properties"
                            reload=true;
                    };
                    """);
            Files.writeString(conf.resolve("log4j.properties"), LOG4J); // Debian's broker logs through log4j 1.2
            writeUsers();
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xms64m",
                    "-Xmx256m",
                    "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1",
                    "-Xshare:auto",
                    "--add-reads=java.xml=java.logging",
                    "--add-opens",
                    "java.base/java.security=ALL-UNNAMED",
                    "--add-opens",
                    "java.base/java.net=ALL-UNNAMED",
                    "--add-opens",
                    "java.base/java.lang=ALL-UNNAMED",
                    "--add-opens",
                    "java.base/java.util=ALL-UNNAMED",
                    "--add-opens",
                    "java.naming/javax.naming.spi=ALL-UNNAMED",
                    "--add-opens",
                    "java.base/java.util.concurrent=ALL-UNNAMED",
                    "--add-opens",
                    "java.base/java.util.concurrent.atomic=ALL-UNNAMED",
                    "-Djava.io.tmpdir=" + dir.resolve("tmp"),
                    "-Djava.security.auth.login.config=" + conf.resolve("login.config"),
                    "-Dlog4j.configuration=file:" + conf.resolve("log4j.properties"),
                    "-Dactivemq.classpath=" + conf,
                    "-Dactivemq.home=" + ACTIVEMQ_HOME,
                    "-Dactivemq.base=" + dir,
                    "-Dactivemq.conf=" + conf,
                    "-Dactivemq.data=" + dir.resolve("data"),
                    "-Dstratos.test.broker=" + brokerName, // names the process in ps
                    "-jar",
                    ACTIVEMQ_HOME.resolve("bin/activemq.jar").toString(),
                    "start",
                    "xbean:file:" + conf.resolve("activemq.xml")));
            ProcessBuilder pb = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()));
            Files.writeString(
                    logFile(),
                    "---- start " + (++starts) + " ----\n",
                    StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            process = pb.start();
            if (!RUNNING.contains(this)) {
                RUNNING.add(this);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the standalone broker in " + dir, e);
        }
    }

    private void awaitAccepting() {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (!isAlive()) {
                throw new IllegalStateException(
                        "the standalone broker exited at start (" + logFile() + "):\n" + tail());
            }
            if (isAccepting()) {
                return;
            }
            pause(100);
        }
        throw new IllegalStateException("the standalone broker did not open " + url() + " within 90 s:\n" + tail());
    }

    private void awaitPortClosed() {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (isAccepting() && System.nanoTime() < deadline) {
            pause(50);
        }
    }

    private static void killQuietly(StandaloneBroker b) {
        Process p = b.process;
        if (p != null) {
            p.destroyForcibly();
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------------------------------------ files

    private static void requireDebianActiveMq() {
        if (!Files.isRegularFile(ACTIVEMQ_HOME.resolve("bin/activemq.jar"))) {
            throw new IllegalStateException("ActiveMQ Classic is not installed: " + ACTIVEMQ_HOME
                    + "/bin/activemq.jar is missing. Install Debian's package: apt-get install -y activemq "
                    + "(.ci/run does; the package's own service is not needed and may stay stopped)");
        }
    }

    /** The packaged plugin jar, or one made from the compiled classes when the project was not packaged yet. */
    private void installPlugin() throws IOException {
        Path target = Path.of("target").toAbsolutePath();
        Path lib = dir.resolve("lib/stratos-broker-plugin.jar");
        Optional<Path> packaged;
        try (Stream<Path> files = Files.list(target)) {
            packaged = files.filter(f -> f.getFileName().toString().endsWith("-broker-plugin.jar"))
                    .max(Comparator.comparing(f -> f.toFile().lastModified()));
        }
        if (packaged.isPresent()) {
            Files.copy(packaged.get(), lib, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return;
        }
        Path classes = target.resolve("classes");
        Path pkg = classes.resolve("org/stratos/update/messaging/broker");
        if (!Files.isDirectory(pkg)) {
            throw new IllegalStateException("no target/*-broker-plugin.jar and no compiled " + pkg
                    + ": build the project first (./mvnw package)");
        }
        try (OutputStream out = Files.newOutputStream(lib);
                JarOutputStream jar = new JarOutputStream(out);
                Stream<Path> files = Files.walk(pkg)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                jar.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, jar);
                jar.closeEntry();
            }
        }
    }

    private synchronized void writeUsers() {
        StringBuilder u = new StringBuilder("# written by StandaloneBroker\n");
        Map<String, List<String>> groups = new TreeMap<>();
        for (String g :
                Set.of(BrokerGroups.MANAGERS, BrokerGroups.AGENTS, BrokerGroups.FLEETS, BrokerGroups.OBSERVERS)) {
            groups.put(g, new ArrayList<>());
        }
        users.forEach((user, pg) -> {
            u.append(escape(user)).append('=').append(escape(pg[0])).append('\n');
            groups.computeIfAbsent(pg[1], g -> new ArrayList<>()).add(user);
        });
        String g = groups.entrySet().stream()
                .map(e -> escape(e.getKey()) + "=" + String.join(",", e.getValue()))
                .collect(Collectors.joining("\n", "", "\n"));
        try {
            Files.createDirectories(conf);
            // written whole and moved into place: the broker rereads them at any login
            Path tmpU = conf.resolve("users.properties.tmp");
            Path tmpG = conf.resolve("groups.properties.tmp");
            Files.writeString(tmpU, u);
            Files.writeString(tmpG, g);
            Files.move(
                    tmpG,
                    conf.resolve("groups.properties"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            Files.move(
                    tmpU,
                    conf.resolve("users.properties"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace(":", "\\:").replace("=", "\\=").replace(" ", "\\ ");
    }

    private String activemqXml() {
        String queues = Stream.of(
                        "InstanceStartedEvent",
                        "InstanceActivatedEvent",
                        "InstanceUpdatingEvent",
                        "InstanceUpdatedEvent",
                        "InstanceUpdateFailedEvent")
                .map(e -> "      <queue physicalName=\"Consumer.StratosUpdateManager.instance.status." + e + "\"/>")
                .collect(Collectors.joining("\n"));
        // the configuration of docs/security.md, with a test's store, port and a fast lock retry for the pair
        return """
                <beans xmlns="http://www.springframework.org/schema/beans"
                       xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                       xsi:schemaLocation="http://www.springframework.org/schema/beans http://www.springframework.org/schema/beans/spring-beans-2.0.xsd
                                           http://activemq.apache.org/schema/core http://activemq.apache.org/schema/core/activemq-core.xsd">
                  <bean class="org.springframework.beans.factory.config.PropertyPlaceholderConfigurer"/>
                  <broker xmlns="http://activemq.apache.org/schema/core" brokerName="%s" useJmx="false"
                          dataDirectory="${activemq.data}" populateJMSXUserID="true"
                          useAuthenticatedPrincipalForJMSXUserID="true" schedulePeriodForDestinationPurge="0">
                    <destinationInterceptors>
                      <virtualDestinationInterceptor>
                        <virtualDestinations>
                          <virtualTopic name="instance.status.>" prefix="Consumer.*." selectorAware="false"/>
                        </virtualDestinations>
                      </virtualDestinationInterceptor>
                    </destinationInterceptors>
                    <destinations>
                %s
                      <topic physicalName="instance.notifier.SoftwareUpdateEvent"/>
                    </destinations>
                    <persistenceAdapter>
                      <kahaDB directory="%s" lockKeepAlivePeriod="1000">
                        <locker>
                          <shared-file-locker lockAcquireSleepInterval="500"/>
                        </locker>
                      </kahaDB>
                    </persistenceAdapter>
                    <plugins>
                      <jaasAuthenticationPlugin configuration="activemq"/>
                      <bean xmlns="http://www.springframework.org/schema/beans" id="stratosAuthorization"
                            class="org.stratos.update.messaging.broker.StratosAuthorizationPlugin"/>
                      <bean xmlns="http://www.springframework.org/schema/beans" id="memberCommandDispatch"
                            class="org.stratos.update.messaging.broker.MemberCommandDispatchPlugin"/>
                    </plugins>
                    <systemUsage>
                      <systemUsage>
                        <memoryUsage><memoryUsage limit="64 mb"/></memoryUsage>
                        <storeUsage><storeUsage limit="1 gb"/></storeUsage>
                        <tempUsage><tempUsage limit="256 mb"/></tempUsage>
                      </systemUsage>
                    </systemUsage>
                    <transportConnectors>
                      <transportConnector name="openwire" uri="tcp://127.0.0.1:%d?wireFormat.maxFrameSize=1048576"/>
                    </transportConnectors>
                  </broker>
                </beans>
                """.formatted(brokerName, queues, kahaDb, port);
    }

    private static final String LOG4J = """
            log4j.rootLogger=INFO, console
            log4j.appender.console=org.apache.log4j.ConsoleAppender
            log4j.appender.console.layout=org.apache.log4j.PatternLayout
            log4j.appender.console.layout.ConversionPattern=%d{HH:mm:ss.SSS} %-5p [%t] %c{1} - %m%n
            """;

    private String readLog() {
        try {
            return Files.exists(logFile()) ? Files.readString(logFile(), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** The last lines of the broker's log. */
    public String tail() {
        String[] lines = readLog().split("\n");
        return String.join("\n", java.util.Arrays.asList(lines).subList(Math.max(0, lines.length - 40), lines.length));
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "StandaloneBroker[" + brokerName + " " + url() + (isAlive() ? "" : " (down)") + "]";
    }

    // ------------------------------------------------------------------------------------------------ builder

    public static final class Builder {
        private final Path dir;
        private Path sharedStore;
        private int port;
        private String brokerName = "stratos-standalone";
        private String managerPassword = "mgr-" + UUID.randomUUID();
        private final Map<String, String[]> users = new LinkedHashMap<>();

        private Builder(Path dir) {
            this.dir = dir;
        }

        /** The port of its connector (default: a free one). */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder brokerName(String name) {
            this.brokerName = name;
            return this;
        }

        /** The manager's password ({@code stratos-manager}); default: a random one. */
        public Builder managerPassword(String password) {
            this.managerPassword = password;
            return this;
        }

        /** A user in one of {@link BrokerGroups}'s groups. */
        public Builder user(String user, String password, String group) {
            users.put(user, new String[] {password, group});
            return this;
        }

        /** A KahaDB directory shared with other brokers (master/slave by its file lock). */
        public Builder sharedStore(Path kahaDbDirectory) {
            this.sharedStore = kahaDbDirectory;
            return this;
        }

        /** Starts the process and returns once its connector accepts connections. */
        public StandaloneBroker start() {
            return new StandaloneBroker(this).start();
        }
    }

    // ------------------------------------------------------------------------------------------------ pair

    /** Two brokers on one store: one master (connector open), one waiting for the store's lock. */
    public static final class Pair implements AutoCloseable {
        private final StandaloneBroker a;
        private final StandaloneBroker b;

        private Pair(StandaloneBroker a, StandaloneBroker b) {
            this.a = a;
            this.b = b;
        }

        public StandaloneBroker first() {
            return a;
        }

        public StandaloneBroker second() {
            return b;
        }

        /** The broker whose connector is open now. */
        public StandaloneBroker master() {
            if (a.isAlive() && a.isAccepting()) {
                return a;
            }
            if (b.isAlive() && b.isAccepting()) {
                return b;
            }
            throw new IllegalStateException("neither broker of the pair accepts connections");
        }

        /** The one that is not {@link #master()}. */
        public StandaloneBroker slave() {
            return master() == a ? b : a;
        }

        /** {@code failover:(tcp://a,tcp://b)?...}: what managers and agents are given. */
        public String failoverUrl() {
            return failover(List.of(a.url(), b.url()));
        }

        public String managerPassword() {
            return a.managerPassword();
        }

        /** Adds a user to both brokers' files. */
        public Pair addUser(String user, String password, String group) {
            a.addUser(user, password, group);
            b.addUser(user, password, group);
            return this;
        }

        /** Waits until {@code broker} has taken the lock and opened its connector. */
        public void awaitMaster(StandaloneBroker broker, Duration within) {
            long deadline = System.nanoTime() + within.toNanos();
            while (System.nanoTime() < deadline) {
                if (broker.isAccepting()) {
                    return;
                }
                if (!broker.isAlive()) {
                    throw new IllegalStateException(broker + " exited:\n" + broker.tail());
                }
                pause(100);
            }
            throw new IllegalStateException(broker + " did not become master within " + within + ":\n" + broker.tail());
        }

        @Override
        public void close() {
            a.close();
            b.close();
        }
    }
}
