package org.stratos.update.security;

import java.security.Principal;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * An authenticated user and its roles: the ids of its Camunda groups, plus {@link StratosGroups#OPERATORS} for
 * members of {@code camunda-admin}.
 */
record Caller(String userId, Set<String> roles) implements Principal {

    Caller {
        roles = Set.copyOf(roles);
    }

    static Caller of(String userId, Collection<String> groupIds) {
        Set<String> roles = new HashSet<>(groupIds);
        if (roles.contains(StratosGroups.CAMUNDA_ADMIN)) {
            roles.add(StratosGroups.OPERATORS);
        }
        return new Caller(userId, roles);
    }

    boolean isViewerOrOperator() {
        return roles.contains(StratosGroups.VIEWERS) || roles.contains(StratosGroups.OPERATORS);
    }

    @Override
    public String getName() {
        return userId;
    }
}
