package org.stratos.update.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.net.InetSocketAddress;
import org.apache.activemq.broker.BrokerService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.stratos.update.messaging.broker.BrokerGroups;
import org.stratos.update.support.StaticBrokerUsers;
import org.stratos.update.support.TestBrokers;

/** The embedded broker of the default run: loopback only, nobody without credentials, frames of a sensible size. */
class EmbeddedBrokerTest {

    BrokerService broker;
    String url;

    @BeforeEach
    void startBroker() throws Exception {
        broker = TestBrokers.start(
                "embedded-test",
                new StaticBrokerUsers()
                        .add("stratos-manager", "s3cret", BrokerGroups.MANAGERS)
                        .add("agent-1", "agent-secret", BrokerGroups.AGENTS));
        url = TestBrokers.url(broker);
    }

    @AfterEach
    void stop() throws Exception {
        broker.stop();
    }

    @Test
    void listensOnLoopbackOnly() throws Exception {
        InetSocketAddress bound =
                broker.getTransportConnectors().get(0).getServer().getSocketAddress();
        assertThat(bound.getAddress().isLoopbackAddress())
                .as("bound to %s", bound)
                .isTrue();
    }

    @Test
    void refusesAnonymousClientsAndWrongPasswords() {
        assertThatThrownBy(() -> connect(null, null)).isInstanceOf(JMSSecurityException.class);
        assertThatThrownBy(() -> connect("stratos-manager", null)).isInstanceOf(JMSSecurityException.class);
        assertThatThrownBy(() -> connect("stratos-manager", "wrong")).isInstanceOf(JMSSecurityException.class);
        assertThatThrownBy(() -> connect("nobody", "s3cret")).isInstanceOf(JMSSecurityException.class);
    }

    @Test
    void acceptsClientsWithTheirCredentials() throws Exception {
        try (Connection manager = connect("stratos-manager", "s3cret");
                Connection agent = connect("agent-1", "agent-secret")) {
            assertThat(manager.getClientID()).isNotBlank();
            assertThat(agent.getClientID()).isNotBlank();
        }
    }

    @Test
    void aFrameOverTheLimitIsRefused() throws Exception {
        try (Connection agent = connect("agent-1", "agent-secret")) {
            Session session = agent.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer =
                    session.createProducer(session.createTopic("instance.status.InstanceStartedEvent"));
            producer.send(session.createTextMessage("x".repeat(1024)));

            // the limit is agreed with the client when it connects, so the client itself refuses (the broker would
            // close the connection of one that does not)
            assertThatThrownBy(() -> producer.send(session.createTextMessage("x".repeat(2 * 1024 * 1024))))
                    .isInstanceOf(JMSException.class)
                    .hasMessageContaining("larger than max allowed 1 MB");
        }
    }

    @Test
    void theManagerHasAPasswordEvenWhenNoneIsConfiguredButOnlyWithTheEmbeddedBroker() {
        BrokerProperties embedded = TestBrokers.properties("login", "tcp://127.0.0.1:0", null);
        BrokerProperties noPassword = new BrokerProperties(
                true,
                embedded.connector(),
                null,
                "stratos-manager",
                "",
                embedded.dataDirectory(),
                false,
                "StratosUpdateManager",
                32,
                "login",
                1024,
                null);
        BrokerProperties external = new BrokerProperties(
                false,
                embedded.connector(),
                "tcp://mq:61616",
                "stratos-manager",
                null,
                embedded.dataDirectory(),
                false,
                "StratosUpdateManager",
                32,
                "login",
                1024,
                null);

        ManagerLogin made = ManagerLogin.of(noPassword);
        assertThat(made.password())
                .hasSizeGreaterThanOrEqualTo(43)
                .isNotEqualTo(ManagerLogin.of(noPassword).password());
        assertThat(ManagerLogin.of(embedded).password()).isEqualTo("manager-password");
        assertThatThrownBy(() -> ManagerLogin.of(external))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("STRATOS_BROKER_PASSWORD");
    }

    @Test
    void theConnectorGetsAFrameLimitUnlessItSetsOne() {
        assertThat(StratosBroker.withFrameLimit("tcp://127.0.0.1:61616", 1024))
                .isEqualTo("tcp://127.0.0.1:61616?wireFormat.maxFrameSize=1024");
        assertThat(StratosBroker.withFrameLimit("ssl://0.0.0.0:61617?transport.needClientAuth=false", 1024))
                .isEqualTo("ssl://0.0.0.0:61617?transport.needClientAuth=false&wireFormat.maxFrameSize=1024");
        assertThat(StratosBroker.withFrameLimit("tcp://h:1?wireFormat.maxFrameSize=99", 1024))
                .isEqualTo("tcp://h:1?wireFormat.maxFrameSize=99");
    }

    private Connection connect(String user, String password) throws Exception {
        return TestBrokers.connect(url, user, password);
    }
}
