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
        return verify(timeout, minHealthyTime, null);
    }

    /**
     * As {@link #verify(Duration, Duration)}, but gives up after {@code limit} when not null (the command's deadline
     * is near): a check that has not passed, or not for long enough, by then has failed.
     */
    Optional<String> verify(Duration timeout, Duration minHealthyTime, Duration limit) throws InterruptedException {
        long started = System.nanoTime();
        long giveUp = limit == null ? Long.MAX_VALUE : started + limit.toNanos();
        boolean limitFirst = limit != null && limit.compareTo(timeout) < 0;
        long deadline = started + (limitFirst ? limit : timeout).toNanos();
        while (!passes()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Optional.of("health check " + check.describe() + " did not pass within "
                        + (limitFirst ? limit + ", when the report was due" : timeout));
            }
            TimeUnit.NANOSECONDS.sleep(Math.min(left, interval.toNanos()));
        }
        long healthySince = System.nanoTime();
        long healthyUntil = healthySince + minHealthyTime.toNanos();
        for (long left; (left = healthyUntil - System.nanoTime()) > 0; ) {
            if (limit != null && giveUp - System.nanoTime() <= 0) {
                return Optional.of("health check " + check.describe() + " had passed for " + since(healthySince)
                        + " of " + minHealthyTime + " when the report was due");
            }
            long untilGiveUp = limit == null ? left : Math.max(0, giveUp - System.nanoTime());
            TimeUnit.NANOSECONDS.sleep(Math.min(Math.min(left, interval.toNanos()), untilGiveUp));
            if (!passes()) {
                return Optional.of("health check " + check.describe() + " stopped passing after " + since(healthySince)
                        + " (must pass for " + minHealthyTime + ")");
            }
        }
        return Optional.empty();
    }

    private static Duration since(long nanoTime) {
        return Duration.ofMillis(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanoTime));
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
