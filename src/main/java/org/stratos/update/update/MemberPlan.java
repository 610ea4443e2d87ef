package org.stratos.update.update;

import java.time.Duration;

/**
 * How one member is updated, as {@code memberUpdate} needs it: by the agent or by replacement, with surge or not,
 * and the time limits of its timers.
 */
public record MemberPlan(boolean replace, boolean surge, Duration applyTimeout, Duration healthTimeout,
                         Duration minHealthyTime, Duration resendInterval) {
}
