package org.stratos.update.agent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stratos.update.messaging.event.instance.notifier.SoftwareUpdateEvent;

/**
 * The time bounds of one command. The command's {@code updateTimeout}, bounded by the agent's own
 * {@code update.timeout}, limits the update command. The command's {@code deadline} is when the manager needs the
 * report: no run starts past it, and every wait (the run lock, the command, the health check) ends
 * {@link #REPORT_RESERVE} before it, so that the report still goes out in time. Without a deadline, waiting for the
 * run lock is bounded by the time-out. A value that cannot be parsed is logged and ignored, like the command's
 * health durations.
 */
final class RunLimits {

    static final Duration REPORT_RESERVE = Duration.ofSeconds(2);

    private static final Logger log = LoggerFactory.getLogger(RunLimits.class);

    private final Clock clock;
    private final Duration timeout;
    private final Instant deadline;
    private final Instant waitsEnd;

    RunLimits(Clock clock, Duration timeout, Instant deadline) {
        this.clock = clock;
        this.timeout = timeout;
        this.deadline = deadline;
        this.waitsEnd = deadline != null
                ? deadline.minus(REPORT_RESERVE)
                : clock.instant().plus(timeout);
    }

    static RunLimits of(SoftwareUpdateEvent command, Duration agentTimeout, Clock clock) {
        Duration asked = UpdateRun.duration(command.updateTimeout(), "updateTimeout", agentTimeout);
        Duration timeout = !asked.isZero() && asked.compareTo(agentTimeout) < 0 ? asked : agentTimeout;
        return new RunLimits(clock, timeout, instant(command.deadline()));
    }

    /** The command's deadline; null when it has none. */
    Instant deadline() {
        return deadline;
    }

    /** True when the deadline leaves no time to run before the report is due. */
    boolean expired() {
        return deadline != null && !clock.instant().isBefore(waitsEnd);
    }

    /** How long the update command may run when it starts now: its time-out, or less when the deadline is nearer. */
    Duration commandTimeout() {
        return beforeDeadline(timeout);
    }

    /** Whether the deadline, not the time-out, limits a command that starts now. */
    boolean deadlineBinds() {
        return commandTimeout().compareTo(timeout) < 0;
    }

    /** {@code wanted}, or what is left before the report is due when that is less (never negative). */
    Duration beforeDeadline(Duration wanted) {
        return deadline == null ? wanted : min(wanted, Duration.between(clock.instant(), waitsEnd));
    }

    /** A pause of at most {@code wanted} while waiting for the run lock; zero when the wait is over. */
    Duration lockPause(Duration wanted) {
        return min(wanted, Duration.between(clock.instant(), waitsEnd));
    }

    /** Says how long a wait for the run lock may last, for reasons: until the deadline, or the time-out. */
    String lockWaitBound() {
        return deadline != null ? "until the deadline " + deadline : "for " + timeout;
    }

    private static Duration min(Duration wanted, Duration left) {
        if (left.isNegative()) {
            return Duration.ZERO;
        }
        return left.compareTo(wanted) < 0 ? left : wanted;
    }

    private static Instant instant(String iso) {
        if (iso == null || iso.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(iso);
        } catch (DateTimeParseException e) {
            log.warn("Ignoring deadline '{}' of the command (not an ISO-8601 instant)", iso);
            return null;
        }
    }
}
