package org.stratos.update.runtime.simulated;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;
import org.stratos.update.agent.AgentException;
import org.stratos.update.agent.AgentIdentity;
import org.stratos.update.agent.AgentSettings;
import org.stratos.update.agent.BrokerUrls;
import org.stratos.update.agent.HealthCheck;
import org.stratos.update.agent.JmsAgentChannel;
import org.stratos.update.agent.MemberAgent;
import org.stratos.update.agent.SimulatedUpdateCommand;
import org.stratos.update.credentials.AgentCredentials;
import org.stratos.update.messaging.BrokerProperties;
import org.stratos.update.messaging.ManagerLogin;
import org.stratos.update.topology.ApplicationRegistered;
import org.stratos.update.topology.Cluster;
import org.stratos.update.topology.Member;
import org.stratos.update.topology.MemberState;
import org.stratos.update.topology.RuntimeKind;
import org.stratos.update.topology.TopologyService;

/**
 * The in-process members of simulated clusters. On start-up and when a simulated application is registered, every
 * simulated cluster is brought to its desired size: members known to the topology get their agent back (with the
 * version they run), missing ones are started with new member ids. Each member is a real {@link MemberAgent}; it
 * joins the topology through the broker like an agent on a VM, and like one it must be registered first and log in:
 * the fleet is the host of its members, so it registers each one to its own broker user, {@value #PRINCIPAL}, whose
 * password is {@code stratos.simulated.broker-password} or made up again at every start.
 */
@Component
public class SimulatedFleet implements AutoCloseable {

    static final String PRINCIPAL = "stratos-simulated";
    private static final Logger log = LoggerFactory.getLogger(SimulatedFleet.class);

    private final TopologyService topology;
    private final AgentCredentials credentials;
    private final SimulatedProperties settings;
    private final BrokerProperties broker;
    private final ManagerLogin manager;
    private final ObjectProvider<org.apache.activemq.broker.BrokerService> embeddedBroker;
    private final Map<String, MemberAgent> agents = new ConcurrentHashMap<>();
    /** members whose start is scheduled: they count as running, so a reconcile does not start others in their place */
    private final Set<String> starting = ConcurrentHashMap.newKeySet();

