package org.stratos.update.update;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.stratos.update.common.ConflictException;
import org.stratos.update.common.InvalidInputException;
import org.stratos.update.common.NotFoundException;
import org.stratos.update.topology.Cluster;
import org.stratos.update.topology.ClusterState;
import org.stratos.update.topology.MemberState;
import org.stratos.update.topology.TopologyService;

/**
 * The operator's use cases: start an update (checked, recorded, its clusters held, its process started, all in one
 * transaction), pause, resume, abort and approve it. A pause or an abort is recorded and taken up by the flow before
 * its next batch; a flow that waits (paused, or for approval) is woken at once.
 */
@Service
@Transactional
public class UpdateService {

    private static final Logger log = LoggerFactory.getLogger(UpdateService.class);

    private final UpdateRepository repository;
    private final AgentBatchRepository runs;
    private final CheckedRequests checkedRequests;
    private final TopologyService topology;
    private final RuntimeService runtime;
    private final TaskService tasks;
    private final Clock clock;

    UpdateService(
            UpdateRepository repository,
            AgentBatchRepository runs,
            CheckedRequests checkedRequests,
            TopologyService topology,
            RuntimeService runtime,
            TaskService tasks,
            Clock clock) {
        this.repository = repository;
        this.runs = runs;
        this.checkedRequests = checkedRequests;
        this.topology = topology;
        this.runtime = runtime;
        this.tasks = tasks;
        this.clock = clock;
    }

    /** Checks and records an update of {@code applicationId} and starts its {@code softwareUpdate} process. */
    public UpdateRecord start(String applicationId, UpdateRequest request, String user) {
        if (!topology.applicationExists(applicationId)) {
            throw new NotFoundException("no application '" + applicationId + "'");
        }
        String updateId = record(applicationId, request, user);
        Map<String, Object> variables = new HashMap<>();
        variables.put(FlowVariables.UPDATE_ID, updateId);
        variables.put(FlowVariables.APPLICATION_ID, applicationId);
        runtime.startProcessInstanceByKey(FlowNames.SOFTWARE_UPDATE, updateId, variables);
        log.info("Update {} of {} started by {}", updateId, applicationId, user);
        return checkedRequests.update(updateId);
    }

    /**
     * Checks the request, holds its clusters and records it; answers the new update id. Used by {@link #start} and by
     * the flow itself when {@code softwareUpdate} was started directly (from {@code /engine-rest} or the Modeler).
     *
     * @throws org.stratos.update.common.InvalidInputException for a request that breaks a rule
     * @throws ConflictException                               when another update holds one of the clusters
     */
    String record(String applicationId, UpdateRequest request, String user) {
        List<Cluster> clusters = topology.clusters(applicationId);
        UpdateRequestValidator.Checked checked = UpdateRequestValidator.validate(request, clusters);
        String stored = checkedRequests.write(request);
        if (stored.length() > CheckedRequests.MAX_STORED_REQUEST) {
            throw new InvalidInputException(
                    "body",
                    "takes " + stored.length() + " characters as stored; at most " + CheckedRequests.MAX_STORED_REQUEST
                            + " fit (name fewer clusters, or select them by cartridgeType)");
        }
        String updateId = newId();
        List<Cluster> held = new java.util.ArrayList<>();
        for (Cluster c : checked.clusters()) {
            if (!topology.lockCluster(c.id(), updateId)) {
                held.forEach(h -> topology.unlockCluster(h.id(), updateId));
                throw new ConflictException("cluster '" + c.alias() + "' is being updated by update '"
                        + topology.cluster(c.id()).lockedBy() + "'");
            }
            held.add(c);
        }
        Instant now = clock.instant();
        repository.insert(new UpdateRecord(
                updateId, applicationId, UpdateState.RUNNING, stored, null, null, user, now, now, null));
        int position = 0;
        for (Cluster c : checked.clusters()) {
            repository.insert(new ClusterRecord(
                    updateId,
                    c.id(),
                    position++,
                    ClusterProgress.PENDING,
                    c.version(),
                    checked.targetOf(c),
                    0,
                    0,
                    0,
                    0,
                    0,
                    0,
                    null,
                    null,
                    null));
        }
        return updateId;
    }

