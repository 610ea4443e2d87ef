package org.stratos.update.agent;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for a health check to pass within a time-out, then watches it keep passing for a minimum time: a service
 * that answers once and then crashes while warming up has not been updated successfully.
 */
final class HealthWatch {

    private static final Logger log = LoggerFactory.getLogger(HealthWatch.class);

    private final HealthCheck check;
    private final Duration interval;

    HealthWatch(HealthCheck check, Duration interval) {
        this.check = check;
        this.interval = interval;
    }

    /** Empty when healthy, otherwise the one-line reason. */
    Optional<String> verify(Duration timeout, Duration minHealthyTime) throws InterruptedException {
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        while (!passes()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Optional.of("health check " + check.describe() + " did not pass within " + timeout);
            }
            TimeUnit.NANOSECONDS.sleep(Math.min(left, interval.toNanos()));
        }
        long healthySince = System.nanoTime();
        long healthyUntil = healthySince + minHealthyTime.toNanos();
        for (long left; (left = healthyUntil - System.nanoTime()) > 0; ) {
            TimeUnit.NANOSECONDS.sleep(Math.min(left, interval.toNanos()));
            if (!passes()) {
                Duration after = Duration.ofMillis(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - healthySince));
                return Optional.of("health check " + check.describe() + " stopped passing after " + after
                        + " (must pass for " + minHealthyTime + ")");
            }
        }
        return Optional.empty();
    }

    private boolean passes() throws InterruptedException {
        try {
            return check.healthy();
        } catch (RuntimeException e) {
            log.warn("Health check {} failed: {}", check.describe(), e.toString());
            return false;
        }
    }
}
