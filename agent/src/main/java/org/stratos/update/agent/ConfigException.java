package org.stratos.update.agent;

/** The standalone agent's configuration is missing a key or has a wrong value; the message says which, in one line. */
final class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    ConfigException(String message) {
        super(message);
    }
}
