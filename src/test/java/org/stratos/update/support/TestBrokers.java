package org.stratos.update.support;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import java.nio.file.Path;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.broker.BrokerService;
import org.stratos.update.messaging.BrokerProperties;
import org.stratos.update.messaging.StratosBroker;
import org.stratos.update.messaging.broker.MemberOwnership;

/**
 * Brokers as {@link StratosBroker} builds them, for tests outside a manager: non-persistent, on a free loopback port,
 * with a fixed list of users and the ownership rule of a broker without the manager's database.
 */
public final class TestBrokers {

    private TestBrokers() {}

    public static BrokerProperties properties(String name, String connector, BrokerProperties.Tls tls) {
        return new BrokerProperties(
                true,
                connector,
                null,
                "stratos-manager",
                "manager-password",
                Path.of("target/" + name),
                false,
                "StratosUpdateManager",
                32,
                name,
                1024 * 1024,
                tls);
    }

    /** Started, on {@code tcp://127.0.0.1:<free port>}. */
    public static BrokerService start(String name, StaticBrokerUsers users) throws Exception {
        return start(properties(name, "tcp://127.0.0.1:0", null), users);
    }

    public static BrokerService start(BrokerProperties props, StaticBrokerUsers users) throws Exception {
        BrokerService broker = StratosBroker.create(props, users, MemberOwnership.byConvention());
        broker.start();
        broker.waitUntilStarted();
        return broker;
    }

    /** A started connection as {@code user} (none: anonymous), closed again when the broker refuses it. */
    public static Connection connect(String url, String user, String password) throws JMSException {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(url);
        factory.setWatchTopicAdvisories(false);
        factory.setUserName(user);
        factory.setPassword(password);
        Connection c = factory.createConnection();
        try {
            c.start();
        } catch (JMSException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** The URL clients in other processes would use. */
    public static String url(BrokerService broker) throws Exception {
        return broker.getTransportConnectors().get(0).getPublishableConnectString();
    }
}
