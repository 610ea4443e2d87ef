package org.stratos.update.support;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.UUID;

/** Pods of a Stratos kubernetes cluster as an operator (or an earlier manager) would have made them. */
public final class TestPods {

    public static final String SIDECAR_IMAGE = "stratos/log-shipper:1.0";

    private TestPods() {}

    /**
     * A bare pod of the cluster with a fresh member id: the main container {@code app} on {@code image} and a sidecar,
     * a 20 s termination grace period, and the member labels and annotations.
     */
    public static Pod memberPod(String applicationId, String alias, String clusterId, String image) {
        String suffix = UUID.randomUUID().toString();
        return new PodBuilder()
                .withNewMetadata()
                .withName(alias.toLowerCase() + "-" + suffix)
                .addToLabels("stratos.apache.org/application", applicationId)
                .addToLabels("stratos.apache.org/cluster", clusterId)
                .addToLabels("stratos.apache.org/member", suffix)
                .addToLabels("app", alias)
                .addToAnnotations("stratos.apache.org/cluster-id", clusterId)
                .addToAnnotations("stratos.apache.org/member-id", clusterId + suffix)
                .endMetadata()
                .withNewSpec()
                .withTerminationGracePeriodSeconds(20L)
                .addNewContainer()
                .withName("app")
                .withImage(image)
                .addNewPort()
                .withContainerPort(8080)
                .endPort()
                .withNewReadinessProbe()
                .withNewHttpGet()
                .withPath("/health")
                .withNewPort(8080)
                .endHttpGet()
                .endReadinessProbe()
                .endContainer()
                .addNewContainer()
                .withName("log-shipper")
                .withImage(SIDECAR_IMAGE)
                .endContainer()
                .endSpec()
                .build();
    }

    public static String memberId(Pod pod) {
        return pod.getMetadata().getAnnotations().get("stratos.apache.org/member-id");
    }
}
