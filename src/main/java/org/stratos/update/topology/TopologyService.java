package org.stratos.update.topology;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import org.stratos.update.common.ConflictException;
import org.stratos.update.common.EventPublisher;
import org.stratos.update.common.NotFoundException;
import org.stratos.update.messaging.event.topology.ClusterActivatedEvent;
import org.stratos.update.messaging.event.topology.ClusterInactivatedEvent;
import org.stratos.update.messaging.event.topology.ClusterPatchingEvent;
import org.stratos.update.messaging.event.topology.CompleteTopologyEvent;
import org.stratos.update.messaging.event.topology.MemberActivatedEvent;
import org.stratos.update.messaging.event.topology.MemberSuspendedEvent;
import org.stratos.update.messaging.event.topology.MemberTerminatedEvent;
import org.stratos.update.messaging.event.topology.MemberUpdatingEvent;

/**
 * The topology's use cases: register applications, let members join, and move members and clusters between states,
 * each move checked against the transition table, written as a compare-and-set, logged, announced as a
 * {@code topology.*} event (sent when the transaction commits) and told to in-process listeners as a
 * {@link MemberStateChanged}.
 */
@Service
@Transactional
public class TopologyService {

    private static final Logger log = LoggerFactory.getLogger(TopologyService.class);

    private final TopologyRepository repository;
    private final EventPublisher events;
    private final ApplicationEventPublisher local;
    private final Clock clock;
    private final MemberUpdateHistory updates;
    /** A savepoint in the caller's transaction: PostgreSQL aborts the whole transaction on a failed statement. */
    private final TransactionTemplate savepoint;

    TopologyService(
            TopologyRepository repository,
            EventPublisher events,
            ApplicationEventPublisher local,
            Clock clock,
            MemberUpdateHistory updates,
            PlatformTransactionManager transactions) {
        this.repository = repository;
        this.events = events;
        this.local = local;
        this.clock = clock;
        this.updates = updates;
        this.savepoint = new TransactionTemplate(transactions);
        this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
    }

    // ---- applications

    /** Registers an application with its clusters (no members yet: they join). 409 if the id is taken. */
    public ApplicationView register(NewApplication request) {
        Map<String, Integer> stages = ApplicationValidator.validate(request);
        if (repository.findApplication(request.applicationId()).isPresent()) {
            throw new ConflictException("application '" + request.applicationId() + "' is already registered");
        }
        Instant now = clock.instant();
        Application app = new Application(
                request.applicationId(),
                request.name() == null ? request.applicationId() : request.name(),
                ApplicationValidator.chainsOf(request),
                now);
        repository.insert(app);
        for (NewApplication.NewCluster c : request.clusters()) {
            boolean container = c.imageId() != null && !c.imageId().isBlank();
            repository.insert(new Cluster(
                    Cluster.idOf(app.id(), c.alias(), c.cartridgeType()),
                    app.id(),
                    c.alias(),
                    c.cartridgeType(),
                    RuntimeKind.of(c.runtime()),
                    container,
                    container ? c.imageId() : c.version(),
                    ClusterState.ACTIVE,
                    stages.get(c.alias()),
                    c.members() == null ? 0 : c.members(),
                    null));
        }
        local.publishEvent(new ApplicationRegistered(app.id()));
        log.info(
                "Registered application {} with {} clusters",
                app.id(),
                request.clusters().size());
        return application(app.id());
    }

    @Transactional(readOnly = true)
    public ApplicationView application(String applicationId) {
        Application app = repository
                .findApplication(applicationId)
                .orElseThrow(() -> new NotFoundException("no application '" + applicationId + "'"));
        Map<String, List<Member>> members = repository.findMembersOfApplication(applicationId).stream()
                .collect(Collectors.groupingBy(Member::clusterId));
        List<ApplicationView.ClusterView> clusters = new ArrayList<>();
        for (Cluster c : repository.findClusters(applicationId)) {
            clusters.add(ApplicationView.ClusterView.of(c, members.getOrDefault(c.id(), List.of())));
        }
        return new ApplicationView(app, clusters);
    }

