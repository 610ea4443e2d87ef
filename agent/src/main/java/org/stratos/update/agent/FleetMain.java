package org.stratos.update.agent;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Many simulated members in one process, for the benchmark and for trying the manager with more members than the
 * demo has: {@code java -cp <agent jar> org.stratos.update.agent.FleetMain --broker.url=tcp://127.0.0.1:61616
 * --credentials=fleet.json --application.id=bench --cluster.id=bench.php.php.domain --service.name=php --version=1.0
 * --update.duration=PT1S [--failure.rate=0] [--agents.per.connection=1000] [--manager.user=stratos-manager]}.
 * {@code fleet.json} is what the manager answered when the members were registered with {@code "shared": true}: one
 * entry of its {@code credentials}, {@code {"user": ..., "password": ..., "memberIds": [...]}}; the fleet runs one
 * member per id, logged in as that user. Each member is a real {@link MemberAgent} with {@link SimulatedUpdateCommand};
 * members share connections, not threads. Prints {@code fleet ready: N members in M ms} once every member has
 * announced itself, then runs until stopped.
 */
public final class FleetMain {

    private static final Logger log = LoggerFactory.getLogger(FleetMain.class);

    private FleetMain() {}

    /** The registration's answer for a fleet, as written to the credentials file. */
    record FleetCredentials(String user, String password, List<String> memberIds) {}

    public static void main(String[] args) throws Exception {
        if (System.getProperty(AgentMain.LOGBACK_CONFIG) == null) {
            System.setProperty(AgentMain.LOGBACK_CONFIG, "agent-logback.xml");
        }
        Map<String, String> opts = parse(args);
        long started = System.nanoTime();
        FleetCredentials credentials =
                Json.MAPPER.readValue(Path.of(require(opts, "credentials")).toFile(), FleetCredentials.class);
        if (credentials.user() == null
                || credentials.password() == null
                || credentials.memberIds() == null
                || credentials.memberIds().isEmpty()) {
            throw new IllegalArgumentException("--credentials names a file without user, password and memberIds");
        }
        int perConnection = Integer.parseInt(opts.getOrDefault("agents.per.connection", "1000"));
        String managerUser = opts.getOrDefault("manager.user", JmsAgentChannel.DEFAULT_MANAGER_USER);
        String clusterId = require(opts, "cluster.id");
        ActiveMQConnectionFactory factory =
                new ActiveMQConnectionFactory(BrokerUrls.reconnecting(require(opts, "broker.url")));
        factory.setWatchTopicAdvisories(false);
        factory.setUserName(credentials.user());
        factory.setPassword(credentials.password());
        UpdateCommand command = new SimulatedUpdateCommand(
                Duration.parse(opts.getOrDefault("update.duration", "PT1S")),
                Double.parseDouble(opts.getOrDefault("failure.rate", "0")),
                new SplittableRandom());
        List<Connection> connections = new ArrayList<>();
        List<MemberAgent> agents = new ArrayList<>();
        List<CompletableFuture<Void>> ready = new ArrayList<>();
        for (String memberId : credentials.memberIds()) {
            if (agents.size() % perConnection == 0) {
                Connection c = factory.createConnection();
                c.start();
                connections.add(c);
            }
            MemberAgent agent = new MemberAgent(
                    new AgentIdentity(
                            require(opts, "application.id"),
                            require(opts, "service.name"),
                            clusterId,
                            memberId,
                            null,
                            clusterId + "-1",
                            "bench",
                            "bench-1"),
                    AgentSettings.defaults(require(opts, "version")),
                    command,
                    HealthCheck.NONE,
                    JmsAgentChannel.open(connections.get(connections.size() - 1), memberId, managerUser));
            agents.add(agent);
            agent.start();
            ready.add(agent.activation().toCompletableFuture());
        }
        CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new)).join();
        System.out.println(
                "fleet ready: " + agents.size() + " members in " + (System.nanoTime() - started) / 1_000_000 + " ms");
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            agents.forEach(MemberAgent::close);
                            connections.forEach(c -> {
                                try {
                                    c.close();
                                } catch (JMSException e) {
                                    log.debug("closing: {}", e.getMessage());
                                }
                            });
                            stop.countDown();
                        },
                        "fleet-shutdown"));
        stop.await();
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> opts = new HashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("expected --key=value, got '" + arg + "'");
            }
            opts.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        return opts;
    }

    private static String require(Map<String, String> opts, String key) {
        String v = opts.get(key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("--" + key + " is required");
        }
        return v;
    }
}
