package org.stratos.update.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import jakarta.jms.Connection;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.Session;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.command.ActiveMQQueue;
import org.apache.activemq.command.ActiveMQTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.stratos.update.common.NotFoundException;
import org.stratos.update.credentials.AgentCredentials;
import org.stratos.update.credentials.IssuedCredentials;
import org.stratos.update.support.BrokerClient;
import org.stratos.update.support.ManagerTest;
import org.stratos.update.support.TestBrokers;
import org.stratos.update.support.TestIds;
import org.stratos.update.topology.Member;
import org.stratos.update.topology.MemberState;
import org.stratos.update.topology.NewApplication;
import org.stratos.update.topology.TopologyService;

/**
 * The attacks of issue #9 on the manager's own broker, by a plain ActiveMQ client: without credentials, and with the
 * credentials of one registered member (A) against another (B).
 */
@ManagerTest
class RogueAgentTest {

    private static final String ACTIVATED = "instance.status.InstanceActivatedEvent";
    private static final String UPDATED = "instance.status.InstanceUpdatedEvent";
    private static final String COMMANDS = "instance.notifier.SoftwareUpdateEvent";

    @Autowired
    TopologyService topology;

    @Autowired
    BrokerService broker;

    @Autowired
    EventRejections rejections;

    @Autowired
    AgentCredentials credentials;

    String appId;
    String clusterId;
    IssuedCredentials a;
    IssuedCredentials b;
    BrokerClient agentA;
    BrokerClient agentB;

    @BeforeEach
    void twoRegisteredMembersBActive() {
        appId = TestIds.applicationId("rogue");
        topology.register(new NewApplication(
                appId, null, List.of(new NewApplication.NewCluster("php", "php", "puppet", "1.0", null, null)), null));
        clusterId = appId + ".php.php.domain";
        List<IssuedCredentials> issued = credentials.register(appId, "php", 2, false, "test");
        a = issued.get(0);
        b = issued.get(1);
        agentA = BrokerClient.as(broker, a.user(), a.password());
        agentB = BrokerClient.as(broker, b.user(), b.password());
        agentB.send(ACTIVATED, activated(memberB(), "1.0", "10.0.0.2"));
        await().atMost(Duration.ofSeconds(10)).until(() -> stateOf(memberB()) == MemberState.ACTIVE);
    }

    @AfterEach
    void disconnect() {
        agentA.close();
        agentB.close();
    }

    @Test
    void anAnonymousClientOrAWrongPasswordCannotConnect() {
        assertThatThrownBy(() -> connect(null, null)).isInstanceOf(JMSSecurityException.class);
        assertThatThrownBy(() -> connect(a.user(), "not-the-password")).isInstanceOf(JMSSecurityException.class);
        assertThatThrownBy(() -> connect("stratos-manager", a.password())).isInstanceOf(JMSSecurityException.class);
    }

    @Test
    void anAgentCannotSpeakForAnotherMemberAndItsRecordStaysAsItWas() {
        double before = rejections.count(ACTIVATED, "not-owner");
        double updated = rejections.count(UPDATED, "not-owner");

        agentA.send(ACTIVATED, activated(memberB(), "6.6.6", "10.6.6.6"));
        agentA.send(UPDATED, """
                {"updateId":"upd-0123456789ab","applicationId":"%s","clusterId":"%s","memberId":"%s","version":"2.0",
                 "exitCode":0,"durationMillis":1}""".formatted(appId, clusterId, memberB()));

        await().atMost(Duration.ofSeconds(10))
                .until(() -> rejections.count(ACTIVATED, "not-owner") == before + 1
                        && rejections.count(UPDATED, "not-owner") == updated + 1);
        Member recorded = topology.member(memberB());
        assertThat(recorded.version()).isEqualTo("1.0");
        assertThat(recorded.address()).isEqualTo("10.0.0.2");
        assertThat(topology.transitions(memberB())).hasSize(4);
    }

    @Test
    void anAgentCannotAddAMemberThatWasNeverRegistered() {
        double before = rejections.count(ACTIVATED, "unregistered");
        String invented = clusterId + UUID.randomUUID();

        agentA.send(ACTIVATED, activated(invented, "1.0", null));

        await().atMost(Duration.ofSeconds(10)).until(() -> rejections.count(ACTIVATED, "unregistered") == before + 1);
        assertThat(stateOf(invented)).isNull();
        assertThat(topology.members(clusterId)).extracting(Member::id).containsExactly(memberB());
    }

    @Test
    void anAgentCannotSendACommandNorReadAnotherMembersCommandsNorTheManagersQueues() throws Exception {
        try (Connection rogue = connect(a.user(), a.password())) {
            Session s = rogue.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThatThrownBy(
                            () -> s.createProducer(new ActiveMQTopic(COMMANDS)).send(s.createTextMessage("{}")))
                    .isInstanceOf(JMSSecurityException.class);
            assertThatThrownBy(() -> s.createConsumer(new ActiveMQTopic(COMMANDS), "memberId = '" + memberB() + "'"))
                    .isInstanceOf(JMSSecurityException.class);
            assertThatThrownBy(() -> s.createConsumer(new ActiveMQTopic(COMMANDS)))
                    .isInstanceOf(JMSSecurityException.class);
            assertThatThrownBy(() -> s.createConsumer(
                            new ActiveMQQueue("Consumer.StratosUpdateManager.instance.status.InstanceUpdatedEvent")))
                    .isInstanceOf(JMSSecurityException.class);
            assertThatThrownBy(() -> s.createProducer(new ActiveMQTopic("topology.MemberActivatedEvent"))
                            .send(s.createTextMessage("{}")))
                    .isInstanceOf(JMSSecurityException.class);
            s.createConsumer(new ActiveMQTopic(COMMANDS), "memberId = '" + memberA() + "'")
                    .close(); // its own: fine
        }
    }

