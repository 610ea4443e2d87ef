package org.stratos.update.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stratos.update.messaging.event.instance.notifier.SoftwareUpdateEvent;
import org.stratos.update.messaging.event.instance.status.InstanceUpdateFailedEvent;
import org.stratos.update.messaging.event.instance.status.InstanceUpdatedEvent;

class UpdateLedgerTest {

    @TempDir
    Path dir;

    @Test
    void aNewUpdateRunsARepeatWaitsAndAFinishedOneIsAnsweredFromMemory() {
        UpdateLedger ledger = UpdateLedger.open(null, "1.0");
        SoftwareUpdateEvent command = command("u-1", "2.0", false);

        assertThat(ledger.admit(command).run()).isTrue();
        assertThat(ledger.admit(command)).isEqualTo(new UpdateLedger.Admission(false, null));
        InstanceUpdatedEvent updated = updated(command);
        ledger.complete(command, updated);

        assertThat(ledger.admit(command)).isEqualTo(new UpdateLedger.Admission(false, updated));
        assertThat(ledger.admit(command("u-1", "1.0", true)).run()).isTrue();
        assertThat(ledger.version()).isEqualTo("2.0");
    }

    @Test
    void aFailedUpdateLeavesTheVersionAndIsRememberedAcrossRestarts() {
        UpdateLedger first = UpdateLedger.open(dir, "1.0");
        SoftwareUpdateEvent ok = command("u-ok", "2.0", false);
        SoftwareUpdateEvent bad = command("u-bad", "3.0", false);
        first.admit(ok);
        first.complete(ok, updated(ok));
        first.admit(bad);
        InstanceUpdateFailedEvent failed = new InstanceUpdateFailedEvent(
                "u-bad",
                "shop",
                "php",
                "c",
                "m",
                "3.0",
                false,
                4,
                "update command exited with 4",
                "Error: x",
                12,
                InstanceUpdateFailedEvent.COMMAND_FAILED,
                false,
                null,
                null);
        first.complete(bad, failed);

        UpdateLedger restarted = UpdateLedger.open(dir, "1.0");

        assertThat(restarted.version()).isEqualTo("2.0");
        assertThat(restarted.admit(bad).earlierResult()).isEqualTo(failed);
        assertThat(restarted.admit(ok).earlierResult()).isEqualTo(updated(ok));
        assertThat(UpdateLedger.rememberedVersion(dir)).isEqualTo("2.0");
    }

    @Test
    void theRememberedVersionWinsOverAnOlderConfiguredOne() {
        UpdateLedger first = UpdateLedger.open(dir, "1.0");
        SoftwareUpdateEvent ok = command("u-ok", "1.5", false);
        first.admit(ok);
        first.complete(ok, updated(ok));

        // restarted with the configuration file it was provisioned with
        assertThat(UpdateLedger.open(dir, "1.0").version()).isEqualTo("1.5");
    }

    @Test
    void aNoopRunIsRememberedApartFromTheUpdateAndNeverChangesTheVersion() {
        UpdateLedger ledger = UpdateLedger.open(dir, "1.0");
        SoftwareUpdateEvent preflight = noop(command("u-1", "2.0", false));
        SoftwareUpdateEvent real = command("u-1", "2.0", false);
        ledger.admit(preflight);
        InstanceUpdatedEvent passed = updated(preflight);
        ledger.complete(preflight, passed);

        assertThat(ledger.version()).isEqualTo("1.0");
        assertThat(ledger.admit(real).run()).isTrue();
        ledger.complete(real, updated(real));
        UpdateLedger restarted = UpdateLedger.open(dir, "1.0");
        assertThat(restarted.version()).isEqualTo("2.0");
        assertThat(restarted.admit(preflight).earlierResult()).isEqualTo(passed);
        assertThat(restarted.admit(real).earlierResult()).isEqualTo(updated(real));
    }

    @Test
    void anAbandonedUpdateRunsAgainWhenRepeated() {
        UpdateLedger ledger = UpdateLedger.open(null, "1.0");
        SoftwareUpdateEvent command = command("u-1", "2.0", false);
        ledger.admit(command);

        ledger.abandon(command);

        assertThat(ledger.admit(command).run()).isTrue();
    }

    @Test
    void onlyTheLatestResultsAreRemembered() {
        UpdateLedger ledger = UpdateLedger.open(dir, "1.0");
        for (int i = 0; i <= UpdateLedger.REMEMBERED; i++) {
            SoftwareUpdateEvent command = command("u-" + i, "2." + i, false);
            ledger.admit(command);
            ledger.complete(command, updated(command));
        }

        UpdateLedger restarted = UpdateLedger.open(dir, "1.0");

        assertThat(restarted.admit(command("u-0", "2.0", false)).run()).isTrue();
        assertThat(restarted.admit(command("u-1", "2.1", false)).earlierResult())
                .isNotNull();
    }

    private static SoftwareUpdateEvent command(String updateId, String version, boolean rollback) {
        return new SoftwareUpdateEvent(
                updateId, "shop", "php", "c", "m", version, null, rollback, null, null, null, null, false);
    }

    private static SoftwareUpdateEvent noop(SoftwareUpdateEvent c) {
        return new SoftwareUpdateEvent(
                c.updateId(),
                c.applicationId(),
                c.serviceName(),
                c.clusterId(),
                c.memberId(),
                c.version(),
                c.previousVersion(),
                c.rollback(),
                null,
                null,
                null,
                null,
                true);
    }

    private static InstanceUpdatedEvent updated(SoftwareUpdateEvent command) {
        return new InstanceUpdatedEvent(
                command.updateId(),
                "shop",
                "php",
                "c",
                "m",
                command.version(),
                command.rollback(),
                2,
                10,
                "none",
                command.noop(),
                null,
                null);
    }
}
