package org.stratos.update.update;

import java.util.Arrays;
import java.util.Optional;

/**
 * What an operator decides at the approval gate (process variable {@code approvalDecision}): let the next batch start,
 * or stop the update there, keeping what it changed or rolling it back.
 */
public enum ApprovalDecision {
    APPROVE("approve"),
    STOP("stop"),
    STOP_AND_ROLL_BACK("stopAndRollBack");

    private final String id;

    ApprovalDecision(String id) {
        this.id = id;
    }

    /** The value of the variable. */
    public String id() {
        return id;
    }

    /** The decision a variable value names, if it names one. */
    public static Optional<ApprovalDecision> of(Object value) {
        return Arrays.stream(values()).filter(d -> d.id.equals(value)).findFirst();
    }

    /** How an operator's abort of an update waiting for approval reads as a decision. */
    static ApprovalDecision abort(boolean rollBack) {
        return rollBack ? STOP_AND_ROLL_BACK : STOP;
    }
}
