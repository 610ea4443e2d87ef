package org.stratos.update.runtime.kubernetes;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.stratos.update.runtime.ContainerRuntime;
import org.stratos.update.topology.Cluster;
import org.stratos.update.topology.RuntimeKind;

/**
 * Members of {@code kubernetes} clusters as pods. Calls reach the API server inside the flow's step, so an API error
 * (5xx, connection refused, 409 conflict) fails the step and the engine retries it, then raises an incident; a pod
 * created by a step that rolls back is deleted again. Readiness and failed starts are reported by the pod watch.
 */
class KubernetesContainerRuntime implements ContainerRuntime {

    private static final Logger log = LoggerFactory.getLogger(KubernetesContainerRuntime.class);

    private final KubernetesClient client;
    private final PodWatch watch;
    private final PodTemplates templates;
    private final MemberSync sync;

    KubernetesContainerRuntime(KubernetesClient client, PodWatch watch, PodTemplates templates, MemberSync sync) {
        this.client = client;
        this.watch = watch;
        this.templates = templates;
        this.sync = sync;
    }

    @Override
    public RuntimeKind kind() {
        return RuntimeKind.KUBERNETES;
    }

    /**
     * Creates the new member's pod from one of the cluster's pods (live and ready ones first), or from the template
     * kept for the cluster when none is left, with {@code image} on its main container.
     */
    @Override
    public String startMember(Cluster cluster, String image, String updateId, String place) {
        String namespace = watch.namespaceOf(cluster.id());
        Pod orphan = place == null ? null : orphanOf(namespace, cluster, image, updateId, place);
        if (orphan != null) {
            // the manager died after creating this pod and before the step that created it committed
            log.info(
                    "Update {}: pod {} on {} for {} was created by a step that never committed; adopted",
                    updateId,
                    Pods.name(orphan),
                    image,
                    place);
            return PodLabels.identify(orphan).memberId();
        }
        Pod template = watch.podsOf(cluster.id()).stream()
                .findFirst()
                .map(PodTemplates::template)
                .or(() -> templates.remembered(namespace, cluster))
                .orElseThrow(() -> new IllegalStateException("cluster '" + cluster.id() + "' has no pod in namespace '"
                        + namespace + "' to copy and no template ConfigMap '" + PodTemplates.configMapName(cluster)
                        + "'; create one (see docs/kubernetes.md) and retry"));
        String suffix = UUID.randomUUID().toString();
        Pod pod = PodTemplates.newPod(template, cluster, suffix, image, updateId, place);
        String name = pod.getMetadata().getName();
        undoIfRolledBack(namespace, name);
        client.pods().inNamespace(namespace).resource(pod).create();
        log.info("Update {}: pod {}/{} created on {} for cluster {}", updateId, namespace, name, image, cluster.id());
        return cluster.id() + suffix;
    }

    /**
     * A live pod made for {@code place} of update {@code updateId} on {@code image} whose member the manager does not
     * know as anything but starting: one a step created before the manager died, the step never committed. Read from
     * the API server, not the watch's cache, which may not have listed the namespace yet after a restart.
     */
    private Pod orphanOf(String namespace, Cluster cluster, String image, String updateId, String place) {
        return client
                .pods()
                .inNamespace(namespace)
                .withLabel(PodLabels.CLUSTER, PodLabels.labelValue(cluster.id()))
                .list()
                .getItems()
                .stream()
                .filter(p -> !Pods.terminating(p) && !Pods.controlled(p))
                .filter(p -> updateId.equals(annotation(p, PodLabels.UPDATE_ID))
                        && place.equals(annotation(p, PodLabels.PLACE))
                        && image.equals(Pods.image(p)))
                .filter(p -> sync.mayAdopt(PodLabels.identify(p).memberId()))
                .findFirst()
                .orElse(null);
    }

    private static String annotation(Pod pod, String key) {
        return pod.getMetadata().getAnnotations() == null
                ? null
                : pod.getMetadata().getAnnotations().get(key);
    }

    /** The member's pod is Ready now, not terminating, and its containers have not restarted since it got ready. */
    @Override
    public boolean isHealthy(Cluster cluster, String memberId) {
        String namespace = watch.namespaceOf(cluster.id());
        String name = watch.podOf(cluster.id(), memberId)
                .map(p -> p.getMetadata().getName())
                .orElse(null);
        Pod pod = name == null
                ? null
                : client.pods().inNamespace(namespace).withName(name).get();
        return pod != null && !Pods.terminating(pod) && Pods.ready(pod) && sync.restartsSinceReady(memberId, pod) == 0;
    }

    /**
     * Deletes the member's pod without overriding its grace period: the API server gives it its own
     * {@code terminationGracePeriodSeconds}. Its spec is kept as the cluster's template first. A pod already gone is
     * no error.
     */
    @Override
    public void removeMember(Cluster cluster, String memberId) {
        String namespace = watch.namespaceOf(cluster.id());
        List<Pod> pods = watch.podOf(cluster.id(), memberId)
                .map(List::of)
                .orElseGet(() -> client
                        .pods()
                        .inNamespace(namespace)
                        .withLabel(PodLabels.CLUSTER, PodLabels.labelValue(cluster.id()))
                        .list()
                        .getItems()
                        .stream()
                        .filter(p -> memberId.equals(PodLabels.identify(p).memberId()))
                        .toList());
        for (Pod pod : pods) {
            templates.remember(namespace, cluster, pod);
            client.pods()
                    .inNamespace(namespace)
                    .withName(pod.getMetadata().getName())
                    .delete();
            log.info("Pod {} of member {} deleted", Pods.name(pod), memberId);
        }
    }

    /**
     * Inside a transaction: the watch holds the new pod back until the step commits, and the pod is deleted (and
     * never joins) if the step rolls back: the retry creates another one.
     */
    private void undoIfRolledBack(String namespace, String name) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return;
        }
        watch.hold(namespace, name);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                if (status == STATUS_COMMITTED) {
                    watch.release(namespace, name);
                    return;
                }
                // held until it is gone: it never becomes a member
                try {
                    client.pods().inNamespace(namespace).withName(name).delete();
                    log.info("Pod {}/{} deleted: the step that created it rolled back", namespace, name);
                } catch (RuntimeException e) {
                    log.warn(
                            "Pod {}/{} of a rolled back step could not be deleted; delete it by hand: {}",
                            namespace,
                            name,
                            e.toString());
                }
            }
        });
    }
}
