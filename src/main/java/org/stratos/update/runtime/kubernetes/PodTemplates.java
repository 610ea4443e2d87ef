package org.stratos.update.runtime.kubernetes;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.stratos.update.topology.Cluster;

/**
 * Where a new member's pod comes from. A pod of the cluster is copied without what belongs to that one pod (name,
 * uid, node, status, member labels, the service account token volume the API server injects); the copy gets the
 * new member's name, labels and annotations, and the new image on its main container, all with the model builders.
 * Before a member's pod is removed, its cleaned spec is kept in the ConfigMap {@code stratos-template-<cluster>}
 * (key {@code pod.yaml}), so the cluster can be brought back when no pod is left (an all-at-once update).
 */
final class PodTemplates {

    static final String TEMPLATE_KEY = "pod.yaml";
    private static final String TOKEN_VOLUME = "kube-api-access-";
    private static final List<String> POD_ANNOTATIONS =
            List.of(PodLabels.MEMBER_ID, PodLabels.UPDATE_ID, "kubectl.kubernetes.io/last-applied-configuration");

    private final KubernetesClient client;

    PodTemplates(KubernetesClient client) {
        this.client = client;
    }

    /** The cluster's pod, as a template: nothing of the one pod it was left in it. */
    static Pod template(Pod source) {
        Map<String, String> labels = new HashMap<>(orEmpty(source.getMetadata().getLabels()));
        labels.remove(PodLabels.MEMBER);
        Map<String, String> annotations =
                new HashMap<>(orEmpty(source.getMetadata().getAnnotations()));
        POD_ANNOTATIONS.forEach(annotations::remove);
        PodSpec spec = new PodSpecBuilder(source.getSpec())
                .withNodeName(null)
                .removeMatchingFromVolumes(
                        v -> v.getName() != null && v.getName().startsWith(TOKEN_VOLUME))
                .build();
        spec.setEphemeralContainers(null);
        spec.setContainers(withoutTokenMount(spec.getContainers()));
        spec.setInitContainers(withoutTokenMount(spec.getInitContainers()));
        return new PodBuilder()
                .withApiVersion("v1")
                .withKind("Pod")
                .withNewMetadata()
                .withLabels(labels)
                .withAnnotations(annotations)
                .endMetadata()
                .withSpec(spec)
                .build();
    }

    /** A new member's pod from {@code template}: its own name, labels, annotations, and {@code image}. */
    static Pod newPod(Pod template, Cluster cluster, String memberSuffix, String image, String updateId) {
        return newPod(template, cluster, memberSuffix, image, updateId, null);
    }

    /** A pod for a new member, made from {@code template}; {@code place}: the update's member it is to replace. */
    static Pod newPod(Pod template, Cluster cluster, String memberSuffix, String image, String updateId, String place) {
        String main = Pods.mainContainer(template).getName();
        String memberId = cluster.id() + memberSuffix;
        return new PodBuilder(template)
                .editMetadata()
                .withName(podName(cluster, memberSuffix))
                .addToLabels(PodLabels.APPLICATION, PodLabels.labelValue(cluster.applicationId()))
                .addToLabels(PodLabels.CLUSTER, PodLabels.labelValue(cluster.id()))
                .addToLabels(PodLabels.MEMBER, PodLabels.labelValue(memberSuffix))
                .addToAnnotations(PodLabels.CLUSTER_ID, cluster.id())
                .addToAnnotations(PodLabels.MEMBER_ID, memberId)
                .addToAnnotations(PodLabels.UPDATE_ID, updateId)
                .addToAnnotations(place == null ? Map.of() : Map.of(PodLabels.PLACE, place))
                .endMetadata()
                .editSpec()
                .editMatchingContainer(c -> main.equals(c.getName()))
                .withImage(image)
                .endContainer()
                .endSpec()
                .build();
    }

    /** {@code <alias>-<uuid>}: unique, and short enough to be the pod's host name. */
    static String podName(Cluster cluster, String memberSuffix) {
        String alias = PodLabels.dnsName("", cluster.alias(), 26);
        return alias + "-" + PodLabels.dnsName("", memberSuffix, 36);
    }

    static String configMapName(Cluster cluster) {
        return PodLabels.dnsName("stratos-template-", cluster.id(), 253);
    }

    /** Keeps {@code pod}'s template for the cluster, unless the same one is kept already. */
    void remember(String namespace, Cluster cluster, Pod pod) {
        String yaml = client.getKubernetesSerialization().asYaml(template(pod));
        Resource<ConfigMap> resource =
                client.configMaps().inNamespace(namespace).withName(configMapName(cluster));
        ConfigMap current = resource.get();
        if (current != null && yaml.equals(orEmpty(current.getData()).get(TEMPLATE_KEY))) {
            return;
        }
        ConfigMap wanted = new ConfigMapBuilder()
                .withNewMetadata()
                .withName(configMapName(cluster))
                .withNamespace(namespace)
                .addToLabels(PodLabels.CLUSTER, PodLabels.labelValue(cluster.id()))
                .addToAnnotations(PodLabels.CLUSTER_ID, cluster.id())
                .withResourceVersion(
                        current == null ? null : current.getMetadata().getResourceVersion())
                .endMetadata()
                .addToData(TEMPLATE_KEY, yaml)
                .build();
        if (current != null) {
            client.configMaps().inNamespace(namespace).resource(wanted).update(); // 409 if it changed meanwhile
            return;
        }
        try {
            client.configMaps().inNamespace(namespace).resource(wanted).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            // a parallel removal in the same cluster kept it first: the same spec
        }
    }

    /** The template kept for the cluster, if any. */
    Optional<Pod> remembered(String namespace, Cluster cluster) {
        ConfigMap map = client.configMaps()
                .inNamespace(namespace)
                .withName(configMapName(cluster))
                .get();
        String yaml = map == null ? null : orEmpty(map.getData()).get(TEMPLATE_KEY);
        return Optional.ofNullable(yaml)
                .map(y -> client.getKubernetesSerialization().unmarshal(y, Pod.class));
    }

    private static List<Container> withoutTokenMount(List<Container> containers) {
        if (containers == null) {
            return null;
        }
        return containers.stream()
                .map(c -> new ContainerBuilder(c)
                        .removeMatchingFromVolumeMounts(
                                m -> m.getName() != null && m.getName().startsWith(TOKEN_VOLUME))
                        .build())
                .toList();
    }

    private static Map<String, String> orEmpty(Map<String, String> map) {
        return map == null ? Map.of() : map;
    }
}
