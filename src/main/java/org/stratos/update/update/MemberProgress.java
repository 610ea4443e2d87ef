package org.stratos.update.update;

/** How one member of an update stands. */
public enum MemberProgress {
    PENDING,
    UPDATING,
    UPDATED,
    FAILED,
    /** nothing ran (Puppet disabled, its run lock held, or the deadline passed first): the member did not change */
    NOT_APPLIED,
    ROLLING_BACK,
    ROLLED_BACK,
    ROLLBACK_FAILED;

    /** Changed by the update: a rollback has something to undo. */
    public boolean changed() {
        return this == UPDATED || this == FAILED;
    }
}