    /**
     * The first step of {@code softwareUpdate}: answers the update id. Started by {@link #start}, the update is
     * recorded already; started directly, its request is read from the process variables (the fields of
     * {@link UpdateRequest} and {@code applicationId}; {@code clusters} as a list or a comma-separated string) and a
     * request that breaks a rule, names an unknown application or a held cluster is answered as rejected.
     */
    public Prepared prepare(Map<String, Object> variables, String user) {
        Object id = variables.get(FlowVariables.UPDATE_ID);
        if (id != null && repository.find(id.toString()).isPresent()) {
            return new Prepared(
                    id.toString(), null, checkedRequests.settings(id.toString()).preflight());
        }
        Object app = variables.get(FlowVariables.APPLICATION_ID);
        if (app == null || !topology.applicationExists(app.toString())) {
            return new Prepared(
                    null, app == null ? "variable 'applicationId' is required" : "no application '" + app + "'", false);
        }
        try {
            String updateId = record(app.toString(), RequestVariables.toRequest(variables), user);
            log.info("Update {} of {} started directly as a process", updateId, app);
            return new Prepared(
                    updateId, null, checkedRequests.settings(updateId).preflight());
        } catch (InvalidInputException | ConflictException rejected) {
            // answered, not thrown: a flow that starts with a bad request ends "rejected" rather than failing
            return new Prepared(null, rejected.getMessage(), false);
        }
    }

    /** What {@link #prepare} found: the update id and whether it starts with a pre-flight, or why it was rejected. */
    public record Prepared(String updateId, String rejection, boolean preflight) {}

    /**
     * Records how the update ended and releases its clusters. {@code outcome} is what the flow came to; the state
     * recorded is what is true of the members: COMPLETED only when every member the update targeted is on the target
     * version (else COMPLETED_WITH_FAILURES), ROLLED_BACK only when every member it changed is back (else
     * ROLLBACK_FAILED); the members that keep it from the better state are named in the message. Answers the state.
     */
    public UpdateState finish(String updateId, UpdateOutcome outcome) {
        UpdateRecord u = checkedRequests.update(updateId);
        List<ClusterRecord> clusters = repository.clusters(updateId);
        List<MemberRecord> members = repository.members(updateId);
        String message = clusters.stream()
                .filter(c -> c.message() != null)
                .map(c -> c.clusterId() + ": " + c.message())
                .collect(java.util.stream.Collectors.joining("; "));
        UpdateState state = RolloutRules.endState(
                outcome == null ? UpdateOutcome.FAILED : outcome,
                members.stream()
                        .anyMatch(m -> m.state() == MemberProgress.FAILED || m.state() == MemberProgress.NOT_APPLIED),
                members.stream().anyMatch(m -> m.state().changed() || m.state() == MemberProgress.ROLLBACK_FAILED));
        if (state == UpdateState.PREFLIGHT_FAILED) {
            List<MemberRecord> failed = members.stream()
                    .filter(m -> m.preflight() == PreflightResult.FAILED)
                    .toList();
            message = "the pre-flight failed on " + failed.size() + " of "
                    + members.stream().filter(m -> m.preflight() != null).count()
                    + " members; no member was changed: " + MemberList.of(failed, RunPhase.PREFLIGHT);
        }
        boolean abortDone = (u.requestedAction() == RequestedAction.ABORT && state == UpdateState.ABORTED)
                || (u.requestedAction() == RequestedAction.ABORT_AND_ROLL_BACK
                        && (state == UpdateState.ROLLED_BACK || state == UpdateState.ROLLBACK_FAILED));
        if (abortDone) {
            message = aborted(updateId, state) + (message.isEmpty() ? "" : "; " + message);
        }
        repository.end(updateId, state, message.isEmpty() ? null : message, clock.instant());
        clusters.forEach(c -> topology.unlockCluster(c.clusterId(), updateId));
        checkedRequests.forget(updateId);
        log.info(
                "Update {} of {} ended {}{}",
                updateId,
                u.applicationId(),
                state,
                message.isEmpty() ? "" : ": " + message);
        return state;
    }

