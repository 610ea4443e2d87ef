package org.stratos.update.update;

/**
 * What a phased cluster does next ({@link RolloutRules#nextStep}). The flow's gateway after <i>Decide next step</i>
 * compares the {@code nextStep} variable with {@link #variableValue()}: {@code batch}, {@code done}, {@code pause},
 * {@code approve}, {@code stop} (processes/phased-cluster-update.bpmn).
 */
public enum RolloutStep {
    /** the next batch goes */
    BATCH,
    /** no member is left to update */
    DONE,
    /** an operator asked to pause: the cluster waits for resume or abort */
    PAUSE,
    /** the next batch waits for an operator's approval */
    APPROVE,
    /** aborted, or no member may leave service without going below the healthy floor */
    STOP;

    /** The value of the {@code nextStep} process variable. */
    public String variableValue() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
