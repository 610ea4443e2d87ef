package org.stratos.update.messaging;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.stratos.update.credentials.AgentCredentials;
import org.stratos.update.credentials.PrincipalKind;
import org.stratos.update.messaging.broker.BrokerGroups;
import org.stratos.update.messaging.broker.BrokerPrincipals;
import org.stratos.update.messaging.broker.MemberOwnership;

/**
 * Who the embedded broker lets in, and what they may read: the manager (its configured or made-up login) and the
 * agents and fleets whose credentials the manager issued, each speaking for the members registered to it.
 */
final class EmbeddedBrokerPrincipals implements BrokerPrincipals, MemberOwnership {

    private final ManagerLogin manager;
    // looked up when an agent first logs in: the credentials need the topology, whose events need the broker
    private final ObjectProvider<AgentCredentials> credentials;

    EmbeddedBrokerPrincipals(ManagerLogin manager, ObjectProvider<AgentCredentials> credentials) {
        this.manager = manager;
        this.credentials = credentials;
    }

    @Override
    public Optional<Set<String>> authenticate(String user, String password) {
        if (user.equals(manager.user())) {
            return MessageDigest.isEqual(
                            password.getBytes(StandardCharsets.UTF_8),
                            manager.password().getBytes(StandardCharsets.UTF_8))
                    ? Optional.of(Set.of(BrokerGroups.MANAGERS))
                    : Optional.empty();
        }
        return credentials
                .getObject()
                .authenticate(user, password)
                .map(kind -> Set.of(kind == PrincipalKind.FLEET ? BrokerGroups.FLEETS : BrokerGroups.AGENTS));
    }

    @Override
    public boolean speaksFor(String principal, Set<String> groups, String memberId) {
        return credentials.getObject().speaksFor(principal, memberId);
    }
}
