package org.stratos.update.topology;

/** An event or request names an application, cluster or member the manager does not know. */
public class UnknownTopologyException extends RuntimeException {

    public UnknownTopologyException(String message) {
        super(message);
    }
}
