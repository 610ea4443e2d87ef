package org.stratos.update.security;

import org.camunda.bpm.engine.authorization.Groups;

/**
 * The Camunda identity groups that decide what a user may do. Their ids double as the roles the API checks
 * ({@code @RolesAllowed}), so a refusal names the group to join.
 */
public final class StratosGroups {

    /** May change things: register applications, start, pause, resume, abort and approve updates. */
    public static final String OPERATORS = "stratos-operators";
    /** May read topology and updates. */
    public static final String VIEWERS = "stratos-viewers";
    /** Camunda's administrators; they count as operators. */
    public static final String CAMUNDA_ADMIN = Groups.CAMUNDA_ADMIN;

    private StratosGroups() {}
}