    @Transactional(readOnly = true)
    public List<ApplicationView> applications() {
        return repository.findApplications().stream()
                .map(a -> application(a.id()))
                .toList();
    }

    /**
     * The whole topology as Stratos' {@code CompleteTopologyEvent} carries it, read in one transaction: every
     * application, cluster and member but the Terminated ones.
     */
    @Transactional(readOnly = true)
    public CompleteTopologyEvent completeTopology() {
        Instant takenAt = clock.instant();
        List<CompleteTopologyEvent.Application> apps = new ArrayList<>();
        for (Application app : repository.findApplications()) {
            Map<String, List<Member>> members = repository.findMembersOfApplication(app.id()).stream()
                    .filter(m -> m.state() != MemberState.TERMINATED)
                    .collect(Collectors.groupingBy(Member::clusterId));
            List<CompleteTopologyEvent.Cluster> clusters = new ArrayList<>();
            for (Cluster c : repository.findClusters(app.id())) {
                clusters.add(new CompleteTopologyEvent.Cluster(
                        c.cartridgeType(),
                        c.id(),
                        c.state().stratosName(),
                        c.version(),
                        members.getOrDefault(c.id(), List.of()).stream()
                                .map(m -> new CompleteTopologyEvent.Member(
                                        m.id(), m.state().stratosName(), m.version()))
                                .toList()));
            }
            apps.add(new CompleteTopologyEvent.Application(app.id(), clusters));
        }
        return new CompleteTopologyEvent(takenAt.toString(), apps);
    }

    @Transactional(readOnly = true)
    public boolean applicationExists(String applicationId) {
        return repository.findApplication(applicationId).isPresent();
    }

    // ---- clusters

    @Transactional(readOnly = true)
    public List<Cluster> clusters(String applicationId) {
        return repository.findClusters(applicationId);
    }

    @Transactional(readOnly = true)
    public List<Cluster> clustersOfRuntime(RuntimeKind runtime) {
        return repository.findClustersByRuntime(runtime);
    }

    @Transactional(readOnly = true)
    public Cluster cluster(String clusterId) {
        return repository
                .findCluster(clusterId)
                .orElseThrow(() -> new NotFoundException("no cluster '" + clusterId + "'"));
    }

    /** Moves the cluster to {@code to}, checked against {@link ClusterState}'s table, and announces it. */
    public Cluster changeClusterState(String clusterId, ClusterState to, String updateId) {
        Cluster c = cluster(clusterId);
        if (c.state() == to) {
            return c;
        }
        if (!c.state().canMoveTo(to)) {
            throw new InvalidTransitionException("cluster", clusterId, c.state().toString(), to.toString());
        }
        if (!repository.compareAndSetClusterState(clusterId, c.state(), to)) {
            throw new ConflictException("cluster '" + clusterId + "' changed state concurrently; try again");
        }
        switch (to) {
            case PATCHING ->
                events.publish(
                        new ClusterPatchingEvent(c.applicationId(), c.cartridgeType(), c.id(), c.version(), updateId));
            case ACTIVE ->
                events.publish(
                        new ClusterActivatedEvent(c.applicationId(), c.cartridgeType(), c.id(), c.version(), updateId));
            case INACTIVE ->
                events.publish(new ClusterInactivatedEvent(
                        c.applicationId(),
                        c.cartridgeType(),
                        c.id(),
                        c.version(),
                        updateId,
                        describeMembers(clusterId)));
            default -> {}
        }
        log.info(
                "Cluster {} {} -> {}{}",
                clusterId,
                c.state(),
                to,
                updateId == null ? "" : " (update " + updateId + ")");
        return cluster(clusterId);
    }

