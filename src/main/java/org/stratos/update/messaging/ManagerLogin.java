package org.stratos.update.messaging;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * The manager's own broker user and password. With an external broker both come from the configuration; the
 * embedded broker, when no password is configured, gets one made up at start that lives only in this process (the
 * manager and the simulated fleet are the only clients that could use it, and they are in the same JVM).
 */
public record ManagerLogin(String user, String password) {

    static ManagerLogin of(BrokerProperties props) {
        String user = props.user() == null || props.user().isBlank()
                ? "stratos-manager"
                : props.user().trim();
        if (props.password() != null && !props.password().isBlank()) {
            return new ManagerLogin(user, props.password());
        }
        if (!props.embedded()) {
            throw new IllegalStateException("stratos.broker.password (STRATOS_BROKER_PASSWORD) is required with an "
                    + "external broker: the manager logs in as " + user);
        }
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return new ManagerLogin(user, Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
    }

    @Override
    public String toString() {
        return "ManagerLogin[user=" + user + "]";
    }
}
