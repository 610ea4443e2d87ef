package org.stratos.update.messaging.broker;

import java.util.Optional;
import java.util.Set;

/** The users the embedded broker accepts, and the {@link BrokerGroups} each one is in. */
@FunctionalInterface
public interface BrokerPrincipals {

    /** The user's groups when {@code password} is the user's; empty when the connection must be refused. */
    Optional<Set<String>> authenticate(String user, String password);
}