    /**
     * The cluster follows its members (after an update, a rollback, or a member's return): its version becomes the one
     * all its Active members run (unchanged while they run different ones: the API then lists each version), and a
     * cluster with members of which none is Active is Inactive (announced), an Inactive one with an Active member
     * Active again. A Patching cluster keeps its state: the update that patches it ends that.
     */
    public Cluster settleCluster(String clusterId, String updateId) {
        Cluster c = cluster(clusterId);
        List<Member> live = repository.findMembers(clusterId).stream()
                .filter(m -> m.state() != MemberState.TERMINATED)
                .toList();
        List<String> versions = live.stream()
                .filter(m -> m.state() == MemberState.ACTIVE)
                .map(Member::version)
                .filter(Objects::nonNull)
                .distinct()
                .toList();
        if (versions.size() == 1 && !versions.get(0).equals(c.version())) {
            repository.updateClusterVersion(clusterId, versions.get(0));
        }
        boolean serving = live.stream().anyMatch(m -> m.state() == MemberState.ACTIVE);
        if (c.state() == ClusterState.ACTIVE && !serving && !live.isEmpty()) {
            return changeClusterState(clusterId, ClusterState.INACTIVE, updateId);
        }
        if (c.state() == ClusterState.INACTIVE && serving) {
            return changeClusterState(clusterId, ClusterState.ACTIVE, updateId);
        }
        return cluster(clusterId);
    }

    private String describeMembers(String clusterId) {
        List<Member> live = repository.findMembers(clusterId).stream()
                .filter(m -> m.state() != MemberState.TERMINATED)
                .toList();
        long active = live.stream().filter(m -> m.state() == MemberState.ACTIVE).count();
        return active + " of its " + live.size() + " members Active";
    }

    /** Takes the cluster for an update; false when another update holds it. Atomic across manager nodes. */
    public boolean lockCluster(String clusterId, String updateId) {
        return repository.lockCluster(clusterId, updateId);
    }

    public void unlockCluster(String clusterId, String updateId) {
        repository.unlockCluster(clusterId, updateId);
    }

    // ---- members

    @Transactional(readOnly = true)
    public Member member(String memberId) {
        return repository.findMember(memberId).orElseThrow(() -> new NotFoundException("no member '" + memberId + "'"));
    }

    @Transactional(readOnly = true)
    public java.util.Optional<Member> memberIfPresent(String memberId) {
        return repository.findMember(memberId);
    }

    @Transactional(readOnly = true)
    public List<Member> members(String clusterId) {
        return repository.findMembers(clusterId);
    }

    @Transactional(readOnly = true)
    public List<MemberTransition> transitions(String memberId) {
        return repository.findTransitions(memberId);
    }

    /** The state a member was in before it was last marked Updating: where it goes back when nothing ran. */
    @Transactional(readOnly = true)
    public MemberState stateBeforeUpdating(String memberId) {
        return repository.stateBeforeUpdating(memberId);
    }

    /**
     * A member's agent says it started ({@code activated} false) or is ready ({@code activated} true). An unknown
     * member of a known cluster joins, walking Created, Initialized, Starting (and Active); a known one advances.
     * Repeats change nothing. Members being updated are left to the update; terminated ones cannot come back. The
     * version and address of an Active member are never changed by a report. A Suspended member whose agent says it
     * is ready on a version the manager knows for it rejoins Active (see {@link #rejoin}).
     *
     * @throws UnknownTopologyException for an application or cluster the manager does not know
     * @throws MemberRecordConflictException when an Active member is reported on another version or address
     */
    public JoinOutcome join(MemberJoin report, boolean activated) {
        Cluster cluster = repository
                .findCluster(report.clusterId())
                .orElseThrow(() -> new UnknownTopologyException("unknown cluster '" + report.clusterId() + "'"));
        if (!cluster.applicationId().equals(report.applicationId())) {
            throw new UnknownTopologyException("cluster '" + report.clusterId() + "' does not belong to application '"
                    + report.applicationId() + "'");
        }
        MemberState target = activated ? MemberState.ACTIVE : MemberState.STARTING;
        Member member = repository.findMember(report.memberId()).orElse(null);
        if (member == null) {
            Instant now = clock.instant();
            try {
                // under a savepoint: on PostgreSQL a duplicate key aborts the transaction, and every statement after it
                // failed ("current transaction is aborted"): the report went back to the broker and came again (at
                // N = 1,000, 404 of the first reports of a fleet joining at once)
                savepoint.executeWithoutResult(status -> {
                    repository.insert(
                            new Member(
                                    report.memberId(),
                                    cluster.id(),
                                    MemberState.CREATED,
                                    report.version(),
                                    report.address(),
                                    now),
                            now);
                    repository.insertTransition(
                            report.memberId(), null, MemberState.CREATED, report.version(), "joined", now, null);
                });
            } catch (DuplicateKeyException raced) {
                // a second report of the same member (or a second manager node) inserted it first: advance it below
                log.debug("Member {} was inserted concurrently", report.memberId());
            }
            member = member(report.memberId());
        }
        if (!member.clusterId().equals(cluster.id())) {
            throw new UnknownTopologyException("member '" + member.id() + "' belongs to cluster '" + member.clusterId()
                    + "', not '" + cluster.id() + "'");
        }
        return switch (member.state()) {
            case CREATED, INITIALIZED, STARTING -> {
                if (member.state() == target) {
                    yield JoinOutcome.UNCHANGED;
                }
                walk(
                        member,
                        target,
                        report.version(),
                        report.address(),
                        cluster,
                        "agent reported " + (activated ? "InstanceActivatedEvent" : "InstanceStartedEvent"));
                yield JoinOutcome.JOINED;
            }
            case ACTIVE -> {
                // the record of an Active member is the manager's: a report never rewrites it (an update changes it)
                if (differs(member.version(), report.version()) || differs(member.address(), report.address())) {
                    throw new MemberRecordConflictException(member, report);
                }
                yield JoinOutcome.UNCHANGED;
            }
            case SUSPENDED -> activated ? rejoin(member, cluster, report) : JoinOutcome.IGNORED;
            case TERMINATED ->
                throw new InvalidTransitionException("member", member.id(), "Terminated", target.toString());
            default -> JoinOutcome.IGNORED;
        };
    }

