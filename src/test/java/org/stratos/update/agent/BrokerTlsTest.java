package org.stratos.update.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.command.ActiveMQQueue;
import org.apache.activemq.command.ActiveMQTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stratos.update.messaging.BrokerProperties;
import org.stratos.update.messaging.broker.BrokerGroups;
import org.stratos.update.support.StaticBrokerUsers;
import org.stratos.update.support.TestBrokers;

/**
 * TLS on the broker connector, with a self-signed key pair made here by the JDK's keytool: the manager (its
 * connection factory, as towards an external broker) and a standalone agent connect over {@code ssl://}; a plain
 * client and an agent that does not trust the certificate are refused.
 */
class BrokerTlsTest {

    private static final String MEMBER = "shop.php.php.domain-tls";
    private static final String STORE_PASSWORD = "tls-test-password";

    @TempDir
    Path dir;

    private BrokerService broker;
    private String url;
    private Path trustStore;
    private StandaloneAgent agent;

    @BeforeEach
    void brokerWithASelfSignedCertificate() throws Exception {
        Path keyStore = dir.resolve("broker.p12");
        Path certificate = dir.resolve("broker.crt");
        trustStore = dir.resolve("trust.p12");
        keytool(
                "-genkeypair",
                "-alias",
                "broker",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-validity",
                "2",
                "-dname",
                "CN=127.0.0.1",
                "-ext",
                "SAN=ip:127.0.0.1,dns:localhost",
                "-keystore",
                keyStore.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                STORE_PASSWORD,
                "-keypass",
                STORE_PASSWORD);
        keytool(
                "-exportcert",
                "-alias",
                "broker",
                "-keystore",
                keyStore.toString(),
                "-storepass",
                STORE_PASSWORD,
                "-file",
                certificate.toString());
        keytool(
                "-importcert",
                "-noprompt",
                "-alias",
                "broker",
                "-file",
                certificate.toString(),
                "-keystore",
                trustStore.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                STORE_PASSWORD);
        broker = TestBrokers.start(
                TestBrokers.properties(
                        "tls-test",
                        "ssl://127.0.0.1:0",
                        new BrokerProperties.Tls(keyStore, STORE_PASSWORD, null, null)),
                new StaticBrokerUsers()
                        .add("stratos-manager", "manager-password", BrokerGroups.MANAGERS)
                        .add(MEMBER, "agent-password", BrokerGroups.AGENTS));
        url = TestBrokers.url(broker);
        assertThat(url).startsWith("ssl://");
    }

    @AfterEach
    void stop() throws Exception {
        if (agent != null) {
            agent.close();
        }
        broker.stop();
    }

    @Test
    void theManagerAndAnAgentTalkOverTls() throws Exception {
        try (Connection manager = BrokerConnections.factory(
                        url, "stratos-manager", "manager-password", trustStore, STORE_PASSWORD)
                .createConnection()) {
            manager.start();
            Session session = manager.createSession(false, Session.AUTO_ACKNOWLEDGE);
            List<Message> activated =
                    listen(session, "Consumer.StratosUpdateManager.instance.status." + "InstanceActivatedEvent");
            List<Message> updated =
                    listen(session, "Consumer.StratosUpdateManager.instance.status." + "InstanceUpdatedEvent");

            agent = StandaloneAgent.start(config(trustStore));

            await().atMost(Duration.ofSeconds(20)).until(() -> activated.size() == 1);
            assertThat(activated.get(0).getStringProperty("JMSXUserID")).isEqualTo(MEMBER);
            TextMessage command = session.createTextMessage("""
                    {"updateId":"u-tls","applicationId":"shop","clusterId":"shop.php.php.domain","memberId":"%s",
                     "version":"2.0","previousVersion":"1.0"}""".formatted(MEMBER));
            command.setStringProperty("memberId", MEMBER);
            session.createProducer(new ActiveMQTopic("instance.notifier.SoftwareUpdateEvent"))
                    .send(command);
            await().atMost(Duration.ofSeconds(20)).until(() -> updated.size() == 1);
            assertThat(((TextMessage) updated.get(0)).getText()).contains("\"updateId\":\"u-tls\"");
        }
    }

    @Test
    void aPlainClientIsRefused() {
        String plain = url.replace("ssl://", "tcp://")
                + "&connectionTimeout=5000&wireFormat.maxInactivityDurationInitalDelay=5000";
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory("stratos-manager", "manager-password", plain);
        factory.setWatchTopicAdvisories(false);

        assertThatThrownBy(() -> {
                    try (Connection c = factory.createConnection()) {
                        c.start();
                    }
                })
                .isInstanceOf(JMSException.class);
    }

    @Test
    void anAgentThatDoesNotTrustTheCertificateIsRefused() {
        assertThatThrownBy(() -> StandaloneAgent.start(config(null)).close()).isInstanceOf(AgentException.class);
    }

    private AgentConfig config(Path trust) throws Exception {
        Map<String, String> args = new LinkedHashMap<>();
        // no failover: a refused handshake must end the start, not be retried for ever
        args.put("broker.url", "failover:(" + url + ")?maxReconnectAttempts=0&startupMaxReconnectAttempts=0");
        args.put("broker.password", "agent-password");
        if (trust != null) {
            args.put("broker.trust-store", trust.toString());
            args.put("broker.trust-store-password", STORE_PASSWORD);
        }
        args.put("application.id", "shop");
        args.put("service.name", "php");
        args.put("cluster.id", "shop.php.php.domain");
        args.put("member.id", MEMBER);
        args.put("version", "1.0");
        args.put("state.dir", dir.resolve("state").toString());
        // never the default /etc/facter/facts.d: run as root, it would be the fact every real Puppet on the machine
        // reads
        args.put(
                "puppet.facts-file",
                dir.resolve("facts.d").resolve("stratos.json").toString());
        args.put("update.command", Scripts.puppet(dir, dir.resolve("runs"), 0).toString());
        return AgentConfig.of(Map.of(), Map.of(), args, null);
    }

    private static List<Message> listen(Session session, String queue) throws JMSException {
        List<Message> received = new CopyOnWriteArrayList<>();
        session.createConsumer(new ActiveMQQueue(queue)).setMessageListener(received::add);
        return received;
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("keytool finished").isTrue();
        assertThat(p.exitValue()).as("keytool %s: %s", args[0], output).isZero();
    }
}
