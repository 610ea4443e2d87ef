package org.stratos.update.update;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.stratos.update.support.ManagerTest;
import org.stratos.update.support.TestIds;
import org.stratos.update.topology.NewApplication;
import org.stratos.update.topology.TopologyService;

/** What the update tables keep of long messages, and how the record of a report's member is found. */
@ManagerTest
class UpdateRecordsTest {

    @Autowired
    UpdateRepository repository;

    @Autowired
    TopologyService topology;

    @Test
    void aClusterMessageLongerThanItsColumnIsKeptShortenedInsteadOfFailingTheStep() {
        String update = newUpdate();
        String cluster = update + ".php";
        repository.insert(new ClusterRecord(
                update,
                cluster,
                0,
                ClusterProgress.PENDING,
                "1.0",
                "2.0",
                0,
                0,
                0,
                0,
                0,
                0,
                "x".repeat(1500),
                null,
                null));
        assertThat(repository.cluster(update, cluster).orElseThrow().message()).hasSize(1000);

        // as a rollback of 10,000 members said it: the reason lists members not back
        String reason = "more members failed than maxFailures allows (471 > 0); 1812 member(s) not back: "
                + "bench.php.php.domain00000000-0000-0000-0000-000000000000, ".repeat(30);
        repository.setClusterState(update, cluster, ClusterProgress.ROLLING_BACK, reason, null);

        ClusterRecord stored = repository.cluster(update, cluster).orElseThrow();
        assertThat(stored.state()).isEqualTo(ClusterProgress.ROLLING_BACK);
        assertThat(stored.message())
                .hasSize(1000)
                .startsWith("more members failed")
                .endsWith("...");
    }

    @Test
    void theRecordOfAReportIsTheOneWhosePlaceTheMemberHoldsInThatUpdate() {
        String first = newUpdate();
        String second = newUpdate();
        String cluster = first + ".php";
        // the same member in two updates, and a member replaced by another in the second
        repository.insertMembers(first, cluster, 1, List.of("m-1", "m-2"), List.of("1.0", "1.0"), "2.0");
        repository.insertMembers(second, cluster, 1, List.of("m-1", "m-2"), List.of("2.0", "2.0"), "3.0");
        repository.setCurrentMember(second, "m-2", "m-2b");

        assertThat(repository.memberByCurrentId(first, "m-1").orElseThrow().updateId())
                .isEqualTo(first);
        assertThat(repository.memberByCurrentId(second, "m-1").orElseThrow().updateId())
                .isEqualTo(second);
        MemberRecord holder = repository.memberByCurrentId(second, "m-2b").orElseThrow();
        assertThat(holder.memberId()).isEqualTo("m-2");
        assertThat(holder.updateId()).isEqualTo(second);
        // the replaced member's own record, when no record names it as the holder
        assertThat(repository.memberByCurrentId(second, "m-2").orElseThrow().memberId())
                .isEqualTo("m-2");
        assertThat(repository.memberByCurrentId(first, "m-2b")).isEmpty();
    }

    private String newUpdate() {
        String app = TestIds.applicationId("records");
        topology.register(new NewApplication(
                app, null, List.of(new NewApplication.NewCluster("php", "php", "puppet", "1.0", null, null)), null));
        String id = "upd-" + app;
        repository.insert(
                new UpdateRecord(id, app, UpdateState.RUNNING, "{}", null, null, "test", Instant.now(), null, null));
        return id;
    }
}
