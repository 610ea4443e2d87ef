package org.stratos.update.update;

/** Where an update stands, as the API and Cockpit users see it. */
public enum UpdateState {
    RUNNING,
    PAUSING,
    PAUSED,
    WAITING_FOR_APPROVAL,
    ABORTING,
    ROLLING_BACK,
    COMPLETED,
    COMPLETED_WITH_FAILURES,
    ROLLED_BACK,
    ROLLBACK_FAILED,
    PREFLIGHT_FAILED,
    FAILED,
    ABORTED,
    CANCELLED;

    public boolean ended() {
        return switch (this) {
            case COMPLETED,
                    COMPLETED_WITH_FAILURES,
                    ROLLED_BACK,
                    ROLLBACK_FAILED,
                    PREFLIGHT_FAILED,
                    FAILED,
                    ABORTED,
                    CANCELLED -> true;
            default -> false;
        };
    }
}
