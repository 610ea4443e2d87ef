package org.stratos.update.agent;

/** The agent could not talk to the broker (subscribe, publish) or could not be set up. */
public class AgentException extends Exception {

    private static final long serialVersionUID = 1L;

    public AgentException(String message) {
        super(message);
    }

    public AgentException(String message, Throwable cause) {
        super(message, cause);
    }
}
