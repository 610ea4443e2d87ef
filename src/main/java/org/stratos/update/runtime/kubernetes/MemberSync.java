package org.stratos.update.runtime.kubernetes;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.TransientDataAccessException;
import org.stratos.update.common.ConflictException;
import org.stratos.update.runtime.MemberStartFailed;
import org.stratos.update.topology.Cluster;
import org.stratos.update.topology.Member;
import org.stratos.update.topology.MemberState;

/**
 * Brings a pod's member in step with the pod. Not ready yet: the member joins as Starting. Ready: it joins as Active
 * (which lets a waiting update go on), or comes back from Suspended. Ready no more, or terminating: an Active member
 * is Suspended (out of rotation). Gone: the member is Terminated (through Suspended when it was Active, as the table
 * wants). A pod that will never be ready is reported once as {@link MemberStartFailed}. Members being updated are left
 * to the update. Every move goes through the transition table; a move that raced another one is tried again.
 */
class MemberSync {

    private static final Logger log = LoggerFactory.getLogger(MemberSync.class);
    private static final int ATTEMPTS = 3;

    private final ClusterMembers members;
    private final KubernetesProperties settings;
    private final ApplicationEventPublisher events;
    private final Map<String, Integer> restartsWhenReady = new ConcurrentHashMap<>();
    private final Set<String> reportedFailures = ConcurrentHashMap.newKeySet();
    private final Set<String> warnedControlled = ConcurrentHashMap.newKeySet();

    MemberSync(ClusterMembers members, KubernetesProperties settings, ApplicationEventPublisher events) {
        this.members = members;
        this.settings = settings;
        this.events = events;
    }

    /** A pod was found, or changed. */
    void podChanged(Pod pod) {
        retrying("pod " + Pods.name(pod), () -> follow(pod));
    }

    /** A pod is gone from the API server. */
    void podGone(Pod pod) {
        retrying("pod " + Pods.name(pod), () -> gone(pod));
    }

    /** After the watch listed a namespace: members of its {@code clusters} without a pod ({@code hasPod}) are gone. */
    void reconcile(Collection<Cluster> clusters, Predicate<String> hasPod) {
        for (Cluster cluster : clusters) {
            for (Member m : members.members(cluster.id())) {
                // the pod cache is read after the member: a member that joined meanwhile has its pod there already
                if (m.state() != MemberState.TERMINATED && !hasPod.test(m.id())) {
                    retrying(
                            "member " + m.id(),
                            () -> terminate(
                                    members.member(m.id()).orElseThrow(),
                                    "no pod of the member was found when the watch started"));
                }
            }
        }
    }

    /**
     * Whether a pod of member {@code memberId} that no update recorded may be taken as a replacement: its member is
     * unknown, starting or Active (it joined while nobody waited for it), not one that was updated, failed or ended.
     */
    boolean mayAdopt(String memberId) {
        MemberState state = members.member(memberId).map(Member::state).orElse(null);
        return state == null
                || state == MemberState.CREATED
                || state == MemberState.INITIALIZED
                || state == MemberState.STARTING
                || state == MemberState.ACTIVE;
    }

    /** Restarts of the member's containers since the watch first saw its pod ready (0 if it never did). */
    int restartsSinceReady(String memberId, Pod pod) {
        Integer base = restartsWhenReady.get(memberId);
        return base == null ? 0 : Pods.restarts(pod) - base;
    }

