package org.stratos.update.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunSummaryTest {

    /** As Debian's Puppet 7.23 writes it after a run that changed one resource. */
    private static final String SUMMARY = """
            ---
            version:
              config: 1796082167
              puppet: 7.23.0
            application:
              run_mode: user
              initial_environment: production
              converged_environment: production
            resources:
              changed: 3
              corrective_change: 0
              failed: 1
              failed_to_restart: 0
              out_of_sync: 4
              total: 8
            time:
              catalog_application: 0.008036791999984416
              total: 0.011040562
              last_run: 1796082167
            changes:
              total: 3
            events:
              failure: 1
              success: 3
              total: 4
            """;

    @TempDir
    Path dir;

    @Test
    void readsTheChangedAndFailedResourcesOfTheRun() throws Exception {
        Path file = Files.writeString(dir.resolve("last_run_summary.yaml"), SUMMARY);

        assertThat(RunSummary.read(file, Instant.ofEpochSecond(1796082160))).isEqualTo(new RunSummary(3, 1));
        assertThat(RunSummary.read(file, Instant.ofEpochSecond(1796082167, 900_000_000)))
                .isEqualTo(new RunSummary(3, 1));
    }

    @Test
    void aSummaryFromAnEarlierRunDoesNotCount() throws Exception {
        Path file = Files.writeString(dir.resolve("last_run_summary.yaml"), SUMMARY);

        assertThat(RunSummary.read(file, Instant.ofEpochSecond(1796082168))).isEqualTo(RunSummary.NONE);
    }

    /** As Debian's Puppet 7.23 writes it after {@code puppet apply --noop} of a new version of the example module. */
    private static final String NOOP_SUMMARY = """
            ---
            version:
              config: 1796098961
              puppet: 7.23.0
            resources:
              changed: 0
              corrective_change: 0
              failed: 0
              failed_to_restart: 0
              out_of_sync: 6
              restarted: 0
              scheduled: 0
              skipped: 0
              total: 15
            time:
              total: 0.035452155
              last_run: 1796098961
            changes:
              total: 0
            events:
              failure: 0
              noop: 6
              success: 0
              total: 6
            """;

    @Test
    void aNoopRunCountsTheResourcesItWouldChangeNotTheNoneItChanged() throws Exception {
        Path file = Files.writeString(dir.resolve("last_run_summary.yaml"), NOOP_SUMMARY);

        assertThat(RunSummary.read(file, Instant.ofEpochSecond(1796098960), true))
                .isEqualTo(new RunSummary(6, 0));
        assertThat(RunSummary.read(file, Instant.ofEpochSecond(1796098960), false))
                .isEqualTo(new RunSummary(0, 0));
    }

    @Test
    void aNoopRunsFailedResourcesAreNotCountedAsChanges() throws Exception {
        Path file = Files.writeString(dir.resolve("last_run_summary.yaml"), SUMMARY); // out_of_sync 4, failed 1

        assertThat(RunSummary.read(file, Instant.ofEpochSecond(1796082160), true))
                .isEqualTo(new RunSummary(3, 1));
        assertThat(RunSummary.read(file, Instant.ofEpochSecond(1796082168), true))
                .as("an earlier run's summary does not count, no-op or not")
                .isEqualTo(RunSummary.NONE);
    }

    @Test
    void noFileOrNoTimeGivesNoCounts() throws Exception {
        Path noTime = Files.writeString(dir.resolve("broken.yaml"), "resources:\n  changed: 3\n");

        assertThat(RunSummary.read(dir.resolve("missing.yaml"), Instant.EPOCH)).isEqualTo(RunSummary.NONE);
        assertThat(RunSummary.read(noTime, Instant.EPOCH)).isEqualTo(RunSummary.NONE);
        assertThat(RunSummary.read(Files.writeString(dir.resolve("junk.yaml"), "\u0000:::\n  - ["), Instant.EPOCH))
                .isEqualTo(RunSummary.NONE);
    }
}
