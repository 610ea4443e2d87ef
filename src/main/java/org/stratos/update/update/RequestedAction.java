package org.stratos.update.update;

/** What an operator asked for; the flows pick it up before the next batch or cluster. */
public enum RequestedAction {
    PAUSE,
    ABORT,
    ABORT_AND_ROLL_BACK
}
