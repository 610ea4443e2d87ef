package org.stratos.update.agent;

import static org.stratos.update.messaging.event.instance.status.InstanceUpdateFailedEvent.COMMAND_FAILED;
import static org.stratos.update.messaging.event.instance.status.InstanceUpdateFailedEvent.COULD_NOT_RUN;
import static org.stratos.update.messaging.event.instance.status.InstanceUpdateFailedEvent.DISABLED;
import static org.stratos.update.messaging.event.instance.status.InstanceUpdateFailedEvent.EXPIRED;
import static org.stratos.update.messaging.event.instance.status.InstanceUpdateFailedEvent.HEALTH_CHECK_FAILED;
import static org.stratos.update.messaging.event.instance.status.InstanceUpdateFailedEvent.LOCKED;
import static org.stratos.update.messaging.event.instance.status.InstanceUpdateFailedEvent.TIMED_OUT;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stratos.update.messaging.event.instance.notifier.SoftwareUpdateEvent;
import org.stratos.update.messaging.event.instance.status.InstanceUpdateFailedEvent;
import org.stratos.update.messaging.event.instance.status.InstanceUpdatedEvent;

/**
 * One update on this member, from the moment it may start to the event that reports it: past its deadline it does
 * not run (EXPIRED); Puppet disabled by an operator, it does not run (DISABLED); while another Puppet run holds the
 * run lock it waits, at most until the deadline (LOCKED); then the fact file, the command (stopped at its time-out:
 * TIMED_OUT), Puppet's last run summary, and the health check. A no-op command runs the command in no-op mode, puts
 * the fact file back as it was, and checks no health (nothing changed).
 */
final class UpdateRun {

    private static final Logger log = LoggerFactory.getLogger(UpdateRun.class);
    /** What {@code puppet agent} prints when it did not run because of the run lock (it exits 1 then). */
    static final List<String> PUPPET_LOCKED = List.of(
            "already in progress; skipping", "Exiting now because the maxwaitforlock timeout has been exceeded");
    /** What {@code puppet agent} prints when it did not run because of {@code --disable} (it exits 1 then). */
    static final List<String> PUPPET_DISABLED = List.of("; administratively disabled");

    private final AgentIdentity identity;
    private final AgentSettings settings;
    private final UpdateCommand command;
    private final HealthCheck health;
    private final PuppetLocks locks;
    private final FactFile facts;
    private final Clock clock = Clock.systemUTC();

    UpdateRun(AgentIdentity identity, AgentSettings settings, UpdateCommand command, HealthCheck health) {
        this.identity = identity;
        this.settings = settings;
        this.command = command;
        this.health = health;
        this.locks = new PuppetLocks(settings.puppet());
        this.facts = settings.puppet().factsFile() == null
                ? null
                : new FactFile(settings.puppet().factsFile());
    }

    /**
     * An {@link InstanceUpdatedEvent} or an {@link InstanceUpdateFailedEvent}.
     *
     * @param currentVersion the version the member runs now: the previous version when the command names none
     */
    Object apply(SoftwareUpdateEvent received, String currentVersion) throws InterruptedException {
        long started = System.nanoTime();
        SoftwareUpdateEvent update =
                received.previousVersion() != null ? received : withPrevious(received, currentVersion);
        RunLimits limits = RunLimits.of(update, settings.commandTimeout(), clock);
        if (limits.expired()) {
            return expired(update, limits, started);
        }
        String disabled = locks.disabledReason();
        if (disabled != null) {
            return notRun(
                    update,
                    DISABLED,
                    "Puppet is administratively disabled (puppet agent --disable"
                            + (disabled.isBlank() ? "" : ": " + disabled) + "); nothing ran",
                    started);
        }
        String locked = locks.awaitRunLock(limits, settings.lockWaitInterval(), identity.memberId());
        if (locked != null) {
            return notRun(update, LOCKED, locked, started);
        }
        if (limits.expired()) { // the lock was released just before the deadline
            return expired(update, limits, started);
        }
        byte[] factsBefore = null;
        try {
            if (facts != null) {
                factsBefore = facts.snapshot();
                facts.write(update, update.previousVersion());
            }
        } catch (IOException e) {
            return failed(
                    update,
                    CommandResult.notStarted(e.toString(), millisSince(started)),
                    RunSummary.NONE,
                    "cannot write the fact file " + facts + ": " + e.getMessage(),
                    COULD_NOT_RUN,
                    started);
        }
        Object result = null;
        try {
            result = runCommand(update, limits, started);
            return result;
        } finally {
            // a no-op run changes nothing, nor does one Puppet refused: scheduled runs must go on with what was there
            if (facts != null
                    && (update.noop()
                            || result == null
                            || result instanceof InstanceUpdateFailedEvent f
                                    && InstanceUpdateFailedEvent.unchanged(f.failure()))) {
                restoreFacts(factsBefore);
            }
        }
    }

