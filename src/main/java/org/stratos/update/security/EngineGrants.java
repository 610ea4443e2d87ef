package org.stratos.update.security;

import java.util.Arrays;
import java.util.List;

import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.BatchPermissions;
import org.camunda.bpm.engine.authorization.HistoricProcessInstancePermissions;
import org.camunda.bpm.engine.authorization.HistoricTaskPermissions;
import org.camunda.bpm.engine.authorization.Permission;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.ProcessDefinitionPermissions;
import org.camunda.bpm.engine.authorization.ProcessInstancePermissions;
import org.camunda.bpm.engine.authorization.Resource;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.authorization.TaskPermissions;
import org.springframework.stereotype.Component;

/**
 * The engine authorizations of the two groups (checked on {@code /engine-rest} and in the webapps). Both may open
 * Cockpit and Tasklist; viewers read definitions, instances, history, tasks and deployments; operators may do
 * everything with definitions, instances, tasks, batches and history, and read deployments. Missing grants and
 * permissions are added; nothing an administrator added is taken away.
 */
@Component
class EngineGrants {

    static final String ANY = Authorization.ANY;

    static final List<Grant> GRANTS = List.of(
            new Grant(StratosGroups.VIEWERS, Resources.APPLICATION, "cockpit", Permissions.ACCESS),
            new Grant(StratosGroups.VIEWERS, Resources.APPLICATION, "tasklist", Permissions.ACCESS),
            new Grant(StratosGroups.VIEWERS, Resources.PROCESS_DEFINITION, ANY,
                    ProcessDefinitionPermissions.READ, ProcessDefinitionPermissions.READ_HISTORY),
            new Grant(StratosGroups.VIEWERS, Resources.PROCESS_INSTANCE, ANY, ProcessInstancePermissions.READ),
            new Grant(StratosGroups.VIEWERS, Resources.TASK, ANY, TaskPermissions.READ),
            new Grant(StratosGroups.VIEWERS, Resources.DEPLOYMENT, ANY, Permissions.READ),

            new Grant(StratosGroups.OPERATORS, Resources.APPLICATION, "cockpit", Permissions.ACCESS),
            new Grant(StratosGroups.OPERATORS, Resources.APPLICATION, "tasklist", Permissions.ACCESS),
            new Grant(StratosGroups.OPERATORS, Resources.PROCESS_DEFINITION, ANY, ProcessDefinitionPermissions.ALL),
            new Grant(StratosGroups.OPERATORS, Resources.PROCESS_INSTANCE, ANY, ProcessInstancePermissions.ALL),
            new Grant(StratosGroups.OPERATORS, Resources.TASK, ANY, TaskPermissions.ALL),
            new Grant(StratosGroups.OPERATORS, Resources.BATCH, ANY, BatchPermissions.ALL),
            new Grant(StratosGroups.OPERATORS, Resources.HISTORIC_PROCESS_INSTANCE, ANY,
                    HistoricProcessInstancePermissions.ALL),
            new Grant(StratosGroups.OPERATORS, Resources.HISTORIC_TASK, ANY, HistoricTaskPermissions.ALL),
            new Grant(StratosGroups.OPERATORS, Resources.DEPLOYMENT, ANY, Permissions.READ));

    private final AuthorizationService authorizations;

    EngineGrants(AuthorizationService authorizations) {
        this.authorizations = authorizations;
    }

    void ensure() {
        GRANTS.forEach(this::ensure);
    }

    private void ensure(Grant grant) {
        Authorization existing = find(grant);
        if (existing == null) {
            Authorization created = authorizations.createNewAuthorization(Authorization.AUTH_TYPE_GRANT);
            created.setGroupId(grant.groupId());
            created.setResource(grant.resource());
            created.setResourceId(grant.resourceId());
            Arrays.stream(grant.permissions()).forEach(created::addPermission);
            IdentityBootstrap.insertUnlessRaced(() -> authorizations.saveAuthorization(created),
                    () -> find(grant) != null, "authorization " + grant);
        } else if (!Arrays.stream(grant.permissions()).allMatch(existing::isPermissionGranted)) {
            Arrays.stream(grant.permissions()).forEach(existing::addPermission);
            authorizations.saveAuthorization(existing);
        }
    }

    private Authorization find(Grant grant) {
        return authorizations.createAuthorizationQuery()
                .authorizationType(Authorization.AUTH_TYPE_GRANT)
                .groupIdIn(grant.groupId())
                .resourceType(grant.resource())
                .resourceId(grant.resourceId())
                .singleResult();
    }

    /** Permissions of one group on one resource ({@code *}: all of that type). */
    record Grant(String groupId, Resource resource, String resourceId, Permission... permissions) {

        @Override
        public String toString() {
            return groupId + " " + Arrays.toString(permissions) + " on " + resource.resourceName() + " " + resourceId;
        }
    }
}
