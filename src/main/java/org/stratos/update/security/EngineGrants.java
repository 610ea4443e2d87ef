package org.stratos.update.security;

import static org.camunda.bpm.engine.authorization.ProcessDefinitionPermissions.CREATE_INSTANCE;
import static org.camunda.bpm.engine.authorization.ProcessDefinitionPermissions.DELETE_INSTANCE;
import static org.camunda.bpm.engine.authorization.ProcessDefinitionPermissions.READ_HISTORY;
import static org.camunda.bpm.engine.authorization.ProcessDefinitionPermissions.RETRY_JOB;
import static org.camunda.bpm.engine.authorization.ProcessDefinitionPermissions.SUSPEND_INSTANCE;
import static org.camunda.bpm.engine.authorization.ProcessDefinitionPermissions.TASK_ASSIGN;
import static org.camunda.bpm.engine.authorization.ProcessDefinitionPermissions.TASK_WORK;
import static org.stratos.update.security.StratosGroups.OPERATORS;
import static org.stratos.update.security.StratosGroups.VIEWERS;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
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
import org.stratos.update.update.FlowNames;

/**
 * The engine authorizations of the two groups (checked on {@code /engine-rest} and in the webapps); docs/security.md
 * gives the reason for each. Both groups read everything and open Cockpit and Tasklist. Operators also steer the
 * product's own flows — retry failed jobs, suspend and activate instances, work on and assign their tasks, start
 * and cancel a {@code softwareUpdate} — but cannot delete, suspend or deploy definitions, nor modify, migrate or
 * delete the flows inside an update.
 *
 * <p>The product owns its groups' GRANT authorizations on the places listed here ({@link #GRANTS} and
 * {@link #RETIRED}): at every start each is set to exactly the permissions listed, and retired ones are deleted,
 * so a database that an earlier version gave broader grants is narrowed. Every other authorization (other groups,
 * users, other resource ids, every REVOKE) belongs to the administrator and is left alone.
 */
@Component
class EngineGrants {

    static final String ANY = Authorization.ANY;

    /** The product's flows: operators steer instances of these definitions only. */
    static final List<String> FLOWS = List.of(
            FlowNames.SOFTWARE_UPDATE,
            FlowNames.PHASED_CLUSTER_UPDATE,
            FlowNames.ALL_AT_ONCE_CLUSTER_UPDATE,
            FlowNames.BATCH_UPDATE,
            FlowNames.MEMBER_UPDATE,
            FlowNames.CLUSTER_ROLLBACK);

    private static final Permission[] STEER = {RETRY_JOB, SUSPEND_INSTANCE, TASK_WORK, TASK_ASSIGN};

    static final List<Grant> GRANTS = Stream.concat(
                    Stream.of(
                            new Grant(VIEWERS, Resources.APPLICATION, "cockpit", Permissions.ACCESS),
                            new Grant(VIEWERS, Resources.APPLICATION, "tasklist", Permissions.ACCESS),
                            new Grant(
                                    VIEWERS,
                                    Resources.PROCESS_DEFINITION,
                                    ANY,
                                    ProcessDefinitionPermissions.READ,
                                    READ_HISTORY),
                            new Grant(VIEWERS, Resources.PROCESS_INSTANCE, ANY, ProcessInstancePermissions.READ),
                            new Grant(VIEWERS, Resources.TASK, ANY, TaskPermissions.READ),
                            new Grant(VIEWERS, Resources.DEPLOYMENT, ANY, Permissions.READ),
                            // Tasklist lists tasks through filters only: the shared "All tasks" one, and operators' own
                            new Grant(VIEWERS, Resources.FILTER, ANY, Permissions.READ),
                            new Grant(OPERATORS, Resources.APPLICATION, "cockpit", Permissions.ACCESS),
                            new Grant(OPERATORS, Resources.APPLICATION, "tasklist", Permissions.ACCESS),
                            new Grant(
                                    OPERATORS,
                                    Resources.PROCESS_DEFINITION,
                                    ANY,
                                    ProcessDefinitionPermissions.READ,
                                    READ_HISTORY),
                            // CREATE: starting softwareUpdate from /engine-rest or Tasklist (with CREATE_INSTANCE
                            // below)
                            new Grant(
                                    OPERATORS,
                                    Resources.PROCESS_INSTANCE,
                                    ANY,
                                    ProcessInstancePermissions.READ,
                                    ProcessInstancePermissions.CREATE),
                            new Grant(OPERATORS, Resources.TASK, ANY, TaskPermissions.READ),
                            new Grant(OPERATORS, Resources.DEPLOYMENT, ANY, Permissions.READ),
                            new Grant(OPERATORS, Resources.FILTER, ANY, Permissions.READ, Permissions.CREATE),
                            // Cockpit retries the failed jobs of many instances at once as a batch
                            new Grant(
                                    OPERATORS,
                                    Resources.BATCH,
                                    ANY,
                                    BatchPermissions.READ,
                                    BatchPermissions.CREATE_BATCH_SET_JOB_RETRIES),
                            // the update as a whole may also be started and, as a last resort, cancelled in the engine
                            new Grant(
                                    OPERATORS,
                                    Resources.PROCESS_DEFINITION,
                                    FlowNames.SOFTWARE_UPDATE,
                                    concat(STEER, CREATE_INSTANCE, DELETE_INSTANCE))),
                    FLOWS.stream()
                            .filter(key -> !key.equals(FlowNames.SOFTWARE_UPDATE))
                            .map(key -> new Grant(OPERATORS, Resources.PROCESS_DEFINITION, key, STEER)))
            .toList();

