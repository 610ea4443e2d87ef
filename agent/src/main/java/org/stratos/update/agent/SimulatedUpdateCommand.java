package org.stratos.update.agent;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.stratos.update.messaging.event.instance.notifier.SoftwareUpdateEvent;

/**
 * A Puppet run without Puppet, for the demo fleet and the benchmark: waits {@code duration}, then fails with
 * probability {@code failureRate} (exit 4, Puppet's "failures") or succeeds (exit 2, "changes applied"). Takes no
 * process and no thread of its own.
 */
public final class SimulatedUpdateCommand implements UpdateCommand {

    private final Duration duration;
    private final double failureRate;
    private final RandomGenerator random;

    public SimulatedUpdateCommand(Duration duration, double failureRate, RandomGenerator random) {
        if (duration == null || duration.isNegative()) {
            throw new IllegalArgumentException("duration must be zero or positive: " + duration);
        }
        if (!(failureRate >= 0 && failureRate <= 1)) {
            throw new IllegalArgumentException("failureRate must be between 0 and 1: " + failureRate);
        }
        this.duration = duration;
        this.failureRate = failureRate;
        this.random = Objects.requireNonNull(random, "random");
    }

    @Override
    public CommandResult run(SoftwareUpdateEvent command, Duration timeout) throws InterruptedException {
        long started = System.nanoTime();
        if (duration.compareTo(timeout) > 0) {
            TimeUnit.NANOSECONDS.sleep(timeout.toNanos());
            return CommandResult.timedOut(
                    "Notice: simulated run for " + command.version() + " still busy", millisSince(started));
        }
        TimeUnit.NANOSECONDS.sleep(duration.toNanos());
        if (fails()) {
            return CommandResult.exited(
                    4, false, "Error: simulated failure applying " + command.version(), millisSince(started));
        }
        return CommandResult.exited(
                2, true, "Notice: Applied catalog for version " + command.version(), millisSince(started));
    }

    private boolean fails() {
        if (failureRate == 0) {
            return false;
        }
        synchronized (random) { // most generators are not thread-safe, and a fleet shares one
            return random.nextDouble() < failureRate;
        }
    }

    private static long millisSince(long nanoTime) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanoTime);
    }
}
