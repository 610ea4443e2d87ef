package org.stratos.update.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Path;

import jakarta.jms.Connection;
import jakarta.jms.JMSSecurityException;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.broker.BrokerService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The embedded broker of the default run: loopback only, and with credentials when they are configured. */
class EmbeddedBrokerTest {

    BrokerService broker;
    String url;

    @BeforeEach
    void startBrokerWithCredentials() throws Exception {
        BrokerProperties props = new BrokerProperties(true, "tcp://127.0.0.1:0", null, "manager", "s3cret",
                Path.of("target/broker-test"), false, "StratosUpdateManager", 16, "credentials-test");
        broker = new BrokerConfiguration().embeddedBroker(props);
        broker.start();
        url = broker.getTransportConnectors().get(0).getPublishableConnectString();
    }

    @AfterEach
    void stop() throws Exception {
        broker.stop();
    }

    @Test
    void listensOnLoopbackOnly() throws Exception {
        InetSocketAddress bound = broker.getTransportConnectors().get(0).getServer().getSocketAddress();
        assertThat(bound.getAddress().isLoopbackAddress()).as("bound to %s", bound).isTrue();
    }

    @Test
    void refusesClientsWithoutTheCredentials() {
        assertThatThrownBy(() -> connect(null, null)).isInstanceOf(JMSSecurityException.class);
        assertThatThrownBy(() -> connect("manager", "wrong")).isInstanceOf(JMSSecurityException.class);
    }

    @Test
    void acceptsClientsWithTheCredentials() throws Exception {
        try (Connection c = connect("manager", "s3cret")) {
            assertThat(c.getClientID()).isNotBlank();
        }
    }

    private Connection connect(String user, String password) throws Exception {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(url);
        if (user != null) {
            factory.setUserName(user);
            factory.setPassword(password);
        }
        Connection c = factory.createConnection();
        c.start();
        return c;
    }
}
