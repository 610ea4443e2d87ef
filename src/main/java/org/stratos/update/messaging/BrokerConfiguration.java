package org.stratos.update.messaging;

import jakarta.jms.ConnectionFactory;
import jakarta.jms.TransactionRolledBackException;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.RedeliveryPolicy;
import org.apache.activemq.broker.BrokerService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.jms.config.DefaultJmsListenerContainerFactory;
import org.springframework.jms.connection.CachingConnectionFactory;
import org.springframework.jms.core.JmsTemplate;
import org.stratos.update.agent.BrokerConnections;
import org.stratos.update.credentials.AgentCredentials;

/**
 * The broker connection (as the manager's user, see {@link ManagerLogin}), and in the default run the broker itself,
 * which authenticates every client and holds agents to the Stratos rules (see {@link StratosBroker}).
 * Agent-to-manager topics ({@code instance.status.>}) are virtual topics: each message is also put on the queue
 * {@code Consumer.<consumerName>.<topic>}, which the manager reads, so replies wait there while it restarts and
 * several manager nodes share them out. An external broker needs the same virtual-topic setting and the same rules
 * (see {@code docs/security.md}).
 */
@Configuration(proxyBeanMethods = false)
class BrokerConfiguration {

    private static final Logger log = LoggerFactory.getLogger(BrokerConfiguration.class);

    @Bean
    ManagerLogin managerLogin(BrokerProperties props) {
        return ManagerLogin.of(props);
    }

    /** Authenticates every client against the manager's login and the credentials it issued to agents. */
    @Bean(initMethod = "start", destroyMethod = "stop")
    @ConditionalOnProperty(name = "stratos.broker.embedded", havingValue = "true", matchIfMissing = true)
    BrokerService embeddedBroker(
            BrokerProperties props, ManagerLogin manager, ObjectProvider<AgentCredentials> credentials)
            throws Exception {
        EmbeddedBrokerPrincipals principals = new EmbeddedBrokerPrincipals(manager, credentials);
        return StratosBroker.create(props, principals, principals);
    }

    /** The raw factory; listener containers use it directly (they cache their own consumers). */
    @Bean
    ActiveMQConnectionFactory activeMqConnectionFactory(
            BrokerProperties props, ManagerLogin manager, ObjectProvider<BrokerService> embedded) {
        embedded.ifAvailable(b -> {}); // the embedded broker, if any, is up before the first connection
        BrokerProperties.Tls tls = props.tls();
        ActiveMQConnectionFactory factory = BrokerConnections.factory(
                props.clientUrl(),
                manager.user(),
                manager.password(),
                tls == null ? null : tls.trustStore(),
                tls == null ? null : tls.trustStorePassword());
        factory.setWatchTopicAdvisories(false);
        factory.setNonBlockingRedelivery(true);
        RedeliveryPolicy redelivery = new RedeliveryPolicy();
        redelivery.setInitialRedeliveryDelay(200);
        redelivery.setUseExponentialBackOff(true);
        redelivery.setBackOffMultiplier(2);
        redelivery.setMaximumRedeliveryDelay(10_000);
        redelivery.setMaximumRedeliveries(10);
        factory.setRedeliveryPolicy(redelivery);
        return factory;
    }

    /** Cached sessions and producers for publishing. */
    @Bean
    @Primary
    ConnectionFactory jmsConnectionFactory(ActiveMQConnectionFactory factory) {
        CachingConnectionFactory caching = new CachingConnectionFactory(factory);
        caching.setSessionCacheSize(16);
        return caching;
    }

    /** Publishes on topics in sessions that commit with the surrounding database transaction, if there is one. */
    @Bean
    JmsTemplate topicTemplate(ConnectionFactory jmsConnectionFactory) {
        JmsTemplate template = new JmsTemplate(jmsConnectionFactory);
        template.setPubSubDomain(true);
        template.setSessionTransacted(true);
        return template;
    }

    /**
     * A status message whose transaction the failover transport rolled back (the connection broke before its commit
     * was confirmed) comes again, and a repeat changes nothing: that is no fault of the listener.
     */
    private static void listenerFailed(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof TransactionRolledBackException) {
                log.info(
                        "A status message's transaction was rolled back by a broker reconnect ({}): it is delivered "
                                + "again, and a repeated report changes nothing",
                        c.getMessage());
                return;
            }
        }
        log.warn("A status listener failed; the message is delivered again: {}", t.toString(), t);
    }

    /** Listeners on the manager's status queues: transacted, so a failure hands the message back for redelivery. */
    @Bean
    DefaultJmsListenerContainerFactory statusListenerFactory(ActiveMQConnectionFactory factory) {
        DefaultJmsListenerContainerFactory containers = new DefaultJmsListenerContainerFactory();
        containers.setConnectionFactory(factory);
        containers.setSessionTransacted(true);
        containers.setConcurrency("1-4");
        containers.setPubSubDomain(false);
        containers.setErrorHandler(BrokerConfiguration::listenerFailed);
        return containers;
    }
}