    /** Places earlier versions granted on and this one does not: their grants are deleted. */
    static final List<Place> RETIRED = List.of(
            new Place(OPERATORS, Resources.HISTORIC_PROCESS_INSTANCE, ANY),
            new Place(OPERATORS, Resources.HISTORIC_TASK, ANY));

    private static final Map<Resource, Permission[]> PERMISSIONS_OF = Map.of(
            Resources.APPLICATION, Permissions.values(),
            Resources.DEPLOYMENT, Permissions.values(),
            Resources.FILTER, Permissions.values(),
            Resources.PROCESS_DEFINITION, ProcessDefinitionPermissions.values(),
            Resources.PROCESS_INSTANCE, ProcessInstancePermissions.values(),
            Resources.TASK, TaskPermissions.values(),
            Resources.BATCH, BatchPermissions.values(),
            Resources.HISTORIC_PROCESS_INSTANCE, HistoricProcessInstancePermissions.values(),
            Resources.HISTORIC_TASK, HistoricTaskPermissions.values());

    private final AuthorizationService authorizations;

    EngineGrants(AuthorizationService authorizations) {
        this.authorizations = authorizations;
    }

    void ensure() {
        GRANTS.forEach(this::ensure);
        RETIRED.forEach(this::retire);
    }

    private void ensure(Grant grant) {
        Authorization existing = find(grant.place());
        if (existing == null) {
            Authorization created = authorizations.createNewAuthorization(Authorization.AUTH_TYPE_GRANT);
            created.setGroupId(grant.groupId());
            created.setResource(grant.resource());
            created.setResourceId(grant.resourceId());
            created.setPermissions(grant.permissions());
            IdentityBootstrap.unlessRaced(
                    () -> authorizations.saveAuthorization(created),
                    () -> grantsExactly(find(grant.place()), grant),
                    "Created authorization " + grant);
        } else if (!grantsExactly(existing, grant)) {
            String before = granted(existing).toString();
            existing.setPermissions(grant.permissions());
            IdentityBootstrap.unlessRaced(
                    () -> authorizations.saveAuthorization(existing),
                    () -> grantsExactly(find(grant.place()), grant),
                    "Set authorization " + grant + " (it granted " + before + ")");
        }
    }

    private void retire(Place place) {
        Authorization existing = find(place);
        if (existing != null) {
            IdentityBootstrap.unlessRaced(
                    () -> authorizations.deleteAuthorization(existing.getId()),
                    () -> find(place) == null,
                    "Deleted authorization " + place + ": no longer granted");
        }
    }

    private Authorization find(Place place) {
        return authorizations
                .createAuthorizationQuery()
                .authorizationType(Authorization.AUTH_TYPE_GRANT)
                .groupIdIn(place.groupId())
                .resourceType(place.resource())
                .resourceId(place.resourceId())
                .singleResult();
    }

    static boolean grantsExactly(Authorization authorization, Grant grant) {
        return authorization != null && granted(authorization).equals(Set.of(grant.permissions()));
    }

    /** What the authorization grants, ALL spelt out; NONE (always "granted") left out. */
    static Set<Permission> granted(Authorization authorization) {
        Permission[] all = PERMISSIONS_OF.get(resourceOf(authorization.getResourceType()));
        Set<Permission> granted = new HashSet<>(Arrays.asList(authorization.getPermissions(all)));
        granted.removeIf(
                p -> p.getValue() == Permissions.NONE.getValue() || p.getValue() == Permissions.ALL.getValue());
        return granted;
    }

    private static Resource resourceOf(int type) {
        return PERMISSIONS_OF.keySet().stream()
                .filter(r -> r.resourceType() == type)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no permissions known for resource type " + type));
    }

    private static Permission[] concat(Permission[] first, Permission... more) {
        return Stream.concat(Arrays.stream(first), Arrays.stream(more)).toArray(Permission[]::new);
    }

    /** A group's place in the engine's authorizations: one resource, or all of its type ({@code *}). */
    record Place(String groupId, Resource resource, String resourceId) {

        @Override
        public String toString() {
            return groupId + " on " + resource.resourceName() + " " + resourceId;
        }
    }

    /** Permissions of one group on one resource ({@code *}: all of that type). */
    record Grant(String groupId, Resource resource, String resourceId, Permission... permissions) {

        Place place() {
            return new Place(groupId, resource, resourceId);
        }

        @Override
        public String toString() {
            return groupId + " " + Arrays.toString(permissions) + " on " + resource.resourceName() + " " + resourceId;
        }
    }
}