    private static boolean differs(String recorded, String reported) {
        return reported != null && !reported.equals(recorded);
    }

    /**
     * A Suspended member's agent is back (restarted, re-registered) and says the member is ready on
     * {@code report.version()}. It rejoins Active when that is a version the manager knows for it — its recorded
     * version, the cluster's, or one its latest update moved it between — and no running update holds it (that update
     * decides). Otherwise it stays Suspended, and the log says why.
     */
    private JoinOutcome rejoin(Member member, Cluster cluster, MemberJoin report) {
        if (updates.heldByRunningUpdate(member.id())) {
            log.info("Member {} is back but held by a running update: left to the update", member.id());
            return JoinOutcome.IGNORED;
        }
        List<String> known = new ArrayList<>(updates.lastUpdateVersions(member.id()));
        known.add(member.version());
        known.add(cluster.version());
        if (report.version() == null || !known.contains(report.version())) {
            log.warn(
                    "Member {} is back on version {}, which is none the manager knows for it ({}): it stays Suspended",
                    member.id(),
                    report.version(),
                    known.stream().filter(Objects::nonNull).distinct().toList());
            return JoinOutcome.IGNORED;
        }
        move(
                member.id(),
                MemberState.ACTIVE,
                report.version(),
                report.version(),
                "agent is back: ready on " + report.version() + " (InstanceActivatedEvent)",
                null);
        settleCluster(cluster.id(), null);
        return JoinOutcome.JOINED;
    }

    /**
     * Retires a member that is gone for good (its VM deleted, never to come back): it ends Terminated, with the
     * operator and the reason in its transition log. An Active member leaves service first (Suspended). A member an
     * update is working on (Updating), or whose cluster an update holds, is not retired: that update decides.
     *
     * @throws ConflictException when the member is Updating or Terminated, or an update holds its cluster
     */
    public Member retire(String memberId, String user) {
        Member member = member(memberId);
        Cluster cluster = cluster(member.clusterId());
        if (member.state() == MemberState.TERMINATED || member.state() == MemberState.UPDATING) {
            throw new ConflictException("member '" + memberId + "' is " + member.state() + " and cannot be retired");
        }
        if (cluster.lockedBy() != null) {
            throw new ConflictException("member '" + memberId + "' cannot be retired while update '"
                    + cluster.lockedBy() + "' holds its cluster; retire it after that update has ended");
        }
        String reason = "retired by " + user + ": gone for good";
        for (MemberState step : retirementPath(member.state())) {
            move(memberId, step, null, null, reason, null);
        }
        settleCluster(cluster.id(), null);
        log.info("Member {} retired by {}", memberId, user);
        return member(memberId);
    }

