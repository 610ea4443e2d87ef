package org.stratos.update.agent;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent in its own process: its own broker connection (client id {@code agent-<memberId>}, logged in with the
 * credentials the manager issued for the member, reconnecting by itself), the real update command, the configured
 * health check, a state directory when one is writable.
 */
final class StandaloneAgent implements AutoCloseable {

    static final String MEMBER_ID_FILE = "member-id";

    private static final Logger log = LoggerFactory.getLogger(StandaloneAgent.class);

    private final Connection connection;
    private final MemberAgent agent;

    private StandaloneAgent(Connection connection, MemberAgent agent) {
        this.connection = connection;
        this.agent = agent;
    }

    static StandaloneAgent start(AgentConfig config) throws ConfigException, AgentException {
        Path stateDir = usableStateDirectory(config.get("state.dir"));
        String applicationId = config.require("application.id");
        String serviceName = config.require("service.name");
        String clusterId = config.clusterId();
        String version = config.get("version");
        if (version == null && stateDir != null) {
            version = UpdateLedger.rememberedVersion(stateDir);
        }
        if (version == null) {
            config.require("version");
        }
        AgentSettings settings = new AgentSettings(
                version,
                config.positiveDuration("update.timeout"),
                config.duration("health.timeout"),
                config.duration("health.min-healthy-time"),
                config.positiveDuration("health.interval"),
                stateDir,
                config.puppetFiles(),
                config.positiveDuration("puppet.lock-wait-interval"));
        UpdateCommand command = new ProcessUpdateCommand(
                config.command("update.command"),
                Map.of(),
                config.exitCodes("update.success-exit-codes"),
                config.command("puppet.noop-args"));
        HealthCheck health = healthCheck(config);
        String memberId = memberId(config, stateDir);
        AgentIdentity identity = new AgentIdentity(
                applicationId,
                serviceName,
                clusterId,
                memberId,
                config.get("address"),
                config.get("cluster-instance.id"),
                config.get("network-partition.id"),
                config.get("partition.id"));

        Connection connection = connect(config, memberId);
        try {
            MemberAgent agent = new MemberAgent(
                    identity,
                    settings,
                    command,
                    health,
                    JmsAgentChannel.open(connection, memberId, config.require("broker.manager-user")));
            agent.start();
            return new StandaloneAgent(connection, agent);
        } catch (AgentException | RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    MemberAgent member() {
        return agent;
    }

    @Override
    public void close() {
        agent.close();
        closeQuietly(connection);
    }

    /**
     * Logs in as {@code broker.user} (the member id unless set: the user the manager issued for this member) with
     * {@code broker.password}; over TLS, trusting the certificates of {@code broker.trust-store}.
     */
    private static Connection connect(AgentConfig config, String memberId) throws ConfigException, AgentException {
        String url = BrokerUrls.reconnecting(config.require("broker.url"));
        String user = config.get("broker.user") == null ? memberId : config.get("broker.user");
        String trustStore = config.get("broker.trust-store");
        ActiveMQConnectionFactory factory;
        try {
            factory = BrokerConnections.factory(
                    url,
                    user,
                    config.require("broker.password"),
                    trustStore == null ? null : Path.of(trustStore),
                    config.get("broker.trust-store-password"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("broker.trust-store: " + e.getMessage());
        }
        factory.setWatchTopicAdvisories(false); // the agent creates no temporary destinations: spare the consumer
        log.info("Connecting to {} as {} (member {})", url, user, memberId);
        Connection connection = null;
        try {
            connection = factory.createConnection();
            connection.setClientID("agent-" + memberId);
            connection.setExceptionListener(e -> log.warn("Broker connection: {}", e.getMessage()));
            connection.start();
            return connection;
        } catch (JMSException e) {
            closeQuietly(connection);
            throw new AgentException("cannot connect to " + url + " as " + user + ": " + e.getMessage(), e);
        }
    }

    private static HealthCheck healthCheck(AgentConfig config) throws ConfigException {
        String url = config.get("health.url");
        boolean hasCommand = !config.command("health.command").isEmpty();
        if (url != null && hasCommand) {
            throw new ConfigException("set health.url or health.command, not both");
        }
        if (url != null) {
            try {
                return HealthCheck.http(URI.create(url));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("health.url is not a usable http(s) URL: " + url);
            }
        }
        return hasCommand ? HealthCheck.command(config.command("health.command")) : HealthCheck.NONE;
    }

    /**
     * Configured ({@code member.id}, issued when the member was registered), else the one an older agent made up and
     * remembered in the state directory (give that member credentials: {@code POST /api/members/<id>/credentials}).
     */
    private static String memberId(AgentConfig config, Path stateDir) throws ConfigException {
        String configured = config.get("member.id");
        if (configured != null) {
            return configured;
        }
        Path file = stateDir == null ? null : stateDir.resolve(MEMBER_ID_FILE);
        try {
            if (file != null && Files.isRegularFile(file)) {
                String remembered =
                        Files.readString(file, StandardCharsets.UTF_8).trim();
                if (!remembered.isEmpty()) {
                    return remembered;
                }
            }
        } catch (IOException e) {
            log.warn("Cannot read {}: {}", file, e.getMessage());
        }
        return config.require("member.id");
    }

    /** The directory, created if need be; null (state in memory only) when it cannot be written. */
    static Path usableStateDirectory(String dir) {
        if (dir == null) {
            return null;
        }
        Path path = Path.of(dir);
        try {
            Files.createDirectories(path);
            if (Files.isWritable(path)) {
                return path;
            }
        } catch (IOException | SecurityException e) {
            // reported below
        }
        log.warn("State directory {} is not writable: handled updates are remembered in memory only", path);
        return null;
    }

    private static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (JMSException e) {
            log.debug("Closing the connection: {}", e.getMessage());
        }
    }
}
