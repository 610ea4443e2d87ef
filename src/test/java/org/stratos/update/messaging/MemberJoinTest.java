package org.stratos.update.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.activemq.broker.BrokerService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.stratos.update.common.NotFoundException;
import org.stratos.update.credentials.AgentCredentials;
import org.stratos.update.support.BrokerClient;
import org.stratos.update.support.ManagerTest;
import org.stratos.update.support.TestIds;
import org.stratos.update.topology.Member;
import org.stratos.update.topology.MemberState;
import org.stratos.update.topology.MemberTransition;
import org.stratos.update.topology.NewApplication;
import org.stratos.update.topology.TopologyService;

/**
 * Registered members join through real broker messages, sent over TCP by the principal they are registered to, as an
 * agent in another process sends them.
 */
@ManagerTest
class MemberJoinTest {

    private static final String STARTED = "instance.status.InstanceStartedEvent";
    private static final String ACTIVATED = "instance.status.InstanceActivatedEvent";

    @Autowired
    TopologyService topology;

    @Autowired
    BrokerService broker;

    @Autowired
    EventRejections rejections;

    @Autowired
    AgentCredentials credentials;

    BrokerClient agent;
    String appId;
    String clusterId;
    String memberId;
    String other;
    String marker;

    @BeforeEach
    void registerApplicationAndMembers() {
        appId = TestIds.applicationId("join");
        topology.register(new NewApplication(
                appId,
                null,
                List.of(new NewApplication.NewCluster("php", "php", "puppet", "4.1.5", null, null)),
                null));
        clusterId = appId + ".php.php.domain";
        memberId = clusterId + UUID.randomUUID();
        other = clusterId + UUID.randomUUID();
        marker = clusterId + UUID.randomUUID();
        agent = BrokerClient.agent(broker, credentials, clusterId, memberId, other, marker);
    }

    @AfterEach
    void disconnect() {
        agent.close();
    }

