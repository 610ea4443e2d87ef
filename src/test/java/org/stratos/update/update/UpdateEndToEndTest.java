package org.stratos.update.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.stratos.update.topology.ApplicationView;
import org.stratos.update.topology.MemberState;
import org.stratos.update.topology.NewApplication;
import org.stratos.update.topology.TopologyService;
import org.stratos.update.support.ManagerTest;
import org.stratos.update.support.TestIds;

/** Whole updates through the engine, the broker and in-JVM agents (the simulated runtime). */
@ManagerTest
class UpdateEndToEndTest {

    @Autowired
    TopologyService topology;
    @Autowired
    UpdateService updates;
    @Autowired
    UpdateRepository records;
    @Autowired
    JdbcClient jdbc;

    @Test
    void phasedUpdateRollsEveryMemberToTheNewVersionOneBatchAtATime() {
        String app = simulatedApplication(4, 0);

        UpdateRecord update = updates.start(app, new UpdateRequest(List.of("php"), null, "2.0.0", null, true, "1",
                null, null, "PT30S", null, null, "PT1M", null, null, null), "tester");

        await().atMost(Duration.ofSeconds(60)).until(() -> records.find(update.id()).orElseThrow().state().ended());
        assertThat(records.find(update.id()).orElseThrow().state()).isEqualTo(UpdateState.COMPLETED);
        ApplicationView view = topology.application(app);
        assertThat(view.clusters().get(0).members()).hasSize(4).allSatisfy(m -> {
            assertThat(m.state()).isEqualTo(MemberState.ACTIVE);
            assertThat(m.version()).isEqualTo("2.0.0");
        });
        assertThat(maxUpdatingAtOnce(app + ".php.php.domain")).isEqualTo(1);
    }

    private String simulatedApplication(int vms, int containers) {
        String app = TestIds.applicationId("e2e");
        topology.register(new NewApplication(app, null, List.of(
                new NewApplication.NewCluster("php", "php", "simulated", "1.0.0", null, vms)), null));
        await().atMost(Duration.ofSeconds(20)).until(() -> topology.application(app).clusters().get(0).members()
                .stream().filter(m -> m.state() == MemberState.ACTIVE).count() == vms);
        return app;
    }

    /** The most members of the cluster that were Updating at the same moment, replayed from the transition log. */
    private int maxUpdatingAtOnce(String clusterId) {
        List<String[]> steps = jdbc.sql("""
                select t.from_state, t.to_state from stratos_member_transition t
                join stratos_member m on m.id = t.member_id where m.cluster_id = ? order by t.at, t.id""")
                .param(clusterId).query((rs, i) -> new String[] {rs.getString(1), rs.getString(2)}).list();
        int now = 0;
        int max = 0;
        for (String[] s : steps) {
            if ("UPDATING".equals(s[1])) {
                now++;
            } else if ("UPDATING".equals(s[0])) {
                now--;
            }
            max = Math.max(max, now);
        }
        return max;
    }
}
