package org.stratos.update.security;

import java.util.function.BooleanSupplier;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.authorization.Groups;
import org.camunda.bpm.engine.identity.Group;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * At start-up, once the engine is built (and the Camunda starter has created the admin user): makes sure the groups
 * {@code stratos-operators} and {@code stratos-viewers} exist, the admin user is an operator, and the groups hold their
 * engine authorizations ({@link EngineGrants}). Idempotent, and safe when two manager nodes start at once on one
 * database: whoever loses the race to insert finds the row there and carries on.
 */
@Component
class IdentityBootstrap implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(IdentityBootstrap.class);

    private final IdentityService identity;
    private final EngineGrants grants;
    private final String adminUserId;

    IdentityBootstrap(
            IdentityService identity, EngineGrants grants, @Value("${camunda.bpm.admin-user.id:}") String adminUserId) {
        this.identity = identity;
        this.grants = grants;
        this.adminUserId = adminUserId;
    }

    @Override
    public void afterSingletonsInstantiated() {
        ensureGroup(StratosGroups.OPERATORS, "Stratos operators");
        ensureGroup(StratosGroups.VIEWERS, "Stratos viewers");
        if (!adminUserId.isBlank()
                && identity.createUserQuery().userId(adminUserId).count() > 0) {
            ensureMembership(adminUserId, StratosGroups.OPERATORS);
        }
        grants.ensure();
    }

    void ensureGroup(String groupId, String name) {
        BooleanSupplier exists =
                () -> identity.createGroupQuery().groupId(groupId).count() > 0;
        if (exists.getAsBoolean()) {
            return;
        }
        Group group = identity.newGroup(groupId);
        group.setName(name);
        group.setType(Groups.GROUP_TYPE_WORKFLOW);
        insertUnlessRaced(() -> identity.saveGroup(group), exists, "group " + groupId);
    }

    void ensureMembership(String userId, String groupId) {
        BooleanSupplier exists = () ->
                identity.createUserQuery().userId(userId).memberOfGroup(groupId).count() > 0;
        if (exists.getAsBoolean()) {
            return;
        }
        insertUnlessRaced(() -> identity.createMembership(userId, groupId), exists, userId + " in " + groupId);
    }

    /** Runs the insert; if it fails because another node inserted the same row meanwhile, that is fine. */
    static void insertUnlessRaced(Runnable insert, BooleanSupplier existsNow, String what) {
        unlessRaced(insert, existsNow, "Created " + what);
    }

    /**
     * Runs a change of a row and logs {@code done}; if the change fails because another node made it meanwhile
     * ({@code doneNow} then holds), that is fine.
     */
    static void unlessRaced(Runnable change, BooleanSupplier doneNow, String done) {
        try {
            change.run();
            log.info(done);
        } catch (ProcessEngineException e) {
            if (!doneNow.getAsBoolean()) {
                throw e;
            }
            log.debug("Another node did it first: {}", done);
        }
    }
}
