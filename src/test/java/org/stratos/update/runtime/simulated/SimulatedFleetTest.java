package org.stratos.update.runtime.simulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.stratos.update.support.ManagerTest;
import org.stratos.update.support.TestIds;
import org.stratos.update.topology.ApplicationView;
import org.stratos.update.topology.MemberState;
import org.stratos.update.topology.NewApplication;
import org.stratos.update.topology.TopologyService;

/** Simulated members are real agents in this JVM: they start when their application is registered and join. */
@ManagerTest
class SimulatedFleetTest {

    @Autowired
    TopologyService topology;

    @Autowired
    SimulatedFleet fleet;

    @Test
    void membersOfASimulatedApplicationStartAndJoinThroughTheBroker() {
        String appId = TestIds.applicationId("sim");
        topology.register(new NewApplication(
                appId,
                null,
                List.of(
                        new NewApplication.NewCluster("php", "php", "simulated", "4.1.5", null, 3),
                        new NewApplication.NewCluster("web", "kubernetes", "simulated", null, "stratos/php:4.1.5", 2)),
                null));

        await().atMost(Duration.ofSeconds(20)).until(() -> activeMembers(appId) == 5);

        ApplicationView app = topology.application(appId);
        assertThat(app.clusters())
                .allSatisfy(c -> assertThat(c.members())
                        .allSatisfy(m -> assertThat(m.memberId()).startsWith(c.clusterId())));
        assertThat(app.clusters())
                .filteredOn(c -> c.alias().equals("web"))
                .singleElement()
                .satisfies(c -> assertThat(c.members())
                        .allSatisfy(m -> assertThat(m.version()).isEqualTo("stratos/php:4.1.5")));
        assertThat(fleet.running(appId + ".php.php.domain")).isEqualTo(3);
    }

    private long activeMembers(String appId) {
        return topology.application(appId).clusters().stream()
                .flatMap(c -> c.members().stream())
                .filter(m -> m.state() == MemberState.ACTIVE)
                .count();
    }
}