    /** What an operator's abort came to, for the update's message. */
    private String aborted(String updateId, UpdateState state) {
        if (state == UpdateState.ABORTED) {
            return "aborted by an operator: no new batch started; members already updated stay on the new version";
        }
        int notBack = repository.clusters(updateId).stream()
                .mapToInt(
                        c -> repository.countInState(updateId, c.clusterId(), List.of(MemberProgress.ROLLBACK_FAILED)))
                .sum();
        return "aborted by an operator with rollback: "
                + (notBack == 0
                        ? "every member the update changed is back on its previous version"
                        : notBack
                                + " member(s) could not be rolled back (ROLLBACK_FAILED), the others are back on their "
                                + "previous version");
    }

    /**
     * Called when the update's process ends. Nothing to do after a normal end; after a cancellation the update is
     * recorded CANCELLED, its clusters released, members still Updating taken out of service (Suspended) and a
     * cluster left Patching marked Inactive.
     */
    public void endedOrCancelled(String updateId) {
        UpdateRecord u = repository.find(updateId).orElse(null);
        if (u == null || u.state().ended()) {
            return;
        }
        for (MemberRecord m : repository.members(updateId)) {
            if (m.state() == MemberProgress.UPDATING || m.state() == MemberProgress.ROLLING_BACK) {
                boolean rollback = m.state() == MemberProgress.ROLLING_BACK;
                topology.memberIfPresent(m.current())
                        .filter(x -> x.state() == MemberState.UPDATING)
                        .ifPresent(x -> topology.changeMemberState(
                                x.id(),
                                MemberState.SUSPENDED,
                                null,
                                "update " + updateId + " was cancelled while this member was being "
                                        + (rollback ? "rolled back" : "updated"),
                                updateId));
                repository.finishMember(
                        updateId,
                        m.memberId(),
                        rollback ? MemberProgress.ROLLBACK_FAILED : MemberProgress.FAILED,
                        null,
                        "update cancelled while this member was being " + (rollback ? "rolled back" : "updated"),
                        null,
                        clock.instant());
            }
        }
        for (ClusterRecord c : repository.clusters(updateId)) {
            if (topology.cluster(c.clusterId()).state() == ClusterState.PATCHING) {
                topology.changeClusterState(c.clusterId(), ClusterState.INACTIVE, updateId);
            }
            topology.unlockCluster(c.clusterId(), updateId);
        }
        repository.end(updateId, UpdateState.CANCELLED, "the update's process was cancelled", clock.instant());
        runs.endAgentBatches(updateId);
        checkedRequests.forget(updateId);
        log.warn("Update {} was cancelled; its clusters are released", updateId);
    }

    /** Asks the update to pause before its next batch. */
    public UpdateRecord pause(String updateId) {
        change(
                updateId,
                List.of(UpdateState.RUNNING, UpdateState.WAITING_FOR_APPROVAL),
                UpdateState.PAUSING,
                RequestedAction.PAUSE,
                "pause");
        return checkedRequests.update(updateId);
    }

    /**
     * Lets a paused (or pausing) update go on. One paused while it waited for approval waits for it again: the
     * approval task is still open.
     */
    public UpdateRecord resume(String updateId) {
        UpdateState to = approvalTasks(updateId).isEmpty() ? UpdateState.RUNNING : UpdateState.WAITING_FOR_APPROVAL;
        change(updateId, List.of(UpdateState.PAUSED, UpdateState.PAUSING), to, null, "resume");
        correlate(updateId, FlowNames.MESSAGE_UPDATE_RESUMED);
        return checkedRequests.update(updateId);
    }

