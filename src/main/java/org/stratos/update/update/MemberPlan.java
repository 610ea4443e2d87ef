package org.stratos.update.update;

import java.time.Duration;

/** How one container member is replaced, as {@code memberUpdate} needs it: with surge or not, and its time limits. */
public record MemberPlan(boolean surge, Duration healthTimeout, Duration minHealthyTime) {}
