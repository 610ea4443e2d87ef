package org.stratos.update.messaging;

import java.util.List;

import org.apache.activemq.broker.BrokerPlugin;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.region.DestinationInterceptor;
import org.apache.activemq.broker.region.virtual.VirtualDestination;
import org.apache.activemq.broker.region.virtual.VirtualDestinationInterceptor;
import org.apache.activemq.broker.region.virtual.VirtualTopic;
import org.apache.activemq.command.ActiveMQQueue;
import org.apache.activemq.security.AuthenticationUser;
import org.apache.activemq.security.SimpleAuthenticationPlugin;
import org.stratos.update.messaging.event.EventTopics;

/**
 * The broker as the manager needs it: {@code instance.status.>} topics are virtual topics feeding the queues
 * {@code Consumer.<consumerName>.<topic>} (created up front), loopback TCP connector by default, credentials when
 * configured, KahaDB when persistent. The embedded broker of the default run is built here; so is the shared broker
 * of the several-nodes integration test.
 */
public final class StratosBroker {

    static final String STATUS_TOPICS = "instance.status.>";

    private StratosBroker() {
    }

    /** A configured, not yet started broker. */
    public static BrokerService create(BrokerProperties props) throws Exception {
        BrokerService broker = new BrokerService();
        broker.setBrokerName(props.name());
        broker.setUseJmx(false);
        broker.setUseShutdownHook(false);
        broker.setAdvisorySupport(false);
        broker.setSchedulerSupport(false);
        broker.setPersistent(props.persistent());
        if (props.persistent()) {
            broker.setDataDirectoryFile(props.dataDirectory().toFile());
        }
        broker.getSystemUsage().getMemoryUsage().setLimit(props.memoryLimitMb() * 1024L * 1024L);
        broker.getSystemUsage().getStoreUsage().setLimit(2L * 1024 * 1024 * 1024);
        broker.getSystemUsage().getTempUsage().setLimit(1024L * 1024 * 1024);
        VirtualTopic statusTopics = new VirtualTopic();
        statusTopics.setName(STATUS_TOPICS);
        statusTopics.setPrefix("Consumer.*.");
        VirtualDestinationInterceptor virtualTopics = new VirtualDestinationInterceptor();
        virtualTopics.setVirtualDestinations(new VirtualDestination[] {statusTopics});
        broker.setDestinationInterceptors(new DestinationInterceptor[] {virtualTopics});
        // create the manager's queues up front, so replies sent before the manager's first listener starts are kept
        broker.setDestinations(EventTopics.EVENT_CLASSES.stream()
                .map(EventTopics::topicOf)
                .filter(t -> t.startsWith("instance.status."))
                .map(t -> new ActiveMQQueue(props.consumerQueue(t)))
                .toArray(ActiveMQQueue[]::new));
        if (props.user() != null && !props.user().isBlank()) {
            SimpleAuthenticationPlugin auth = new SimpleAuthenticationPlugin(
                    List.of(new AuthenticationUser(props.user(), props.password(), "users")));
            auth.setAnonymousAccessAllowed(false);
            broker.setPlugins(new BrokerPlugin[] {auth});
        }
        broker.addConnector(props.connector());
        return broker;
    }
}