    /** Stops the update before its next batch; with {@code rollBack}, what it changed goes back. */
    public UpdateRecord abort(String updateId, boolean rollBack) {
        change(
                updateId,
                List.of(UpdateState.RUNNING, UpdateState.PAUSING, UpdateState.PAUSED, UpdateState.WAITING_FOR_APPROVAL),
                UpdateState.ABORTING,
                rollBack ? RequestedAction.ABORT_AND_ROLL_BACK : RequestedAction.ABORT,
                "abort");
        correlate(updateId, FlowNames.MESSAGE_UPDATE_ABORTED);
        approvalTasks(updateId)
                .forEach(t -> tasks.complete(
                        t.getId(),
                        Map.of(
                                FlowVariables.APPROVAL_DECISION,
                                ApprovalDecision.abort(rollBack).id())));
        return checkedRequests.update(updateId);
    }

    /**
     * An operator stopped the update at its approval gate (the decision in Tasklist): recorded as an abort, with or
     * without rollback. An abort through the API completes the task with the same decision: it is recorded already.
     */
    public void stopAtApproval(String updateId, boolean rollBack, String user) {
        if (checkedRequests.update(updateId).state() == UpdateState.ABORTING) {
            return;
        }
        change(
                updateId,
                List.of(UpdateState.WAITING_FOR_APPROVAL, UpdateState.PAUSING, UpdateState.PAUSED, UpdateState.RUNNING),
                UpdateState.ABORTING,
                rollBack ? RequestedAction.ABORT_AND_ROLL_BACK : RequestedAction.ABORT,
                "stop");
        log.info("Update {}: stopped at the approval gate by {}{}", updateId, user, rollBack ? ", rolling back" : "");
    }

    /**
     * Approves the next batch: completes the approval task the update waits at (as Tasklist does). An update paused
     * while it waited (PAUSING) may be approved too: it then pauses before the approved batch.
     */
    public UpdateRecord approve(String updateId, String user) {
        UpdateRecord u = checkedRequests.update(updateId);
        List<Task> waiting = approvalTasks(updateId);
        if (!List.of(UpdateState.WAITING_FOR_APPROVAL, UpdateState.PAUSING).contains(u.state()) || waiting.isEmpty()) {
            throw new ConflictException("update '" + updateId + "' is " + u.state() + ", not waiting for approval");
        }
        waiting.forEach(t -> {
            tasks.setAssignee(t.getId(), user);
            tasks.complete(t.getId(), Map.of(FlowVariables.APPROVAL_DECISION, ApprovalDecision.APPROVE.id()));
        });
        log.info("Update {}: next batch approved by {}", updateId, user);
        return checkedRequests.update(updateId);
    }

    private void change(String updateId, List<UpdateState> from, UpdateState to, RequestedAction action, String what) {
        UpdateRecord u = checkedRequests.update(updateId);
        if (!repository.compareAndSetState(updateId, from, to, action)) {
            throw new ConflictException("cannot " + what + " update '" + updateId + "': it is " + u.state());
        }
        log.info("Update {}: {} requested ({} -> {})", updateId, what, u.state(), to);
    }

    private void correlate(String updateId, String message) {
        runtime.createMessageCorrelation(message)
                .processInstanceBusinessKey(updateId)
                .correlateAllWithResult();
    }

    private List<Task> approvalTasks(String updateId) {
        return tasks.createTaskQuery()
                .processInstanceBusinessKey(updateId)
                .taskDefinitionKey(FlowNames.APPROVAL_TASK)
                .active()
                .list();
    }

    private static String newId() {
        byte[] b = new byte[6];
        ThreadLocalRandom.current().nextBytes(b);
        return "upd-" + HexFormat.of().formatHex(b);
    }
}
