package org.stratos.update.agent;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stratos.update.messaging.event.instance.notifier.SoftwareUpdateEvent;
import org.stratos.update.messaging.event.instance.status.InstanceUpdateFailedEvent;
import org.stratos.update.messaging.event.instance.status.InstanceUpdatedEvent;

/** One update on this member: the command, then the health check; ends in the event that reports the outcome. */
final class UpdateRun {

    private static final Logger log = LoggerFactory.getLogger(UpdateRun.class);

    private final AgentIdentity identity;
    private final AgentSettings settings;
    private final UpdateCommand command;
    private final HealthCheck health;

    UpdateRun(AgentIdentity identity, AgentSettings settings, UpdateCommand command, HealthCheck health) {
        this.identity = identity;
        this.settings = settings;
        this.command = command;
        this.health = health;
    }

    /** An {@link InstanceUpdatedEvent} or an {@link InstanceUpdateFailedEvent}. */
    Object apply(SoftwareUpdateEvent update) throws InterruptedException {
        long started = System.nanoTime();
        CommandResult result;
        try {
            result = command.run(update, settings.commandTimeout());
        } catch (RuntimeException e) {
            log.error("Update {}: the update command broke", update.updateId(), e);
            result = CommandResult.notStarted(e.toString(), millisSince(started));
        }
        if (!result.success()) {
            return failed(update, result, commandFailure(result), result.timedOut() ? InstanceUpdateFailedEvent.TIMED_OUT
                    : result.exitCode() != null ? InstanceUpdateFailedEvent.COMMAND_FAILED
                    : InstanceUpdateFailedEvent.COULD_NOT_RUN, started);
        }
        if (health != HealthCheck.NONE) {
            Duration timeout = duration(update.healthTimeout(), "healthTimeout", settings.healthTimeout());
            Duration minHealthy = duration(update.minHealthyTime(), "minHealthyTime", settings.minHealthyTime());
            Optional<String> unhealthy = new HealthWatch(health, settings.healthInterval()).verify(timeout, minHealthy);
            if (unhealthy.isPresent()) {
                return failed(update, result, unhealthy.get(), InstanceUpdateFailedEvent.HEALTH_CHECK_FAILED, started);
            }
        }
        return new InstanceUpdatedEvent(update.updateId(), identity.applicationId(), identity.serviceName(),
                identity.clusterId(), identity.memberId(), update.version(), update.rollback(), result.exitCode(),
                millisSince(started), health.describe(), update.noop(), null, null);
    }

    private String commandFailure(CommandResult result) {
        if (result.timedOut()) {
            return "update command timed out after " + settings.commandTimeout();
        }
        if (result.exitCode() != null) {
            return "update command exited with " + result.exitCode();
        }
        return "update command could not run";
    }

    private InstanceUpdateFailedEvent failed(SoftwareUpdateEvent update, CommandResult result, String reason,
                                             String failure, long started) {
        return new InstanceUpdateFailedEvent(update.updateId(), identity.applicationId(), identity.serviceName(),
                identity.clusterId(), identity.memberId(), update.version(), update.rollback(), result.exitCode(),
                reason, result.outputTail(), millisSince(started), failure, update.noop(), null, null);
    }

    private static Duration duration(String iso, String field, Duration fallback) {
        if (iso == null || iso.isBlank()) {
            return fallback;
        }
        try {
            Duration value = Duration.parse(iso);
            return value.isNegative() ? fallback : value;
        } catch (DateTimeParseException e) {
            log.warn("Ignoring {} '{}' of the command (not an ISO-8601 duration), using {}", field, iso, fallback);
            return fallback;
        }
    }

    private static long millisSince(long nanoTime) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanoTime);
    }
}
