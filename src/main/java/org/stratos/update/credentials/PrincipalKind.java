package org.stratos.update.credentials;

/** What a broker principal the manager issued stands for. */
public enum PrincipalKind {
    /** One member's agent; the principal's name is the member id. */
    MEMBER,
    /** A process that hosts many members (the simulated fleet, a FleetMain): it speaks for each member registered to it. */
    FLEET
}
