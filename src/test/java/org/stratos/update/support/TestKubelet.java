package org.stratos.update.support;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Plays the kubelet for the mock API server, which has none: every new pod is started the way its image says
 * ({@link Behaviour}; ready by default) by writing its status, on a thread of its own. Tests can also flip readiness
 * and restart containers. It keeps the pods it sees from its watch, and checks readiness floors
 * ({@link #keepReady}) at every watch event and before and after each of its own actions: a breach is recorded
 * in {@link #violations()}; {@link #lowestReady} says how low a cluster went.
 */
public final class TestKubelet implements AutoCloseable {

    /** How a new pod's containers behave. */
    public enum Behaviour {
        READY,
        NEVER_READY,
        IMAGE_PULL_ERROR,
        CRASH_LOOP
    }

    /** One watch event, as the kubelet saw it. */
    public record Seen(String action, String cluster, String pod, String image, boolean ready, boolean terminating) {}

    private final KubernetesClient client;
    private final String namespace;
    private final Map<String, Behaviour> byImage = new ConcurrentHashMap<>();
    private final Map<String, Pod> pods = new ConcurrentHashMap<>();
    private final Map<String, Integer> floors = new ConcurrentHashMap<>();
    private final Map<String, Integer> lowest = new ConcurrentHashMap<>();
    private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    private final List<Seen> seen = Collections.synchronizedList(new ArrayList<>());
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-kubelet"));
    private final Watch watch;
    private int ip;

    public TestKubelet(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
        this.watch = client.pods().inNamespace(namespace).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                observe(action, pod);
            }

            @Override
            public void onClose(WatcherException cause) {}
        });
    }

    /** New pods on {@code image} behave so. */
    public TestKubelet behave(String image, Behaviour behaviour) {
        byImage.put(image, behaviour);
        return this;
    }

    /** From now on, the cluster must have at least {@code ready} ready pods (not terminating) at every moment. */
    public void keepReady(String clusterLabel, int ready) {
        lowest.put(clusterLabel, readyCount(clusterLabel));
        floors.put(clusterLabel, ready);
        check("when the floor was set");
    }

    public int lowestReady(String clusterLabel) {
        return lowest.getOrDefault(clusterLabel, -1);
    }

    public List<String> violations() {
        return List.copyOf(violations);
    }

    public List<Seen> seen() {
        synchronized (seen) {
            return List.copyOf(seen);
        }
    }

    /** Ready pods of the cluster (not terminating), as the API server has them now. */
    public int readyCount(String clusterLabel) {
        return (int)
                client
                        .pods()
                        .inNamespace(namespace)
                        .withLabel("stratos.apache.org/cluster", clusterLabel)
                        .list()
                        .getItems()
                        .stream()
                        .filter(p -> ready(p) && p.getMetadata().getDeletionTimestamp() == null)
                        .count();
    }

    public void makeReady(String name) {
        act(name, "made ready", p -> running(p, true, restarts(p)));
    }

    public void makeNotReady(String name) {
        act(name, "made not ready", p -> running(p, false, restarts(p)));
    }

    /** A container of the pod restarted: not ready, then ready again with a higher restart count. */
    public void restart(String name) {
        act(name, "restarted", p -> running(p, false, restarts(p) + 1));
        act(name, "ready after the restart", p -> running(p, true, restarts(p)));
    }

    private void observe(Watcher.Action action, Pod pod) {
        String name = pod.getMetadata().getName();
        seen.add(new Seen(
                action.name(),
                clusterOf(pod),
                name,
                pod.getSpec().getContainers().get(0).getImage(),
                ready(pod),
                pod.getMetadata().getDeletionTimestamp() != null));
        if (action == Watcher.Action.DELETED) {
            pods.remove(name);
        } else {
            pods.put(name, pod);
        }
        checkSeen("at " + action + " of " + name);
        if (action == Watcher.Action.ADDED && pod.getStatus() == null) {
            worker.submit(() -> start(name, behaviourOf(pod)));
        }
    }

    private static String clusterOf(Pod pod) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        return labels == null ? "" : labels.getOrDefault("stratos.apache.org/cluster", "");
    }

    private Behaviour behaviourOf(Pod pod) {
        return pod.getSpec().getContainers().stream()
                .map(Container::getImage)
                .map(byImage::get)
                .filter(java.util.Objects::nonNull)
                .findFirst()
                .orElse(Behaviour.READY);
    }

    private void start(String name, Behaviour behaviour) {
        act(name, "container creating", p -> waiting(p, "ContainerCreating", 0));
        switch (behaviour) {
            case READY -> act(name, "started, ready", p -> running(p, true, 0));
            case NEVER_READY -> act(name, "started, not ready", p -> running(p, false, 0));
            case IMAGE_PULL_ERROR -> {
                act(name, "image pull failed", p -> waiting(p, "ErrImagePull", 0));
                act(name, "image pull backing off", p -> waiting(p, "ImagePullBackOff", 0));
            }
            case CRASH_LOOP -> {
                act(name, "crashed", p -> running(p, false, 1));
                act(name, "crash loop", p -> waiting(p, "CrashLoopBackOff", 1));
            }
        }
    }

    private synchronized void act(String name, String what, java.util.function.UnaryOperator<PodStatus> status) {
        check("before " + what + " of " + name);
        Pod pod = client.pods().inNamespace(namespace).withName(name).get();
        if (pod == null) {
            return; // deleted meanwhile
        }
        PodStatus next = status.apply(pod.getStatus() == null ? new PodStatus() : pod.getStatus());
        client.pods().inNamespace(namespace).withName(name).editStatus(p -> {
            p.setStatus(next);
            return p;
        });
        check("after " + what + " of " + name);
    }

    private PodStatus waiting(PodStatus status, String reason, int restarts) {
        return new PodStatusBuilder(status)
                .withPhase("Pending")
                .withConditions(conditions(false))
                .withContainerStatuses(new ContainerStatusBuilder()
                        .withName("app")
                        .withReady(false)
                        .withRestartCount(restarts)
                        .withNewState()
                        .withNewWaiting()
                        .withReason(reason)
                        .withMessage(reason + " (test kubelet)")
                        .endWaiting()
                        .endState()
                        .build())
                .build();
    }

    private synchronized PodStatus running(PodStatus status, boolean ready, int restarts) {
        String address = status.getPodIP() != null ? status.getPodIP() : "10.0.0." + (++ip % 250 + 1);
        return new PodStatusBuilder(status)
                .withPhase("Running")
                .withPodIP(address)
                .withConditions(conditions(ready))
                .withContainerStatuses(new ContainerStatusBuilder()
                        .withName("app")
                        .withReady(ready)
                        .withRestartCount(restarts)
                        .withStarted(true)
                        .withNewState()
                        .withNewRunning()
                        .withStartedAt("2026-11-01T00:00:00Z")
                        .endRunning()
                        .endState()
                        .build())
                .build();
    }

    private static List<PodCondition> conditions(boolean ready) {
        String s = ready ? "True" : "False";
        return List.of(
                new PodConditionBuilder()
                        .withType("PodScheduled")
                        .withStatus("True")
                        .build(),
                new PodConditionBuilder()
                        .withType("ContainersReady")
                        .withStatus(s)
                        .build(),
                new PodConditionBuilder().withType("Ready").withStatus(s).build());
    }

    private static int restarts(PodStatus status) {
        return status.getContainerStatuses() == null
                ? 0
                : status.getContainerStatuses().stream()
                        .map(ContainerStatus::getRestartCount)
                        .filter(java.util.Objects::nonNull)
                        .mapToInt(Integer::intValue)
                        .sum();
    }

    private static boolean ready(Pod pod) {
        return pod.getStatus() != null
                && pod.getStatus().getConditions() != null
                && pod.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** Checks the floors against the API server. */
    private void check(String when) {
        floors.forEach((cluster, floor) -> record(cluster, floor, readyCount(cluster), when + " (API server)"));
    }

    /** Checks the floors against the pods as the watch has delivered them. */
    private void checkSeen(String when) {
        floors.forEach((cluster, floor) -> record(
                cluster,
                floor,
                (int) pods.values().stream()
                        .filter(p -> cluster.equals(clusterOf(p)))
                        .filter(p -> ready(p) && p.getMetadata().getDeletionTimestamp() == null)
                        .count(),
                when + " (watch)"));
    }

    private void record(String cluster, int floor, int ready, String when) {
        lowest.merge(cluster, ready, Math::min);
        if (ready < floor) {
            violations.add(cluster + ": " + ready + " ready pods < " + floor + " " + when);
        }
    }

    @Override
    public void close() throws InterruptedException {
        watch.close();
        worker.shutdownNow();
        worker.awaitTermination(5, TimeUnit.SECONDS);
    }
}
