package org.stratos.update.topology;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Member states of Stratos 4.1 and the added {@link #UPDATING}. {@link #canMoveTo} is the transition table; nothing
 * changes a member's state without asking it. Names as Stratos spelt them ({@code In_Maintenance}).
 */
public enum MemberState {
    CREATED("Created"),
    INITIALIZED("Initialized"),
    STARTING("Starting"),
    ACTIVE("Active"),
    UPDATING("Updating"),
    SUSPENDED("Suspended"),
    IN_MAINTENANCE("In_Maintenance"),
    READY_TO_SHUT_DOWN("ReadyToShutDown"),
    TERMINATED("Terminated");

    private static final Map<MemberState, Set<MemberState>> NEXT = Map.of(
            // added: a member that never became ready (a replacement container that failed) can be removed
            CREATED, EnumSet.of(INITIALIZED, TERMINATED),
            INITIALIZED, EnumSet.of(STARTING, TERMINATED),
            STARTING, EnumSet.of(ACTIVE, TERMINATED),
            ACTIVE, EnumSet.of(SUSPENDED, IN_MAINTENANCE, STARTING, UPDATING),
            // the one rule of the mission: Updating ends in Active (updated or rolled back), Suspended (failed,
            // out of service) or Terminated (a replaced container)
            UPDATING, EnumSet.of(ACTIVE, SUSPENDED, TERMINATED),
            // added: a member suspended by a failed update may be updated again (rolled back, or retried); a pod
            // suspended because it stopped being ready is back in service when Kubernetes reports it ready again
            SUSPENDED, EnumSet.of(TERMINATED, UPDATING, ACTIVE),
            IN_MAINTENANCE, EnumSet.of(READY_TO_SHUT_DOWN),
            READY_TO_SHUT_DOWN, EnumSet.of(TERMINATED),
            TERMINATED, EnumSet.noneOf(MemberState.class));

    private final String stratosName;

    MemberState(String stratosName) {
        this.stratosName = stratosName;
    }

    public boolean canMoveTo(MemberState next) {
        return NEXT.get(this).contains(next);
    }

    public Set<MemberState> nextStates() {
        return Collections.unmodifiableSet(NEXT.get(this));
    }

    @JsonValue
    public String stratosName() {
        return stratosName;
    }

    @JsonCreator
    public static MemberState of(String name) {
        return Arrays.stream(values())
                .filter(s -> s.stratosName.equalsIgnoreCase(name) || s.name().equalsIgnoreCase(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown member state '" + name + "'"));
    }

    @Override
    public String toString() {
        return stratosName;
    }
}
