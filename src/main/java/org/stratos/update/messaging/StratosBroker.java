package org.stratos.update.messaging;

import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.KeyManagerFactory;
import org.apache.activemq.broker.BrokerPlugin;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.SslContext;
import org.apache.activemq.broker.region.DestinationInterceptor;
import org.apache.activemq.broker.region.virtual.VirtualDestination;
import org.apache.activemq.broker.region.virtual.VirtualDestinationInterceptor;
import org.apache.activemq.broker.region.virtual.VirtualTopic;
import org.apache.activemq.command.ActiveMQDestination;
import org.apache.activemq.command.ActiveMQQueue;
import org.apache.activemq.command.ActiveMQTopic;
import org.stratos.update.messaging.broker.BrokerPrincipals;
import org.stratos.update.messaging.broker.MemberCommandDispatchPlugin;
import org.stratos.update.messaging.broker.MemberOwnership;
import org.stratos.update.messaging.broker.PrincipalAuthenticationPlugin;
import org.stratos.update.messaging.broker.StratosAuthorizationPlugin;
import org.stratos.update.messaging.event.EventTopics;

/**
 * The broker as the manager needs it: every client authenticated ({@link BrokerPrincipals}, no anonymous access) and
 * held to the Stratos authorization rules ({@link StratosAuthorizationPlugin}); commands dispatched by member
 * ({@link MemberCommandDispatchPlugin}); each message stamped with the user
 * that sent it ({@code JMSXUserID}); {@code instance.status.>} topics are virtual topics feeding the queues
 * {@code Consumer.<consumerName>.<topic>}; the project's destinations created up front; a loopback connector by
 * default, TLS with a key store, a frame size limit; KahaDB when persistent. The embedded broker of the default run is
 * built here; so is the shared broker of the several-nodes integration test.
 */
public final class StratosBroker {

    static final String STATUS_TOPICS = "instance.status.>";
    private static final String FRAME_LIMIT = "wireFormat.maxFrameSize";

    private StratosBroker() {}

    /** A configured, not yet started broker. */
    public static BrokerService create(BrokerProperties props, BrokerPrincipals principals, MemberOwnership ownership)
            throws Exception {
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
        broker.setDestinations(destinations(props));
        broker.setPopulateJMSXUserID(true);
        broker.setPlugins(new BrokerPlugin[] {
            new PrincipalAuthenticationPlugin(principals),
            new StratosAuthorizationPlugin(ownership),
            new MemberCommandDispatchPlugin()
        });
        if (tls(props.connector())) {
            broker.setSslContext(sslContext(props.tls()));
        }
        broker.addConnector(withFrameLimit(props.connector(), props.maxFrameSize()));
        return broker;
    }

    /** Closes the connections of {@code user} (its credentials changed). */
    static void disconnect(BrokerService broker, String user, String reason) {
        Arrays.stream(broker.getPlugins())
                .filter(PrincipalAuthenticationPlugin.class::isInstance)
                .map(PrincipalAuthenticationPlugin.class::cast)
                .forEach(p -> p.disconnect(user, reason));
    }

    /**
     * The manager's status queues (so replies sent before the manager's first listener starts are kept) and every
     * topic of the contract (so no client but the manager ever needs to create one).
     */
    private static ActiveMQDestination[] destinations(BrokerProperties props) {
        List<ActiveMQDestination> all = new ArrayList<>();
        for (Class<?> event : EventTopics.EVENT_CLASSES) {
            String topic = EventTopics.topicOf(event);
            all.add(new ActiveMQTopic(topic));
            if (topic.startsWith("instance.status.")) {
                all.add(new ActiveMQQueue(props.consumerQueue(topic)));
            }
        }
        return all.toArray(ActiveMQDestination[]::new);
    }

    static boolean tls(String uri) {
        String scheme = uri.substring(0, Math.max(uri.indexOf(':'), 0)).toLowerCase(Locale.ROOT);
        return scheme.equals("ssl") || scheme.endsWith("+ssl");
    }

    private static SslContext sslContext(BrokerProperties.Tls tls) throws Exception {
        if (tls == null || tls.keyStore() == null) {
            throw new IllegalStateException("an ssl:// connector needs stratos.broker.tls.key-store "
                    + "(STRATOS_BROKER_TLS_KEY_STORE): the broker's key pair and certificate, PKCS12");
        }
        char[] password = tls.keyStorePassword() == null
                ? new char[0]
                : tls.keyStorePassword().toCharArray();
        KeyStore keys = KeyStore.getInstance(tls.keyStore().toFile(), password);
        KeyManagerFactory managers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        managers.init(keys, password);
        return new SslContext(managers.getKeyManagers(), null, null);
    }

    /** The connector with {@code wireFormat.maxFrameSize} unless the URI sets one itself. */
    static String withFrameLimit(String connector, int maxFrameSize) {
        if (connector.contains(FRAME_LIMIT)) {
            return connector;
        }
        return connector + (connector.contains("?") ? "&" : "?") + FRAME_LIMIT + "=" + maxFrameSize;
    }
}
