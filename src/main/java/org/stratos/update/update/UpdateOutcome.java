package org.stratos.update.update;

/**
 * What an update's flow came to, before the members' state decides the state recorded
 * ({@link RolloutRules#endState}). The {@code updateOutcome} process variable holds {@link #variableValue()}, which
 * the gateway in processes/software-update.bpmn compares with {@code COMPLETED}, {@code ROLLING_BACK},
 * {@code ROLLED_BACK}, {@code FAILED} and {@code ABORTED}; {@code PREFLIGHT_FAILED} is set by the pre-flight.
 */
public enum UpdateOutcome {
    /** every cluster went through */
    COMPLETED,
    /** a cluster did not go through (or an operator asked for it): the clusters updated before are rolled back */
    ROLLING_BACK,
    /** a cluster was rolled back and none before it had been updated */
    ROLLED_BACK,
    /** an operator aborted: no new cluster starts, nothing is rolled back */
    ABORTED,
    /** a cluster failed and nothing is to be rolled back */
    FAILED,
    /** a member failed the pre-flight: nothing changed */
    PREFLIGHT_FAILED;

    /** The value of the {@code updateOutcome} process variable. */
    public String variableValue() {
        return name();
    }

    /** The outcome a process variable names; none or an unknown value is FAILED, never a success. */
    public static UpdateOutcome fromVariable(String value) {
        for (UpdateOutcome o : values()) {
            if (o.variableValue().equals(value)) {
                return o;
            }
        }
        return FAILED;
    }
}
