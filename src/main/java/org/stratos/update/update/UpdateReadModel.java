package org.stratos.update.update;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.stratos.update.common.InvalidInputException;
import org.stratos.update.common.NotFoundException;
import org.stratos.update.topology.TopologyService;
import org.stratos.update.update.UpdateRepository.ClusterRow;
import org.stratos.update.update.UpdateView.ClusterView;
import org.stratos.update.update.UpdateView.MemberView;
import org.stratos.update.update.UpdateView.ProgressCounts;
import org.stratos.update.update.UpdateView.RunView;

/**
 * The read model of updates for the API: {@link UpdateView}s built from the update tables with one statement per table
 * for a whole page of updates, never one per cluster or member.
 */
@Service
@Transactional(readOnly = true)
public class UpdateReadModel {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;

    private final UpdateRepository repository;
    private final CheckedRequests checkedRequests;
    private final TopologyService topology;

    UpdateReadModel(UpdateRepository repository, CheckedRequests checkedRequests, TopologyService topology) {
        this.repository = repository;
        this.checkedRequests = checkedRequests;
        this.topology = topology;
    }

    /** One update with every member's progress and output tail. */
    public UpdateView update(String updateId) {
        return find(updateId).orElseThrow(() -> new NotFoundException("no update '" + updateId + "'"));
    }

    /** One update, if it exists. */
    public Optional<UpdateView> find(String updateId) {
        return repository.find(updateId).map(u -> build(List.of(u), true).get(0));
    }

