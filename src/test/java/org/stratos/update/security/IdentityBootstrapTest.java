package org.stratos.update.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.BatchPermissions;
import org.camunda.bpm.engine.authorization.HistoricTaskPermissions;
import org.camunda.bpm.engine.authorization.Permission;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.ProcessDefinitionPermissions;
import org.camunda.bpm.engine.authorization.ProcessInstancePermissions;
import org.camunda.bpm.engine.authorization.Resource;
import org.camunda.bpm.engine.authorization.Resources;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.stratos.update.support.ManagerTest;

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
        assertThat(identity.createGroupQuery()
                        .groupIdIn(StratosGroups.OPERATORS, StratosGroups.VIEWERS)
                        .count())
                .isEqualTo(2);
        assertThat(identity.createUserQuery()
                        .userId(adminId)
                        .memberOfGroup(StratosGroups.OPERATORS)
                        .count())
                .isEqualTo(1);
    }

    @Test
    void everyGrantIsInTheEngineExactly() {
        assertEveryGrantExact();
    }

    @Test
    void theBroadGrantsOfAnEarlierVersionAreNarrowedAndRetiredOnesDeleted() {
        // as the previous version left a database: operators with ALL on definitions and instances, and history
        Authorization definitions = grantOf(StratosGroups.OPERATORS, Resources.PROCESS_DEFINITION, EngineGrants.ANY);
        definitions.setPermissions(new Permission[] {ProcessDefinitionPermissions.ALL});
        authorizations.saveAuthorization(definitions);
        Authorization instances = grantOf(StratosGroups.OPERATORS, Resources.PROCESS_INSTANCE, EngineGrants.ANY);
        instances.setPermissions(new Permission[] {ProcessInstancePermissions.ALL});
        authorizations.saveAuthorization(instances);
        grantTo(StratosGroups.OPERATORS, null, Resources.HISTORIC_TASK, EngineGrants.ANY, HistoricTaskPermissions.ALL);

        bootstrap.afterSingletonsInstantiated();

        assertEveryGrantExact();
        assertThat(grantOf(StratosGroups.OPERATORS, Resources.PROCESS_DEFINITION, EngineGrants.ANY)
                        .isPermissionGranted(ProcessDefinitionPermissions.DELETE))
                .isFalse();
        assertThat(grantOf(StratosGroups.OPERATORS, Resources.HISTORIC_TASK, EngineGrants.ANY))
                .isNull();
    }

    @Test
    void authorizationsAnAdministratorAddedAreLeftAlone() {
        // the operators on a flow of the platform team's own, another group, a user, and a revocation
        Authorization ownFlow = grantTo(
                StratosGroups.OPERATORS,
                null,
                Resources.PROCESS_DEFINITION,
                "platformTeamFlow",
                ProcessDefinitionPermissions.ALL);
        Authorization deployers =
                grantTo("deployers", null, Resources.DEPLOYMENT, EngineGrants.ANY, Permissions.CREATE);
        Authorization anna = grantTo(null, "anna", Resources.BATCH, EngineGrants.ANY, BatchPermissions.ALL);
        Authorization revoked = authorizations.createNewAuthorization(Authorization.AUTH_TYPE_REVOKE);
        revoked.setGroupId(StratosGroups.OPERATORS);
        revoked.setResource(Resources.PROCESS_DEFINITION);
        revoked.setResourceId("platformTeamFlow");
        revoked.removePermission(ProcessDefinitionPermissions.DELETE_INSTANCE);
        authorizations.saveAuthorization(revoked);
        try {
            bootstrap.afterSingletonsInstantiated();

            for (Authorization mine : new Authorization[] {ownFlow, deployers, anna, revoked}) {
                Authorization now = authorizations
                        .createAuthorizationQuery()
                        .authorizationId(mine.getId())
                        .singleResult();
                assertThat(now).as(mine.toString()).isNotNull();
                assertThat(EngineGrants.granted(now)).as(mine.toString()).isEqualTo(EngineGrants.granted(mine));
            }
            assertThat(grantOf(StratosGroups.OPERATORS, Resources.PROCESS_DEFINITION, "platformTeamFlow")
                            .isPermissionGranted(ProcessDefinitionPermissions.DELETE))
                    .isTrue();
        } finally {
            for (Authorization mine : new Authorization[] {ownFlow, deployers, anna, revoked}) {
                authorizations.deleteAuthorization(mine.getId());
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

    private void assertEveryGrantExact() {
        for (EngineGrants.Grant grant : EngineGrants.GRANTS) {
            Authorization found = grantOf(grant.groupId(), grant.resource(), grant.resourceId());
            assertThat(found).as(grant.toString()).isNotNull();
            assertThat(EngineGrants.granted(found)).as(grant.toString()).containsExactlyInAnyOrder(grant.permissions());
        }
    }

    private Authorization grantOf(String group, Resource resource, String resourceId) {
        return authorizations
                .createAuthorizationQuery()
                .authorizationType(Authorization.AUTH_TYPE_GRANT)
                .groupIdIn(group)
                .resourceType(resource)
                .resourceId(resourceId)
                .singleResult();
    }

    private Authorization grantTo(
            String group, String user, Resource resource, String resourceId, Permission permission) {
        Authorization authorization = authorizations.createNewAuthorization(Authorization.AUTH_TYPE_GRANT);
        authorization.setGroupId(group);
        authorization.setUserId(user);
        authorization.setResource(resource);
        authorization.setResourceId(resourceId);
        authorization.addPermission(permission);
        return authorizations.saveAuthorization(authorization);
    }

    @Test
    void losingTheRaceToAnotherNodeIsFine() {
        AtomicInteger inserts = new AtomicInteger();

        IdentityBootstrap.insertUnlessRaced(
                () -> {
                    inserts.incrementAndGet();
                    throw new ProcessEngineException("duplicate key");
                },
                () -> true,
                "a row another node inserted");

        assertThat(inserts).hasValue(1);
    }

    @Test
    void anInsertFailingForAnotherReasonIsNotHidden() {
        assertThatThrownBy(() -> IdentityBootstrap.insertUnlessRaced(
                        () -> {
                            throw new ProcessEngineException("database gone");
                        },
                        () -> false,
                        "a row"))
                .hasMessage("database gone");
    }
}
