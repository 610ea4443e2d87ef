package org.stratos.update.update;

import java.time.Duration;

/** The checked, defaulted settings of an update; the same for every cluster it touches. */
public record UpdateSettings(
        boolean compatible,
        Quantity batchSize,
        Quantity maxFailures,
        int minHealthyPercent,
        Duration healthTimeout,
        Duration minHealthyTime,
        Duration bakeTime,
        Duration updateTimeout,
        Approval approval,
        boolean autoRollback,
        boolean surge,
        boolean preflight) {

    static final Quantity DEFAULT_BATCH = new Quantity(25, true);
    static final Quantity DEFAULT_MAX_FAILURES = new Quantity(0, false);
    static final int DEFAULT_MIN_HEALTHY_PERCENT = 0;
    static final Duration DEFAULT_HEALTH_TIMEOUT = Duration.ofMinutes(5);
    static final Duration DEFAULT_UPDATE_TIMEOUT = Duration.ofMinutes(30);

    /** Members per batch in a cluster of {@code size}. */
    public int batchFor(int size) {
        return batchSize.batchOf(size);
    }

    /** Failed members tolerated in a cluster of {@code size}. */
    public int failureBudgetFor(int size) {
        return maxFailures.budgetOf(size);
    }
}