    @Test
    void hostileIdsVersionsAndAddressesAreRefusedAtTheBrokerDoorAsAtTheApi() {
        double before = rejections.count(ACTIVATED, "invalid");

        agentA.send(ACTIVATED, activated("forged'; rm -rf / #", "1.0", null));
        agentA.send(ACTIVATED, activated(memberA(), "$(id)", null));
        agentA.send(ACTIVATED, activated(memberA(), "1.0", "`id`"));
        agentA.send(ACTIVATED, activated("<script>", "1.0", null));
        agentA.send(ACTIVATED, activated(memberA(), "1.0", "x".repeat(300)));

        await().atMost(Duration.ofSeconds(10)).until(() -> rejections.count(ACTIVATED, "invalid") == before + 5);
        assertThat(stateOf(memberA())).isNull();
        agentA.send(ACTIVATED, activated(memberA(), "1.0", "10.0.0.1:8080"));
        await().atMost(Duration.ofSeconds(10)).until(() -> stateOf(memberA()) == MemberState.ACTIVE);
    }

    @Test
    void aMegabyteMemberIdIsRejectedOnceAndNotRedelivered() {
        double tooLarge = rejections.count(ACTIVATED, "too-large");

        agentA.send(ACTIVATED, activated("m".repeat(1_000_000), "1.0", null));
        agentA.send(ACTIVATED, activated(memberA(), "1.0", null));

        await().atMost(Duration.ofSeconds(10)).until(() -> stateOf(memberA()) == MemberState.ACTIVE);
        await().atMost(Duration.ofSeconds(10)).until(() -> rejections.count(ACTIVATED, "too-large") == tooLarge + 1);
        // a redelivery would come within the first back-off (200 ms): the count stays where it is
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(2))
                .until(() -> rejections.count(ACTIVATED, "too-large") == tooLarge + 1);
    }

    @Test
    void forgedEventsAreCountedEachButLoggedOncePerSender() {
        Logger log = (Logger) LoggerFactory.getLogger(EventRejections.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        log.addAppender(lines);
        try {
            double before = rejections.count(ACTIVATED, "not-owner");

            for (int i = 0; i < 5; i++) {
                agentA.send(ACTIVATED, activated(memberB(), "6.6." + i, null));
            }

            await().atMost(Duration.ofSeconds(10)).until(() -> rejections.count(ACTIVATED, "not-owner") == before + 5);
            assertThat(lines.list)
                    .filteredOn(e -> e.getLevel() == Level.WARN)
                    .filteredOn(e -> e.getFormattedMessage().contains("'" + a.user() + "'"))
                    .hasSize(1)
                    .first()
                    .extracting(ILoggingEvent::getFormattedMessage)
                    .asString()
                    .contains("not-owner")
                    .contains(memberB());
        } finally {
            log.detachAppender(lines);
        }
    }

    @Test
    void revokedCredentialsLoseTheirConnectionAndRotatedOnesReplaceTheOldPassword() throws Exception {
        Connection open = connect(a.user(), a.password());
        credentials.revoke(memberA(), "test");

        await().atMost(Duration.ofSeconds(10))
                .until(() -> ((org.apache.activemq.ActiveMQConnection) open).isClosed()
                        || ((org.apache.activemq.ActiveMQConnection) open).isTransportFailed());
        assertThatThrownBy(() -> connect(a.user(), a.password())).isInstanceOf(JMSSecurityException.class);
        assertThat(credentials.describe(memberA()).revokedAt()).isNotNull();

        IssuedCredentials rotated = credentials.rotate(memberA(), "test");
        assertThat(rotated.user()).isEqualTo(a.user());
        assertThatThrownBy(() -> connect(a.user(), a.password())).isInstanceOf(JMSSecurityException.class);
        connect(rotated.user(), rotated.password()).close();
        assertThat(credentials.describe(memberA()).revokedAt()).isNull();
    }

    private String memberA() {
        return a.memberIds().get(0);
    }

    private String memberB() {
        return b.memberIds().get(0);
    }

    private String activated(String member, String version, String address) {
        return """
                {"applicationId":"%s","serviceName":"php","clusterId":"%s","memberId":"%s","version":"%s"%s}""".formatted(
                        appId,
                        clusterId,
                        member.replace("\"", "\\\""),
                        version.replace("\"", "\\\""),
                        address == null ? "" : ",\"address\":\"" + address + "\"");
    }

    private Connection connect(String user, String password) throws Exception {
        return TestBrokers.connect(
                broker.getTransportConnectors().get(0).getPublishableConnectString(), user, password);
    }

    private MemberState stateOf(String member) {
        try {
            return topology.member(member).state();
        } catch (NotFoundException notYet) {
            return null;
        }
    }
}
