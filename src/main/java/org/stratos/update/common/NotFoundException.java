package org.stratos.update.common;

/** A named thing (application, cluster, member, update) that does not exist. */
public class NotFoundException extends RuntimeException {

    public NotFoundException(String message) {
        super(message);
    }
}