    @Test
    void memberJoinsThroughStartedAndActivatedEventsAndIsAnnounced() {
        try (BrokerClient loadBalancer = new BrokerClient(broker)) {
            List<String> announced = loadBalancer.listen("topology.MemberActivatedEvent");

            agent.send(STARTED, report(memberId, "4.1.5", null));
            await().atMost(Duration.ofSeconds(10)).until(() -> stateOf(memberId) == MemberState.STARTING);

            agent.send(ACTIVATED, report(memberId, "4.1.5", null));
            await().atMost(Duration.ofSeconds(10)).until(() -> stateOf(memberId) == MemberState.ACTIVE);

            assertThat(topology.transitions(memberId))
                    .extracting(MemberTransition::to)
                    .containsExactly(
                            MemberState.CREATED, MemberState.INITIALIZED, MemberState.STARTING, MemberState.ACTIVE);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> announced.stream().anyMatch(m -> m.contains(memberId)));
            assertThat(announced)
                    .filteredOn(m -> m.contains(memberId))
                    .singleElement()
                    .asString()
                    .contains("\"clusterId\":\"" + clusterId + "\"")
                    .contains("\"version\":\"4.1.5\"")
                    .doesNotContain("null");
        }
    }

    @Test
    void activatedEventAloneWalksANewMemberToActive() {
        agent.send(ACTIVATED, report(memberId, "4.1.5", null));

        await().atMost(Duration.ofSeconds(10)).until(() -> stateOf(memberId) == MemberState.ACTIVE);
        assertThat(topology.transitions(memberId)).hasSize(4);
    }

    @Test
    void repeatedReportsChangeNothing() {
        agent.send(ACTIVATED, report(memberId, "4.1.5", "10.0.0.7"));
        await().atMost(Duration.ofSeconds(10)).until(() -> stateOf(memberId) == MemberState.ACTIVE);

        agent.send(STARTED, report(memberId, "4.1.5", "10.0.0.7"));
        agent.send(ACTIVATED, report(memberId, "4.1.5", null));
        agent.send(ACTIVATED, report(marker, "4.1.5", null));
        await().atMost(Duration.ofSeconds(10)).until(() -> stateOf(marker) == MemberState.ACTIVE);

        Member member = topology.member(memberId);
        assertThat(member.state()).isEqualTo(MemberState.ACTIVE);
        assertThat(topology.transitions(memberId)).hasSize(4);
    }

    @Test
    void aJoinNeverRewritesTheVersionOrAddressOfAnActiveMember() {
        agent.send(ACTIVATED, report(memberId, "4.1.5", "10.0.0.7"));
        await().atMost(Duration.ofSeconds(10)).until(() -> stateOf(memberId) == MemberState.ACTIVE);
        double before = rejections.count(ACTIVATED, "record-conflict");

        agent.send(ACTIVATED, report(memberId, "4.1.6", "10.0.0.7"));
        agent.send(STARTED, report(memberId, "4.1.5", "10.6.6.6"));
        agent.send(ACTIVATED, report(memberId, "4.1.6", null));

        await().atMost(Duration.ofSeconds(10))
                .until(() -> rejections.count(ACTIVATED, "record-conflict") == before + 2);
        Member member = topology.member(memberId);
        assertThat(member.version()).isEqualTo("4.1.5");
        assertThat(member.address()).isEqualTo("10.0.0.7");
        assertThat(topology.transitions(memberId)).hasSize(4);
    }

    @Test
    void aMemberThatWasNeverRegisteredCannotJoin() {
        double before = rejections.count(ACTIVATED, "unregistered");
        String stranger = clusterId + UUID.randomUUID();

        agent.send(ACTIVATED, report(stranger, "4.1.5", null));
        agent.send(ACTIVATED, report(marker, "4.1.5", null));

        await().atMost(Duration.ofSeconds(10)).until(() -> stateOf(marker) == MemberState.ACTIVE);
        assertThat(rejections.count(ACTIVATED, "unregistered")).isEqualTo(before + 1);
        assertThat(stateOf(stranger)).isNull();
    }

    @Test
    void malformedJsonIsRejectedCountedAndTheListenerGoesOn() {
        double before = rejections.count(ACTIVATED, "malformed");

        agent.send(ACTIVATED, "{\"applicationId\": \"" + appId + "\", \"clusterId\": ");
        agent.send(ACTIVATED, "not json at all");

        await().atMost(Duration.ofSeconds(10)).until(() -> rejections.count(ACTIVATED, "malformed") == before + 2);
        agent.send(ACTIVATED, report(memberId, "4.1.5", null));
        await().atMost(Duration.ofSeconds(10)).until(() -> stateOf(memberId) == MemberState.ACTIVE);
    }

    @Test
    void eventsNamingAnotherApplicationOrClusterAreRejectedAndCounted() {
        double unknown = rejections.count(STARTED, "unknown");
        double wrongCluster = rejections.count(STARTED, "wrong-cluster");

        agent.send(STARTED, """
                {"applicationId":"someone-else","clusterId":"%s","memberId":"%s","version":"1"}""".formatted(clusterId, memberId));
        agent.send(STARTED, """
                {"applicationId":"%s","clusterId":"%s.nope.php.domain","memberId":"%s","version":"1"}""".formatted(appId, appId, other));

        await().atMost(Duration.ofSeconds(10))
                .until(() -> rejections.count(STARTED, "unknown") == unknown + 1
                        && rejections.count(STARTED, "wrong-cluster") == wrongCluster + 1);
        assertThat(topology.members(clusterId)).isEmpty();
    }

    @Test
    void eventsMissingAMemberIdAreRejectedAsInvalid() {
        double before = rejections.count(STARTED, "invalid");

        agent.send(STARTED, """
                {"applicationId":"%s","clusterId":"%s","version":"1"}""".formatted(appId, clusterId));

        await().atMost(Duration.ofSeconds(10)).until(() -> rejections.count(STARTED, "invalid") == before + 1);
    }

    private String report(String member, String version, String address) {
        return """
                {"applicationId":"%s","serviceName":"php","clusterId":"%s","memberId":"%s","version":"%s",
                 "networkPartitionId":"np1","partitionId":"p1"%s}""".formatted(
                        appId, clusterId, member, version, address == null ? "" : ",\"address\":\"" + address + "\"");
    }

    private MemberState stateOf(String member) {
        try {
            return topology.member(member).state();
        } catch (NotFoundException notYet) {
            return null;
        }
    }
}
