package org.stratos.update.support;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.stratos.update.messaging.broker.BrokerPrincipals;

/**
 * A broker's user list as an external broker keeps it (JAAS {@code users.properties} and {@code groups.properties}):
 * for brokers a test starts outside a manager. Users can be added while the broker runs, as {@code reload=true} allows.
 */
public final class StaticBrokerUsers implements BrokerPrincipals {

    private final Map<String, String> passwords = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> groups = new ConcurrentHashMap<>();

    public StaticBrokerUsers add(String user, String password, String group) {
        passwords.put(user, password);
        groups.put(user, Set.of(group));
        return this;
    }

    @Override
    public Optional<Set<String>> authenticate(String user, String password) {
        return password.equals(passwords.get(user)) ? Optional.of(groups.get(user)) : Optional.empty();
    }
}