    private final List<Connection> connections = new ArrayList<>();
    private final ScheduledExecutorService starter = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "simulated-fleet");
        t.setDaemon(true);
        return t;
    });
    private final Random random = new Random();
    private int agentsOnLastConnection;
    private String password;

    SimulatedFleet(
            TopologyService topology,
            AgentCredentials credentials,
            SimulatedProperties settings,
            BrokerProperties broker,
            ManagerLogin manager,
            ObjectProvider<org.apache.activemq.broker.BrokerService> embeddedBroker) {
        this.topology = topology;
        this.credentials = credentials;
        this.settings = settings;
        this.broker = broker;
        this.manager = manager;
        this.embeddedBroker = embeddedBroker;
    }

    @EventListener(ApplicationReadyEvent.class)
    void startKnownMembers() {
        reconcile(topology.clustersOfRuntime(RuntimeKind.SIMULATED));
    }

    @TransactionalEventListener
    void onRegistered(ApplicationRegistered registered) {
        reconcile(topology.clusters(registered.applicationId()).stream()
                .filter(c -> c.runtime() == RuntimeKind.SIMULATED)
                .toList());
    }

    /** Members of the cluster that have an agent running in this process. */
    public int running(String clusterId) {
        return (int)
                agents.keySet().stream().filter(id -> id.startsWith(clusterId)).count();
    }

    /**
     * Starts member {@code memberId} of {@code cluster} running {@code version} after {@code delay}, as a new VM or
     * pod comes up. It joins the topology through the broker once started.
     */
    public void startMember(Cluster cluster, String memberId, String version, Duration delay) {
        starting.add(memberId);
        later(delay, () -> {
            try {
                spawn(cluster, memberId, version);
            } finally {
                starting.remove(memberId);
            }
        });
    }

    /** Runs {@code action} on the fleet's scheduler after {@code delay}. */
    void later(Duration delay, Runnable action) {
        starter.schedule(action, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether the member's agent runs in this process. */
    public boolean isRunning(String memberId) {
        return agents.containsKey(memberId);
    }

    /** Whether the member's agent runs in this process or is about to start. */
    public boolean isRunningOrStarting(String memberId) {
        return agents.containsKey(memberId) || starting.contains(memberId);
    }

    /** Stops the member's agent (its VM or pod is gone). */
    public void stopMember(String memberId) {
        MemberAgent agent = agents.remove(memberId);
        if (agent != null) {
            agent.close();
        }
    }

    private synchronized void reconcile(List<Cluster> clusters) {
        for (Cluster cluster : clusters) {
            // members started here that have not joined yet count as much as those the topology knows
            Set<String> alive = java.util.stream.Stream.concat(agents.keySet().stream(), starting.stream())
                    .filter(id -> id.startsWith(cluster.id()))
                    .collect(Collectors.toCollection(HashSet::new));
            for (Member m : topology.members(cluster.id())) {
                if (m.state() != MemberState.TERMINATED && alive.add(m.id())) {
                    spawn(cluster, m.id(), m.version() == null ? cluster.version() : m.version());
                }
            }
            for (int i = alive.size(); i < cluster.desiredMembers(); i++) {
                spawn(cluster, cluster.id() + UUID.randomUUID(), cluster.version());
            }
            log.info("Simulated cluster {}: {} members running", cluster.id(), running(cluster.id()));
        }
    }

    private synchronized void spawn(Cluster cluster, String memberId, String version) {
        if (agents.containsKey(memberId)) {
            return;
        }
        try {
            if (password == null) {
                password = credentials.issueFleetPassword(PRINCIPAL, settings.brokerPassword(), "simulated fleet");
            }
            credentials.registerFleetMembers(PRINCIPAL, cluster.id(), List.of(memberId));
            AgentIdentity identity = new AgentIdentity(
                    cluster.applicationId(),
                    cluster.cartridgeType(),
                    cluster.id(),
                    memberId,
                    "sim://" + memberId.substring(cluster.id().length()),
                    cluster.id() + "-1",
                    "simulated",
                    "simulated-1");
            MemberAgent agent = new MemberAgent(
                    identity,
                    AgentSettings.defaults(version),
                    new FailingVersions(
                            new SimulatedUpdateCommand(settings.updateDuration(), settings.failureRate(), random),
                            settings.failingVersions(),
                            settings.updateDuration()),
                    HealthCheck.NONE,
                    JmsAgentChannel.open(connection(), memberId, manager.user()));
            agents.put(memberId, agent);
            agent.start();
        } catch (AgentException | JMSException | RuntimeException e) {
            agents.remove(memberId);
            log.error("Simulated member {} could not start: {}", memberId, e.getMessage(), e);
        }
    }

    private Connection connection() throws JMSException {
        if (connections.isEmpty() || agentsOnLastConnection >= settings.agentsPerConnection()) {
            embeddedBroker.ifAvailable(b -> {});
            // the embedded broker in this JVM, or an external one (the fleet's own URL, else the manager's): a plain
            // tcp:// URL reconnects through the failover transport, as a real agent's does
            String url = settings.brokerUrl() != null && !settings.brokerUrl().isBlank()
                    ? BrokerUrls.reconnecting(settings.brokerUrl())
                    : broker.embedded() ? broker.clientUrl() : BrokerUrls.reconnecting(broker.externalUrl());
            ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(url);
            factory.setWatchTopicAdvisories(false);
            factory.setUserName(PRINCIPAL);
            factory.setPassword(password);
            Connection connection = factory.createConnection();
            connection.start();
            connections.add(connection);
            agentsOnLastConnection = 0;
        }
        agentsOnLastConnection++;
        return connections.get(connections.size() - 1);
    }

    @Override
    public synchronized void close() {
        agents.values().forEach(MemberAgent::close);
        agents.clear();
        starter.shutdownNow();
        for (Connection c : connections) {
            try {
                c.close();
            } catch (JMSException e) {
                log.debug("closing a fleet connection: {}", e.getMessage());
            }
        }
        connections.clear();
    }
}
