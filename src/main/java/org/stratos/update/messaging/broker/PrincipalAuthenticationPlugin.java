package org.stratos.update.messaging.broker;

import java.io.IOException;
import java.security.Principal;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.activemq.broker.Broker;
import org.apache.activemq.broker.BrokerPlugin;
import org.apache.activemq.broker.ConnectionContext;
import org.apache.activemq.command.ConnectionInfo;
import org.apache.activemq.jaas.GroupPrincipal;
import org.apache.activemq.security.AbstractAuthenticationBroker;
import org.apache.activemq.security.SecurityContext;

/**
 * The embedded broker's authentication: every connection, over TCP, TLS or {@code vm://}, names a user and its
 * password, checked by {@link BrokerPrincipals}; there is no anonymous access. Connections of a user whose
 * credentials were rotated or revoked can be closed at once ({@link #disconnect}).
 */
public final class PrincipalAuthenticationPlugin implements BrokerPlugin {

    private final BrokerPrincipals principals;
    private volatile AuthenticationBroker installed;

    public PrincipalAuthenticationPlugin(BrokerPrincipals principals) {
        this.principals = principals;
    }

    @Override
    public Broker installPlugin(Broker broker) {
        AuthenticationBroker authentication = new AuthenticationBroker(broker, principals);
        installed = authentication;
        return authentication;
    }

    /** Closes every connection of {@code user}; its clients must log in again, with credentials that still hold. */
    public void disconnect(String user, String reason) {
        AuthenticationBroker authentication = installed;
        if (authentication != null) {
            authentication.disconnect(user, reason);
        }
    }

    private static final class AuthenticationBroker extends AbstractAuthenticationBroker {

        private final BrokerPrincipals principals;
        private final Map<String, Set<ConnectionContext>> connections = new ConcurrentHashMap<>();

        AuthenticationBroker(Broker next, BrokerPrincipals principals) {
            super(next);
            this.principals = principals;
        }

        @Override
        public void addConnection(ConnectionContext context, ConnectionInfo info) throws Exception {
            SecurityContext security = context.getSecurityContext();
            if (security == null) {
                security = authenticate(info.getUserName(), info.getPassword(), null);
                context.setSecurityContext(security);
                securityContexts.add(security);
            }
            try {
                super.addConnection(context, info);
            } catch (Exception e) {
                securityContexts.remove(security);
                context.setSecurityContext(null);
                throw e;
            }
            connections
                    .computeIfAbsent(security.getUserName(), u -> ConcurrentHashMap.newKeySet())
                    .add(context);
        }

        @Override
        public void removeConnection(ConnectionContext context, ConnectionInfo info, Throwable error) throws Exception {
            SecurityContext security = context.getSecurityContext();
            if (security != null) {
                connections.computeIfPresent(security.getUserName(), (u, set) -> {
                    set.remove(context);
                    return set.isEmpty() ? null : set;
                });
            }
            super.removeConnection(context, info, error);
        }

        @Override
        public SecurityContext authenticate(String user, String password, X509Certificate[] certificates) {
            Set<String> groups = user == null || password == null
                    ? null
                    : principals.authenticate(user, password).orElse(null);
            if (groups == null) {
                throw new SecurityException("User name [" + user + "] or password is invalid.");
            }
            Set<Principal> granted = groups.stream().map(GroupPrincipal::new).collect(Collectors.toUnmodifiableSet());
            return new SecurityContext(user) {
                @Override
                public Set<Principal> getPrincipals() {
                    return granted;
                }
            };
        }

        void disconnect(String user, String reason) {
            Set<ConnectionContext> open = connections.remove(user);
            if (open != null) {
                open.forEach(c -> c.getConnection().serviceExceptionAsync(new IOException(reason)));
            }
        }
    }
}