    private static List<MemberState> retirementPath(MemberState from) {
        return switch (from) {
            case ACTIVE -> List.of(MemberState.SUSPENDED, MemberState.TERMINATED);
            case IN_MAINTENANCE -> List.of(MemberState.READY_TO_SHUT_DOWN, MemberState.TERMINATED);
            default -> List.of(MemberState.TERMINATED);
        };
    }

    /**
     * Moves a member to {@code to}, checked against the table. {@code version} (may be null: unchanged) is the
     * software it runs afterwards; {@code reason} and {@code updateId} go into the log and the event.
     *
     * @throws InvalidTransitionException when the table forbids it (nothing is changed)
     */
    public Member changeMemberState(String memberId, MemberState to, String version, String reason, String updateId) {
        return move(memberId, to, version, version, reason, updateId);
    }

    /**
     * Marks a member Updating for {@code updateId}. The member keeps its version until it is Active on the new one;
     * the {@code topology.MemberUpdatingEvent} names {@code targetVersion}, the version being applied.
     */
    public Member startUpdating(String memberId, String targetVersion, String reason, String updateId) {
        return move(memberId, MemberState.UPDATING, null, targetVersion, reason, updateId);
    }

    /** What {@link #startUpdatingAll} does to one member. */
    public record UpdatingMove(String memberId, String targetVersion, String reason) {}

    /**
     * {@link #startUpdating} for many members at once (a batch of an update): their rows read in one query, changed
     * and logged in one batch of statements each, each change announced as before. All or nothing: a member that
     * cannot move to Updating, or that changed state meanwhile, fails the whole call (its transaction rolls back).
     */
    public void startUpdatingAll(List<UpdatingMove> moves, String updateId) {
        moveAll(
                MemberState.UPDATING,
                moves.stream()
                        .map(m -> new Move(m.memberId(), null, m.targetVersion(), m.reason()))
                        .toList(),
                updateId);
    }

    /** What {@link #activateAll} does to one member: Active again, running {@code version}. */
    public record ActivatingMove(String memberId, String version, String reason) {}

    /**
     * Moves many members to Active on their new version at once (the members of a batch whose agents reported
     * success), as {@link #changeMemberState} would one by one: one query, one batch of statements for the state
     * change and one for the transition log, each change announced. All or nothing, as {@link #startUpdatingAll}.
     */
    public void activateAll(List<ActivatingMove> moves, String updateId) {
        moveAll(
                MemberState.ACTIVE,
                moves.stream()
                        .map(m -> new Move(m.memberId(), m.version(), m.version(), m.reason()))
                        .toList(),
                updateId);
    }

    /** One member's part of {@link #moveAll}: {@code version} null keeps the member's version. */
    private record Move(String memberId, String version, String announcedVersion, String reason) {}

    private void moveAll(MemberState to, List<Move> moves, String updateId) {
        if (moves.isEmpty()) {
            return;
        }
        Map<String, Member> found = repository
                .findMembersById(moves.stream().map(Move::memberId).toList())
                .stream()
                .collect(Collectors.toMap(Member::id, m -> m));
        List<Member> members = new ArrayList<>(moves.size());
        for (Move move : moves) {
            Member member = found.get(move.memberId());
            if (member == null) {
                throw new NotFoundException("no member '" + move.memberId() + "'");
            }
            if (!member.state().canMoveTo(to)) {
                throw new InvalidTransitionException(
                        "member", member.id(), member.state().toString(), to.toString());
            }
            members.add(member);
        }
        List<String> versions = moves.stream().map(Move::version).toList();
        Instant now = clock.instant();
        int changed = repository.compareAndSetMemberStates(members, to, versions, now);
        if (changed != members.size()) {
            throw new ConflictException((members.size() - changed) + " of " + members.size()
                    + " members changed state concurrently; try again");
        }
        repository.insertTransitions(
                members, to, versions, moves.stream().map(Move::reason).toList(), now, updateId);
        Map<String, Cluster> clusters = new java.util.HashMap<>();
        for (int i = 0; i < members.size(); i++) {
            Member member = members.get(i);
            Move move = moves.get(i);
            announce(
                    clusters.computeIfAbsent(member.clusterId(), this::cluster),
                    member.id(),
                    member.state(),
                    to,
                    move.announcedVersion() != null ? move.announcedVersion() : member.version(),
                    updateId,
                    move.reason());
        }
    }

