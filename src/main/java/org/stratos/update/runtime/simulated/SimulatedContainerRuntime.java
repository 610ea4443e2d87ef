package org.stratos.update.runtime.simulated;

import java.util.Random;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.stratos.update.runtime.AfterCommit;
import org.stratos.update.runtime.ContainerRuntime;
import org.stratos.update.runtime.MemberStartFailed;
import org.stratos.update.topology.Cluster;
import org.stratos.update.topology.MemberState;
import org.stratos.update.topology.RuntimeKind;
import org.stratos.update.topology.TopologyService;

/**
 * Container members of simulated clusters, replaced the way Kubernetes replaces pods: a new member id on the new
 * image, a start-up latency, readiness when its agent reports Activated; the old member's agent stops when it is
 * removed. With {@code stratos.simulated.failure-rate}, that share of new members crash-loops and never gets ready.
 */
@Component
class SimulatedContainerRuntime implements ContainerRuntime {

    private final SimulatedFleet fleet;
    private final SimulatedProperties settings;
    private final TopologyService topology;
    private final ApplicationEventPublisher events;
    private final Random random = new Random();

    SimulatedContainerRuntime(
            SimulatedFleet fleet,
            SimulatedProperties settings,
            TopologyService topology,
            ApplicationEventPublisher events) {
        this.fleet = fleet;
        this.settings = settings;
        this.topology = topology;
        this.events = events;
    }

    @Override
    public RuntimeKind kind() {
        return RuntimeKind.SIMULATED;
    }

    @Override
    public String startMember(Cluster cluster, String image, String updateId, String place) {
        // nothing outlives the manager here: a start that never committed left nothing behind to adopt
        String memberId = cluster.id() + UUID.randomUUID();
        AfterCommit.run(() -> start(cluster, memberId, image));
        return memberId;
    }

    /**
     * The simulated containers run in the manager and die with it: one the update still waits for is started again
     * under its id (with the start-up latency of a new one), unless it runs already.
     */
    @Override
    public void resume(Cluster cluster, String memberId, String image, String updateId) {
        if (!fleet.isRunningOrStarting(memberId)) {
            start(cluster, memberId, image);
        }
    }

    private void start(Cluster cluster, String memberId, String image) {
        boolean crashLoops = FailingVersions.fails(settings.failingVersions(), image)
                || random.nextDouble() < settings.failureRate();
        if (crashLoops) {
            fleet.later(
                    settings.startLatency(),
                    () -> events.publishEvent(new MemberStartFailed(
                            cluster.id(),
                            memberId,
                            "CrashLoopBackOff: the simulated container on " + image + " keeps exiting")));
        } else {
            fleet.startMember(cluster, memberId, image, settings.startLatency());
        }
    }

    @Override
    public boolean isHealthy(Cluster cluster, String memberId) {
        return fleet.isRunning(memberId) && topology.member(memberId).state() == MemberState.ACTIVE;
    }

    @Override
    public void removeMember(Cluster cluster, String memberId) {
        AfterCommit.run(() -> fleet.stopMember(memberId));
    }
}
