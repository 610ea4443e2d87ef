package org.stratos.update.runtime.kubernetes;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pod informer per watched namespace, on the pods with a {@code stratos.apache.org/cluster} label: every pod
 * found, changed or gone is handed to {@link MemberSync}; once a namespace is listed, its clusters' members that have
 * no pod are terminated. The informers' caches answer which pods a cluster has. A pod the runtime has just created is
 * held back until the step that created it has committed, so the flow has recorded it before its readiness counts.
 */
class PodWatch implements ResourceEventHandler<Pod> {

    private static final Logger log = LoggerFactory.getLogger(PodWatch.class);

    private final KubernetesClient client;
    private final KubernetesProperties settings;
    private final MemberSync sync;
    private final ClusterMembers members;
    private final Map<String, SharedIndexInformer<Pod>> informers = new ConcurrentHashMap<>();
    private final Set<String> held = ConcurrentHashMap.newKeySet();
    private final ExecutorService background = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "pod-watch");
        t.setDaemon(true);
        return t;
    });

    PodWatch(KubernetesClient client, KubernetesProperties settings, MemberSync sync, ClusterMembers members) {
        this.client = client;
        this.settings = settings;
        this.sync = sync;
        this.members = members;
    }

    /** Starts watching; the stage completes once every namespace is listed and reconciled. */
    CompletionStage<Void> start() {
        CompletableFuture<?>[] started = settings.namespaces(client.getNamespace()).stream()
                .map(ns -> {
                    SharedIndexInformer<Pod> informer = client.pods()
                            .inNamespace(ns)
                            .withLabel(PodLabels.CLUSTER)
                            .runnableInformer(settings.resyncPeriod().toMillis());
                    informer.addEventHandler(this);
                    informer.exceptionHandler((isStarted, t) -> {
                        log.warn("Pod watch in namespace {} failed ({}); retrying", ns, t.toString());
                        return true;
                    });
                    informers.put(ns, informer);
                    // off the client's I/O thread that completes the start: reconciling reads and writes the database
                    return informer.start()
                            .thenRunAsync(() -> {
                                sync.reconcile(
                                        clustersIn(ns),
                                        memberId -> informer.getStore().list().stream()
                                                .map(PodLabels::identify)
                                                .anyMatch(id -> id != null && memberId.equals(id.memberId())));
                                log.info(
                                        "Watching pods of kubernetes clusters in namespace {}: {} found",
                                        ns,
                                        informer.getStore().list().size());
                            })
                            .toCompletableFuture();
                })
                .toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(started);
    }

    void stop() {
        informers.values().forEach(SharedIndexInformer::stop);
        informers.clear();
        background.shutdownNow();
    }

    String namespaceOf(String clusterId) {
        return settings.namespaceOf(clusterId, client.getNamespace());
    }

    /** The cluster's pods in the cache, live and ready ones first, then the oldest. */
    List<Pod> podsOf(String clusterId) {
        SharedIndexInformer<Pod> informer = informers.get(namespaceOf(clusterId));
        if (informer == null) {
            return List.of();
        }
        return informer.getStore().list().stream()
                .filter(p -> {
                    PodLabels.PodMember id = PodLabels.identify(p);
                    return id != null && id.clusterId().equals(clusterId) && !Pods.controlled(p);
                })
                .sorted(Comparator.comparing(Pods::terminating)
                        .thenComparing(p -> !Pods.ready(p))
                        .thenComparing(p -> String.valueOf(p.getMetadata().getCreationTimestamp())))
                .toList();
    }

    /** The member's pod in the cache. */
    Optional<Pod> podOf(String clusterId, String memberId) {
        return podsOf(clusterId).stream()
                .filter(p -> memberId.equals(PodLabels.identify(p).memberId()))
                .findFirst();
    }

    /**
     * Pods of an application registered after they were found: adopted now, on a thread of its own (called after
     * the registration commits, while its transaction's resources are still bound to the calling thread).
     */
    void adopt(String applicationId) {
        background.execute(() -> informers
                .values()
                .forEach(i -> i.getStore().list().forEach(pod -> {
                    PodLabels.PodMember id = PodLabels.identify(pod);
                    if (id != null
                            && members.cluster(id.clusterId())
                                    .filter(c -> c.applicationId().equals(applicationId))
                                    .isPresent()) {
                        sync.podChanged(pod);
                    }
                })));
    }

    /** Events of the pod are not handed on until {@link #release}; if never released, until it is gone. */
    void hold(String namespace, String name) {
        held.add(namespace + "/" + name);
    }

    /**
     * Hands on the pod's latest state (from the cache), if it is there yet; its later events follow as usual. Runs on
     * a thread of its own: called as a transaction completes, whose resources are still bound to the calling thread.
     */
    void release(String namespace, String name) {
        background.execute(() -> {
            held.remove(namespace + "/" + name);
            SharedIndexInformer<Pod> informer = informers.get(namespace);
            Pod pod = informer == null ? null : informer.getStore().getByKey(namespace + "/" + name);
            if (pod != null) {
                sync.podChanged(pod);
            }
        });
    }

    @Override
    public void onAdd(Pod pod) {
        if (!isHeld(pod)) {
            sync.podChanged(pod);
        }
    }

    @Override
    public void onUpdate(Pod before, Pod pod) {
        if (!isHeld(pod)) {
            sync.podChanged(pod);
        }
    }

    @Override
    public void onDelete(Pod pod, boolean finalStateUnknown) {
        if (!held.remove(Pods.name(pod))) {
            sync.podGone(pod);
        }
    }

    private boolean isHeld(Pod pod) {
        return held.contains(Pods.name(pod));
    }

    private List<org.stratos.update.topology.Cluster> clustersIn(String namespace) {
        return members.clusters().stream()
                .filter(c -> namespaceOf(c.id()).equals(namespace))
                .toList();
    }
}
