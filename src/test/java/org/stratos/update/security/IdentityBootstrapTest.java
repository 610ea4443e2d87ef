package org.stratos.update.security;

import java.util.concurrent.atomic.AtomicInteger;

import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Permission;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.stratos.update.support.ManagerTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ManagerTest
class IdentityBootstrapTest {

    @Autowired
    IdentityBootstrap bootstrap;
    @Autowired
    IdentityService identity;
    @Autowired
    AuthorizationService authorizations;
    @Value("${camunda.bpm.admin-user.id}")
    String adminId;

    @Test
    void theGroupsExistAndTheAdminIsAnOperator() {
        assertThat(identity.createGroupQuery().groupIdIn(StratosGroups.OPERATORS, StratosGroups.VIEWERS).count())
                .isEqualTo(2);
        assertThat(identity.createUserQuery().userId(adminId).memberOfGroup(StratosGroups.OPERATORS).count())
                .isEqualTo(1);
    }

    @Test
    void everyGrantIsInTheEngine() {
        for (EngineGrants.Grant grant : EngineGrants.GRANTS) {
            Authorization found = authorizations.createAuthorizationQuery().groupIdIn(grant.groupId())
                    .resourceType(grant.resource()).resourceId(grant.resourceId()).singleResult();
            assertThat(found).as(grant.toString()).isNotNull();
            for (Permission permission : grant.permissions()) {
                assertThat(found.isPermissionGranted(permission)).as(grant + " " + permission).isTrue();
            }
        }
    }

    @Test
    void runningItAgainChangesNothing() {
        long groups = identity.createGroupQuery().count();
        long grants = authorizations.createAuthorizationQuery().count();

        bootstrap.afterSingletonsInstantiated();
        bootstrap.afterSingletonsInstantiated();

        assertThat(identity.createGroupQuery().count()).isEqualTo(groups);
        assertThat(authorizations.createAuthorizationQuery().count()).isEqualTo(grants);
    }

    @Test
    void losingTheRaceToAnotherNodeIsFine() {
        AtomicInteger inserts = new AtomicInteger();

        IdentityBootstrap.insertUnlessRaced(() -> {
            inserts.incrementAndGet();
            throw new ProcessEngineException("duplicate key");
        }, () -> true, "a row another node inserted");

        assertThat(inserts).hasValue(1);
    }

    @Test
    void anInsertFailingForAnotherReasonIsNotHidden() {
        assertThatThrownBy(() -> IdentityBootstrap.insertUnlessRaced(() -> {
            throw new ProcessEngineException("database gone");
        }, () -> false, "a row")).hasMessage("database gone");
    }
}
