package org.stratos.update.messaging.broker;

import java.util.Set;

/** Whether a broker principal speaks for a member: the member's commands are then its to read. */
@FunctionalInterface
public interface MemberOwnership {

    boolean speaksFor(String principal, Set<String> groups, String memberId);

    /**
     * The rule a broker without the manager's database can apply: an agent's user name is its member id; a fleet
     * speaks for any member (it is trusted as the host of those it simulates).
     */
    static MemberOwnership byConvention() {
        return (principal, groups, memberId) -> groups.contains(BrokerGroups.FLEETS)
                || groups.contains(BrokerGroups.AGENTS) && memberId.equals(principal);
    }
}