    private Object runCommand(SoftwareUpdateEvent update, RunLimits limits, long started) throws InterruptedException {
        while (true) {
            Duration timeout = limits.commandTimeout();
            boolean deadlineBinds = limits.deadlineBinds();
            Instant runStarted = clock.instant();
            CommandResult result;
            try {
                result = command.run(update, timeout);
            } catch (RuntimeException e) {
                log.error("Update {}: the update command broke", update.updateId(), e);
                result = CommandResult.notStarted(e.toString(), millisSince(started));
            }
            if (!result.success() && result.exitCode() != null && says(result, PUPPET_DISABLED)) {
                return failed(
                        update,
                        result,
                        RunSummary.NONE,
                        "Puppet is administratively disabled (puppet agent " + "--disable); nothing ran",
                        DISABLED,
                        started);
            }
            if (!result.success() && result.exitCode() != null && says(result, PUPPET_LOCKED)) {
                Duration pause = limits.lockPause(settings.lockWaitInterval());
                if (pause.compareTo(settings.lockWaitInterval()) < 0) { // no time left for another try
                    return failed(
                            update,
                            result,
                            RunSummary.NONE,
                            "another Puppet run held the run lock " + limits.lockWaitBound() + "; nothing ran",
                            LOCKED,
                            started);
                }
                log.info(
                        "Update {}: another Puppet run holds the run lock, trying again in {}",
                        update.updateId(),
                        pause);
                TimeUnit.NANOSECONDS.sleep(pause.toNanos());
                continue;
            }
            RunSummary summary = RunSummary.read(settings.puppet().summaryFile(), runStarted, update.noop());
            if (!result.success()) {
                return failed(
                        update,
                        result,
                        summary,
                        commandFailure(result, timeout, deadlineBinds, limits),
                        result.timedOut() ? TIMED_OUT : result.exitCode() != null ? COMMAND_FAILED : COULD_NOT_RUN,
                        started);
            }
            if (health != HealthCheck.NONE && !update.noop()) {
                Optional<String> unhealthy = checkHealth(update, limits);
                if (unhealthy.isPresent()) {
                    return failed(update, result, summary, unhealthy.get(), HEALTH_CHECK_FAILED, started);
                }
            }
            return new InstanceUpdatedEvent(
                    update.updateId(),
                    identity.applicationId(),
                    identity.serviceName(),
                    identity.clusterId(),
                    identity.memberId(),
                    update.version(),
                    update.rollback(),
                    result.exitCode(),
                    millisSince(started),
                    update.noop() ? HealthCheck.NONE.describe() : health.describe(),
                    update.noop(),
                    summary.resourcesChanged(),
                    summary.resourcesFailed());
        }
    }

    private Optional<String> checkHealth(SoftwareUpdateEvent update, RunLimits limits) throws InterruptedException {
        Duration timeout = duration(update.healthTimeout(), "healthTimeout", settings.healthTimeout());
        Duration minHealthy = duration(update.minHealthyTime(), "minHealthyTime", settings.minHealthyTime());
        Duration limit = limits.deadline() == null ? null : limits.beforeDeadline(timeout.plus(minHealthy));
        return new HealthWatch(health, settings.healthInterval()).verify(timeout, minHealthy, limit);
    }

    private void restoreFacts(byte[] before) {
        try {
            facts.restore(before);
        } catch (IOException e) {
            log.error("Could not put the fact file {} back as it was before the run: {}", facts, e.toString());
        }
    }

    private static boolean says(CommandResult result, List<String> messages) {
        return result.outputTail() != null && messages.stream().anyMatch(result.outputTail()::contains);
    }

    private static String commandFailure(
            CommandResult result, Duration timeout, boolean deadlineBinds, RunLimits limits) {
        if (result.timedOut()) {
            return deadlineBinds
                    ? "update command stopped after " + timeout + " to report before the deadline " + limits.deadline()
                    : "update command timed out after " + timeout;
        }
        if (result.exitCode() != null) {
            return "update command exited with " + result.exitCode();
        }
        return "update command could not run";
    }

    private InstanceUpdateFailedEvent expired(SoftwareUpdateEvent update, RunLimits limits, long started) {
        return notRun(
                update,
                EXPIRED,
                "the deadline " + limits.deadline() + " had passed before the run could start",
                started);
    }

    private InstanceUpdateFailedEvent notRun(SoftwareUpdateEvent update, String failure, String reason, long started) {
        log.warn("Update {}: {}", update.updateId(), reason);
        return new InstanceUpdateFailedEvent(
                update.updateId(),
                identity.applicationId(),
                identity.serviceName(),
                identity.clusterId(),
                identity.memberId(),
                update.version(),
                update.rollback(),
                null,
                reason,
                null,
                millisSince(started),
                failure,
                update.noop(),
                null,
                null);
    }

    private InstanceUpdateFailedEvent failed(
            SoftwareUpdateEvent update,
            CommandResult result,
            RunSummary summary,
            String reason,
            String failure,
            long started) {
        return new InstanceUpdateFailedEvent(
                update.updateId(),
                identity.applicationId(),
                identity.serviceName(),
                identity.clusterId(),
                identity.memberId(),
                update.version(),
                update.rollback(),
                result.exitCode(),
                reason,
                result.outputTail(),
                millisSince(started),
                failure,
                update.noop(),
                summary.resourcesChanged(),
                summary.resourcesFailed());
    }

    private static SoftwareUpdateEvent withPrevious(SoftwareUpdateEvent c, String previousVersion) {
        return new SoftwareUpdateEvent(
                c.updateId(),
                c.applicationId(),
                c.serviceName(),
                c.clusterId(),
                c.memberId(),
                c.version(),
                previousVersion,
                c.rollback(),
                c.healthTimeout(),
                c.minHealthyTime(),
                c.updateTimeout(),
                c.deadline(),
                c.noop());
    }

    static Duration duration(String iso, String field, Duration fallback) {
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
