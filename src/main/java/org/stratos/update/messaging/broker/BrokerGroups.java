package org.stratos.update.messaging.broker;

import java.security.Principal;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.activemq.security.SecurityContext;

/**
 * The broker groups the authorization rules know. A connection's groups come from its authentication: the embedded
 * broker's {@link PrincipalAuthenticationPlugin}, or an external broker's own (JAAS {@code groups.properties}).
 */
public final class BrokerGroups {

    /** The manager (every node): publishes commands and topology events, reads the status queues. */
    public static final String MANAGERS = "stratos-managers";
    /** One member's agent: its broker user is its member id. */
    public static final String AGENTS = "stratos-agents";
    /** A process hosting many members (the simulated fleet, a FleetMain): speaks for the members registered to it. */
    public static final String FLEETS = "stratos-fleets";
    /** Load balancers and dashboards: read the {@code topology.*} events. */
    public static final String OBSERVERS = "stratos-observers";

    private BrokerGroups() {}

    /** The group names of a connection's principals. */
    static Set<String> of(SecurityContext context) {
        Set<Principal> principals = context.getPrincipals();
        return principals == null
                ? Set.of()
                : principals.stream().map(Principal::getName).collect(Collectors.toUnmodifiableSet());
    }
}