    private void follow(Pod pod) {
        PodLabels.PodMember id = PodLabels.identify(pod);
        if (id == null || controlled(pod)) {
            return;
        }
        Cluster cluster = members.cluster(id.clusterId()).orElse(null);
        if (cluster == null) {
            log.debug(
                    "Pod {} is of cluster {}, which is no registered kubernetes cluster",
                    Pods.name(pod),
                    id.clusterId());
            return;
        }
        MemberState state = members.member(id.memberId()).map(Member::state).orElse(null);
        String what = "pod " + Pods.name(pod);
        if (state == MemberState.TERMINATED) {
            return;
        }
        if (Pods.terminating(pod)) {
            if (state == MemberState.ACTIVE) {
                members.move(id.memberId(), MemberState.SUSPENDED, what + " is terminating");
            }
            return;
        }
        boolean starting = state == null
                || state == MemberState.CREATED
                || state == MemberState.INITIALIZED
                || state == MemberState.STARTING;
        if (Pods.ready(pod)) {
            restartsWhenReady.putIfAbsent(id.memberId(), Pods.restarts(pod));
            if (starting || state == MemberState.ACTIVE) {
                members.join(cluster, id.memberId(), Pods.image(pod), Pods.address(pod), true);
            } else if (state == MemberState.SUSPENDED) {
                members.move(id.memberId(), MemberState.ACTIVE, what + " is ready again");
            }
            return;
        }
        if (starting) {
            members.join(cluster, id.memberId(), Pods.image(pod), Pods.address(pod), false);
            String failure = Pods.failure(pod, settings.failureReasons(), settings.restartLimit());
            if (failure != null && !reportedFailures.contains(id.memberId())) {
                log.warn("Member {} will not get ready: {}: {}", id.memberId(), what, failure);
                events.publishEvent(new MemberStartFailed(cluster.id(), id.memberId(), what + ": " + failure));
                reportedFailures.add(id.memberId());
            }
        } else if (state == MemberState.ACTIVE) {
            members.move(id.memberId(), MemberState.SUSPENDED, what + " is not ready");
        }
    }

    private void gone(Pod pod) {
        PodLabels.PodMember id = PodLabels.identify(pod);
        if (id == null) {
            return;
        }
        restartsWhenReady.remove(id.memberId());
        reportedFailures.remove(id.memberId());
        Member member = members.member(id.memberId()).orElse(null);
        if (member == null || member.state() == MemberState.TERMINATED) {
            return;
        }
        boolean neverReady = member.state() == MemberState.CREATED
                || member.state() == MemberState.INITIALIZED
                || member.state() == MemberState.STARTING;
        terminate(member, "pod " + Pods.name(pod) + " was deleted");
        if (neverReady) {
            events.publishEvent(new MemberStartFailed(
                    member.clusterId(),
                    member.id(),
                    "pod " + Pods.name(pod) + " was deleted before it was ever ready"));
        }
    }

    private void terminate(Member member, String reason) {
        MemberState at = member.state();
        if (at == MemberState.TERMINATED) {
            return;
        }
        if (at == MemberState.ACTIVE) {
            members.move(member.id(), MemberState.SUSPENDED, reason);
        } else if (at == MemberState.IN_MAINTENANCE) {
            members.move(member.id(), MemberState.READY_TO_SHUT_DOWN, reason);
        }
        members.move(member.id(), MemberState.TERMINATED, reason);
        log.info("Member {} terminated: {}", member.id(), reason);
    }

    private boolean controlled(Pod pod) {
        if (!Pods.controlled(pod)) {
            return false;
        }
        if (warnedControlled.add(pod.getMetadata().getUid())) {
            log.warn(
                    "Pod {} carries Stratos labels but belongs to a controller; members are bare pods, it is ignored",
                    Pods.name(pod));
        }
        return true;
    }

    private void retrying(String subject, Runnable step) {
        for (int attempt = 1; ; attempt++) {
            try {
                step.run();
                return;
            } catch (ConflictException | TransientDataAccessException raced) {
                if (attempt >= ATTEMPTS) {
                    log.warn(
                            "{}: the member could not be brought in step ({}); the next resync tries again",
                            subject,
                            raced.getMessage());
                    return;
                }
                log.debug("{}: {}; trying again", subject, raced.getMessage());
            } catch (RuntimeException e) {
                log.error("{}: the member could not be brought in step; the next resync tries again", subject, e);
                return;
            }
        }
    }
}
