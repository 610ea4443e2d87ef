package org.stratos.update.common;

/** A request the current state forbids: an invalid state transition, a cluster held by another update. */
public class ConflictException extends RuntimeException {

    public ConflictException(String message) {
        super(message);
    }
}