    /** The members of {@code ids} that exist, by id: one query. */
    @Transactional(readOnly = true)
    public Map<String, Member> members(java.util.Collection<String> ids) {
        return repository.findMembersById(ids).stream().collect(Collectors.toMap(Member::id, m -> m));
    }

    private Member move(
            String memberId, MemberState to, String version, String announcedVersion, String reason, String updateId) {
        Member member = member(memberId);
        if (!member.state().canMoveTo(to)) {
            throw new InvalidTransitionException(
                    "member", memberId, member.state().toString(), to.toString());
        }
        Instant now = clock.instant();
        if (!repository.compareAndSetMemberState(memberId, member.state(), to, version, null, now)) {
            throw new ConflictException(
                    "member '" + memberId + "' changed state concurrently from " + member.state() + "; try again");
        }
        String newVersion = version == null ? member.version() : version;
        repository.insertTransition(memberId, member.state(), to, newVersion, reason, now, updateId);
        announce(
                cluster(member.clusterId()),
                memberId,
                member.state(),
                to,
                announcedVersion == null ? newVersion : announcedVersion,
                updateId,
                reason);
        return member(memberId);
    }

    private void walk(
            Member member, MemberState target, String version, String address, Cluster cluster, String reason) {
        MemberState from = member.state();
        Instant now = clock.instant();
        MemberState at = from;
        List<MemberState> path = new ArrayList<>();
        while (at != target) {
            MemberState next = switch (at) {
                case CREATED -> MemberState.INITIALIZED;
                case INITIALIZED -> MemberState.STARTING;
                case STARTING -> MemberState.ACTIVE;
                default ->
                    throw new InvalidTransitionException("member", member.id(), at.toString(), target.toString());
            };
            if (!at.canMoveTo(next)) {
                throw new InvalidTransitionException("member", member.id(), at.toString(), next.toString());
            }
            path.add(next);
            at = next;
        }
        if (!repository.compareAndSetMemberState(member.id(), from, target, version, address, now)) {
            throw new ConflictException("member '" + member.id() + "' changed state concurrently; try again");
        }
        MemberState previous = from;
        for (MemberState step : path) {
            repository.insertTransition(member.id(), previous, step, version, reason, now, null);
            previous = step;
        }
        announce(cluster, member.id(), from, target, version == null ? member.version() : version, null, reason);
    }

    private void announce(
            Cluster c,
            String memberId,
            MemberState from,
            MemberState to,
            String version,
            String updateId,
            String reason) {
        Object event = switch (to) {
            case ACTIVE ->
                new MemberActivatedEvent(
                        c.applicationId(), c.cartridgeType(), c.id(), memberId, version, updateId, null);
            case UPDATING ->
                new MemberUpdatingEvent(
                        c.applicationId(), c.cartridgeType(), c.id(), memberId, version, updateId, null);
            case SUSPENDED ->
                new MemberSuspendedEvent(
                        c.applicationId(), c.cartridgeType(), c.id(), memberId, version, updateId, reason);
            case TERMINATED ->
                new MemberTerminatedEvent(
                        c.applicationId(), c.cartridgeType(), c.id(), memberId, version, updateId, reason);
            default -> null;
        };
        if (event != null) {
            events.publish(event);
        }
        local.publishEvent(new MemberStateChanged(c.id(), memberId, from, to, version, updateId));
        log.debug("Member {} {} -> {} ({})", memberId, from, to, reason);
    }

    /** What a join report did. */
    public enum JoinOutcome {
        /** the member was added or advanced */
        JOINED,
        /** the member was already there (a repeated report) */
        UNCHANGED,
        /** the member is being updated or suspended; the update decides what becomes of it */
        IGNORED
    }
}
