package org.stratos.update.runtime.simulated;

import java.time.Duration;
import java.util.regex.Pattern;
import org.stratos.update.agent.CommandResult;
import org.stratos.update.agent.UpdateCommand;
import org.stratos.update.messaging.event.instance.notifier.SoftwareUpdateEvent;

/**
 * Versions (or images) that fail on every simulated member, so a demo or a test can show a failed update and its
 * rollback on purpose: {@code stratos.simulated.failing-versions}, by default those ending in {@code -broken}.
 * Rollbacks (to the previous version) are never failed by it; a pre-flight (no-op run) of a failing version fails
 * the same way, so the demo's pre-flight stops such an update before any member changes.
 */
final class FailingVersions implements UpdateCommand {

    private final UpdateCommand simulated;
    private final Pattern failing;
    private final Duration duration;

    FailingVersions(UpdateCommand simulated, Pattern failing, Duration duration) {
        this.simulated = simulated;
        this.failing = failing;
        this.duration = duration;
    }

    static boolean fails(Pattern failing, String version) {
        return version != null && failing.matcher(version).matches();
    }

    @Override
    public CommandResult run(SoftwareUpdateEvent command, Duration timeout) throws InterruptedException {
        if (command.rollback() || !fails(failing, command.version())) {
            return simulated.run(command, timeout);
        }
        Thread.sleep(duration.toMillis());
        return CommandResult.exited(
                4,
                false,
                "Error: Could not apply catalog: version " + command.version() + " is broken (simulated)",
                duration.toMillis());
    }
}
