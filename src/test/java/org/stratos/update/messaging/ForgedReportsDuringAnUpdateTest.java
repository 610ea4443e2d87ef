package org.stratos.update.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.jms.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.broker.BrokerService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.stratos.update.agent.AgentIdentity;
import org.stratos.update.agent.AgentSettings;
import org.stratos.update.agent.HealthCheck;
import org.stratos.update.agent.JmsAgentChannel;
import org.stratos.update.agent.MemberAgent;
import org.stratos.update.agent.SimulatedUpdateCommand;
import org.stratos.update.agent.UpdateCommand;
import org.stratos.update.credentials.AgentCredentials;
import org.stratos.update.credentials.IssuedCredentials;
import org.stratos.update.support.BrokerClient;
import org.stratos.update.support.ManagerTest;
import org.stratos.update.support.TestIds;
import org.stratos.update.topology.Member;
import org.stratos.update.topology.MemberState;
import org.stratos.update.topology.NewApplication;
import org.stratos.update.topology.TopologyService;
import org.stratos.update.update.UpdateReadModel;
import org.stratos.update.update.UpdateRequest;
import org.stratos.update.update.UpdateService;
import org.stratos.update.update.UpdateState;

/**
 * A registered agent of the same cluster forges reports for the members an update is applying (success for one,
 * failure for the other) while their real agents are still running the command: the forgeries are counted and change
 * nothing, and the update completes on the real reports.
 */
@ManagerTest
class ForgedReportsDuringAnUpdateTest {

    @Autowired
    TopologyService topology;

    @Autowired
    AgentCredentials credentials;

    @Autowired
    UpdateService updates;

    @Autowired
    UpdateReadModel views;

    @Autowired
    EventRejections rejections;

    @Autowired
    BrokerService broker;

    final CountDownLatch commandsMayFinish = new CountDownLatch(1);
    final List<MemberAgent> agents = new ArrayList<>();
    String appId;
    String clusterId;
    Connection fleet;
    IssuedCredentials honest;
    BrokerClient rogue;

    @BeforeEach
    void twoMembersWithRealAgentsAndARogueOne() throws Exception {
        appId = TestIds.applicationId("forged");
        topology.register(new NewApplication(
                appId, null, List.of(new NewApplication.NewCluster("php", "php", "puppet", "1.0", null, null)), null));
        clusterId = appId + ".php.php.domain";
        honest = credentials.register(appId, "php", 2, true, "test").get(0);
        IssuedCredentials stranger =
                credentials.register(appId, "php", 1, false, "test").get(0);
        rogue = BrokerClient.as(broker, stranger.user(), stranger.password());

        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(
                honest.user(),
                honest.password(),
                broker.getTransportConnectors().get(0).getPublishableConnectString());
        factory.setWatchTopicAdvisories(false);
        fleet = factory.createConnection();
        fleet.start();
        UpdateCommand simulated = new SimulatedUpdateCommand(Duration.ofMillis(10), 0, new SplittableRandom());
        UpdateCommand held = (command, timeout) -> {
            commandsMayFinish.await();
            return simulated.run(command, timeout);
        };
        for (String memberId : honest.memberIds()) {
            MemberAgent agent = new MemberAgent(
                    new AgentIdentity(appId, "php", clusterId, memberId, null, null, null, null),
                    AgentSettings.defaults("1.0"),
                    held,
                    HealthCheck.NONE,
                    JmsAgentChannel.open(fleet, memberId, BrokerClient.MANAGER_USER));
            agents.add(agent);
            agent.start();
        }
        await().atMost(Duration.ofSeconds(20))
                .until(() -> topology.members(clusterId).stream()
                                .filter(m -> m.state() == MemberState.ACTIVE)
                                .count()
                        == 2);
    }

    @AfterEach
    void stop() throws Exception {
        commandsMayFinish.countDown();
        agents.forEach(MemberAgent::close);
        fleet.close();
        rogue.close();
    }

    @Test
    void forgedReportsAreCountedAndTheUpdateCompletesOnTheRealOnes() {
        String updated = "instance.status.InstanceUpdatedEvent";
        String failed = "instance.status.InstanceUpdateFailedEvent";
        double forgedSuccess = rejections.count(updated, "not-owner");
        double forgedFailure = rejections.count(failed, "not-owner");
        String updateId = updates.start(
                        appId,
                        new UpdateRequest(
                                List.of("php"),
                                null,
                                "2.0",
                                null,
                                true,
                                "100%",
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null),
                        "tester")
                .id();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> topology.members(clusterId).stream().allMatch(m -> m.state() == MemberState.UPDATING));
        String first = honest.memberIds().get(0);
        String second = honest.memberIds().get(1);

        rogue.send(updated, """
                {"updateId":"%s","applicationId":"%s","clusterId":"%s","memberId":"%s","version":"2.0","exitCode":0,
                 "durationMillis":1,"healthCheck":"none"}""".formatted(updateId, appId, clusterId, first));
        rogue.send(failed, """
                {"updateId":"%s","applicationId":"%s","clusterId":"%s","memberId":"%s","version":"2.0","exitCode":4,
                 "reason":"forged","failure":"COMMAND_FAILED","durationMillis":1}""".formatted(updateId, appId, clusterId, second));

        await().atMost(Duration.ofSeconds(10))
                .until(() -> rejections.count(updated, "not-owner") == forgedSuccess + 1
                        && rejections.count(failed, "not-owner") == forgedFailure + 1);
        assertThat(topology.members(clusterId)).extracting(Member::state).containsOnly(MemberState.UPDATING);
        assertThat(views.update(updateId).state()).isEqualTo(UpdateState.RUNNING);

        commandsMayFinish.countDown();

        await().atMost(Duration.ofSeconds(60))
                .until(() -> views.update(updateId).state() == UpdateState.COMPLETED);
        assertThat(topology.members(clusterId))
                .extracting(Member::state, Member::version)
                .containsOnly(org.assertj.core.groups.Tuple.tuple(MemberState.ACTIVE, "2.0"));
        assertThat(views.update(updateId).totals().failed()).isZero();
    }
}
