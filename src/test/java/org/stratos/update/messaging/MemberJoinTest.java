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
import org.stratos.update.topology.Member;
import org.stratos.update.topology.MemberState;
import org.stratos.update.topology.MemberTransition;
import org.stratos.update.topology.NewApplication;
import org.stratos.update.topology.TopologyService;
import org.stratos.update.support.BrokerClient;
import org.stratos.update.support.ManagerTest;
import org.stratos.update.support.TestIds;

/** Members join through real broker messages, sent over TCP as an agent in another process sends them. */
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

    BrokerClient agent;
    String appId;
    String clusterId;

    @BeforeEach
    void registerApplication() {
        agent = new BrokerClient(broker);
        appId = TestIds.applicationId("join");
        topology.register(new NewApplication(appId, null, List.of(
                new NewApplication.NewCluster("php", "php", "puppet", "4.1.5", null, null)), null));
        clusterId = appId + ".php.php.domain";
    }

    @AfterEach
    void disconnect() {
        agent.close();
    }

    @Test
    void memberJoinsThroughStartedAndActivatedEventsAndIsAnnounced() {
        List<String> announced = agent.listen("topology.MemberActivatedEvent");
        String memberId = clusterId + UUID.randomUUID();

        agent.send(STARTED, report(memberId, "4.1.5"));
        await().atMost(Duration.ofSeconds(10)).until(() -> stateOf(memberId) == MemberState.STARTING);

        agent.send(ACTIVATED, report(memberId, "4.1.5"));
        await().atMost(Duration.ofSeconds(10)).until(() -> stateOf(memberId) == MemberState.ACTIVE);

        assertThat(topology.transitions(memberId)).extracting(MemberTransition::to).containsExactly(
                MemberState.CREATED, MemberState.INITIALIZED, MemberState.STARTING, MemberState.ACTIVE);
        await().atMost(Duration.ofSeconds(10)).until(() -> announced.stream().anyMatch(m -> m.contains(memberId)));
        assertThat(announced).filteredOn(m -> m.contains(memberId)).singleElement().asString()
                .contains("\"clusterId\":\"" + clusterId + "\"").contains("\"version\":\"4.1.5\"")
                .doesNotContain("null");
    }

    @Test
    void activatedEventAloneWalksANewMemberToActive() {
        String memberId = clusterId + UUID.randomUUID();

        agent.send(ACTIVATED, report(memberId, "4.1.5"));

        await().atMost(Duration.ofSeconds(10)).until(() -> stateOf(memberId) == MemberState.ACTIVE);
        assertThat(topology.transitions(memberId)).hasSize(4);
    }

    @Test
    void repeatedReportsChangeNothing() {
        String memberId = clusterId + UUID.randomUUID();
        agent.send(ACTIVATED, report(memberId, "4.1.5"));
        await().atMost(Duration.ofSeconds(10)).until(() -> stateOf(memberId) == MemberState.ACTIVE);

        agent.send(STARTED, report(memberId, "4.1.5"));
        agent.send(ACTIVATED, report(memberId, "4.1.5"));
        String marker = clusterId + UUID.randomUUID();
        agent.send(ACTIVATED, report(marker, "4.1.5"));
        await().atMost(Duration.ofSeconds(10)).until(() -> stateOf(marker) == MemberState.ACTIVE);

        Member member = topology.member(memberId);
        assertThat(member.state()).isEqualTo(MemberState.ACTIVE);
        assertThat(topology.transitions(memberId)).hasSize(4);
    }

    @Test
    void malformedJsonIsRejectedCountedAndTheListenerGoesOn() {
        double before = rejections.count(ACTIVATED, "malformed");

        agent.send(ACTIVATED, "{\"applicationId\": \"" + appId + "\", \"clusterId\": ");
        agent.send(ACTIVATED, "not json at all");

        await().atMost(Duration.ofSeconds(10)).until(() -> rejections.count(ACTIVATED, "malformed") == before + 2);
        String memberId = clusterId + UUID.randomUUID();
        agent.send(ACTIVATED, report(memberId, "4.1.5"));
        await().atMost(Duration.ofSeconds(10)).until(() -> stateOf(memberId) == MemberState.ACTIVE);
    }

    @Test
    void eventsForUnknownClustersOrApplicationsAreRejectedAndCounted() {
        double before = rejections.count(STARTED, "unknown");

        agent.send(STARTED, """
                {"applicationId":"%s","clusterId":"%s.nope.php.domain","memberId":"m-1","version":"1"}"""
                .formatted(appId, appId));
        agent.send(STARTED, """
                {"applicationId":"someone-else","clusterId":"%s","memberId":"m-2","version":"1"}""".formatted(clusterId));

        await().atMost(Duration.ofSeconds(10)).until(() -> rejections.count(STARTED, "unknown") == before + 2);
        assertThat(topology.members(clusterId)).isEmpty();
    }

    @Test
    void eventsMissingAMemberIdAreRejectedAsInvalid() {
        double before = rejections.count(STARTED, "invalid");

        agent.send(STARTED, """
                {"applicationId":"%s","clusterId":"%s","version":"1"}""".formatted(appId, clusterId));

        await().atMost(Duration.ofSeconds(10)).until(() -> rejections.count(STARTED, "invalid") == before + 1);
    }

    private String report(String memberId, String version) {
        return """
                {"applicationId":"%s","serviceName":"php","clusterId":"%s","memberId":"%s","version":"%s",
                 "networkPartitionId":"np1","partitionId":"p1"}""".formatted(appId, clusterId, memberId, version);
    }

    private MemberState stateOf(String memberId) {
        try {
            return topology.member(memberId).state();
        } catch (NotFoundException notYet) {
            return null;
        }
    }
}