    /** The latest updates, newest first, of one application or all; members without their output tail. */
    public List<UpdateView> updates(String applicationId, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidInputException("limit", limit + " is not between 1 and " + MAX_LIMIT);
        }
        if (applicationId != null && !topology.applicationExists(applicationId)) {
            throw new NotFoundException("no application '" + applicationId + "'");
        }
        return build(repository.findAll(applicationId, limit), false);
    }

    private List<UpdateView> build(List<UpdateRecord> updates, boolean withOutputTail) {
        List<String> ids = updates.stream().map(UpdateRecord::id).toList();
        Map<String, List<ClusterRow>> clusters = repository.clusterRows(ids).stream()
                .collect(Collectors.groupingBy(c -> c.record().updateId()));
        Map<String, List<MemberRecord>> members = repository.members(ids, withOutputTail).stream()
                .collect(Collectors.groupingBy(m -> m.updateId() + "\n" + m.clusterId()));
        List<UpdateView> views = new ArrayList<>(updates.size());
        for (UpdateRecord u : updates) {
            UpdateRequest request = checkedRequests.read(u.request());
            List<ClusterView> clusterViews = clusters.getOrDefault(u.id(), List.of()).stream()
                    .map(c -> cluster(
                            c,
                            request,
                            members.getOrDefault(u.id() + "\n" + c.record().clusterId(), List.of())))
                    .toList();
            views.add(update(u, request, clusterViews));
        }
        return views;
    }

    private static UpdateView update(UpdateRecord u, UpdateRequest request, List<ClusterView> clusters) {
        ClusterView current = u.state().ended()
                ? null
                : clusters.stream()
                        .filter(c -> c.state() == ClusterProgress.RUNNING || c.state() == ClusterProgress.ROLLING_BACK)
                        .findFirst()
                        .orElse(null);
        int members = clusters.stream().mapToInt(ClusterView::members).sum();
        ProgressCounts totals =
                clusters.stream().map(ClusterView::counts).reduce(ProgressCounts.NONE, ProgressCounts::plus);
        int done = clusters.stream()
                .mapToInt(c -> done(c.state(), c.counts(), c.members()))
                .sum();
        return new UpdateView(
                u.id(),
                u.applicationId(),
                u.state(),
                u.requestedAction(),
                u.createdBy(),
                u.createdAt(),
                u.startedAt(),
                u.endedAt(),
                u.message(),
                request,
                current == null ? null : current.clusterId(),
                current == null ? null : current.currentBatch(),
                members,
                totals,
                percent(done, members),
                clusters);
    }

    private static ClusterView cluster(ClusterRow row, UpdateRequest request, List<MemberRecord> records) {
        ClusterRecord c = row.record();
        Plan plan = c.state() == ClusterProgress.PENDING
                ? Plan.preview(request, row.liveMembers())
                : new Plan(c.members(), c.batchSize(), c.failureBudget(), c.minHealthy());
        int[] byState = new int[MemberProgress.values().length];
        records.forEach(m -> byState[m.state().ordinal()]++);
        int unplanned = Math.max(0, plan.members() - records.size());
        ProgressCounts counts = new ProgressCounts(
                byState[MemberProgress.PENDING.ordinal()] + unplanned,
                byState[MemberProgress.UPDATING.ordinal()],
                byState[MemberProgress.UPDATED.ordinal()],
                byState[MemberProgress.FAILED.ordinal()],
                byState[MemberProgress.NOT_APPLIED.ordinal()],
                byState[MemberProgress.ROLLING_BACK.ordinal()],
                byState[MemberProgress.ROLLED_BACK.ordinal()],
                byState[MemberProgress.ROLLBACK_FAILED.ordinal()]);
        int done = done(c.state(), counts, plan.members());
        int batches = plan.batchSize() == 0 ? 0 : (plan.members() + plan.batchSize() - 1) / plan.batchSize();
        return new ClusterView(
                c.clusterId(),
                row.alias(),
                c.state(),
                c.fromVersion(),
                c.toVersion(),
                plan.members(),
                plan.batchSize(),
                plan.failureBudget(),
                plan.minHealthy(),
                c.currentBatch(),
                batches,
                c.approvedBatch(),
                counts,
                percent(done, plan.members()),
                c.message(),
                c.startedAt(),
                c.endedAt(),
                records.stream().map(UpdateReadModel::member).toList());
    }

    private static MemberView member(MemberRecord m) {
        Long duration = m.startedAt() == null || m.endedAt() == null
                ? null
                : Duration.between(m.startedAt(), m.endedAt()).toMillis();
        RunResult update = m.update();
        return new MemberView(
                m.memberId(),
                m.current(),
                m.replacementMemberId(),
                m.clusterId(),
                m.batchNumber(),
                m.state(),
                m.fromVersion(),
                m.toVersion(),
                m.startedAt(),
                m.endedAt(),
                duration,
                update.exitCode(),
                update.failure(),
                update.message(),
                update.outputTail(),
                update.resourcesChanged(),
                update.resourcesFailed(),
                update.lateReport(),
                m.rollbackStartedAt(),
                m.rollbackEndedAt(),
                m.rollbackStartedAt() == null && m.rollback().message() == null ? null : run(null, m.rollback()),
                m.preflight() == null ? null : run(m.preflight(), m.preflightRun()));
    }

    private static RunView run(PreflightResult result, RunResult r) {
        return new RunView(
                result,
                r.exitCode(),
                r.failure(),
                r.message(),
                r.outputTail(),
                r.resourcesChanged(),
                r.resourcesFailed(),
                r.lateReport());
    }

    /** Members of a cluster the update is done with; all of them once the cluster is updated. */
    private static int done(ClusterProgress state, ProgressCounts counts, int members) {
        return state.wentThrough() ? members : Math.min(counts.finished(), members);
    }

    private static int percent(int done, int of) {
        return of == 0 ? 0 : done * 100 / of;
    }

    /** The sizes of a cluster's update: fixed when it starts, previewed from the request before. */
    private record Plan(int members, int batchSize, int failureBudget, int minHealthy) {

        static Plan preview(UpdateRequest request, int size) {
            boolean phased = !Boolean.FALSE.equals(request.compatible());
            Quantity batch = parsed(request.batchSize(), UpdateSettings.DEFAULT_BATCH);
            Quantity failures = parsed(request.maxFailures(), UpdateSettings.DEFAULT_MAX_FAILURES);
            int minHealthyPercent = request.minHealthyPercent() == null
                    ? UpdateSettings.DEFAULT_MIN_HEALTHY_PERCENT
                    : request.minHealthyPercent();
            RolloutRules.ClusterSizing sizing =
                    RolloutRules.sizeCluster(size, phased, batch, failures, minHealthyPercent);
            return new Plan(size, size == 0 ? 0 : sizing.batchSize(), sizing.failureBudget(), sizing.minHealthy());
        }

        private static Quantity parsed(String text, Quantity fallback) {
            Quantity q = text == null || text.isBlank() ? null : Quantity.parse(text);
            return q == null ? fallback : q;
        }
    }
}
