package org.stratos.update.topology;

import org.stratos.update.common.ConflictException;

/** A state change the transition table forbids. Nothing was changed. */
public class InvalidTransitionException extends ConflictException {

    public InvalidTransitionException(String kind, String id, String from, String to) {
        super(kind + " '" + id + "' cannot go from " + from + " to " + to);
    }
}
