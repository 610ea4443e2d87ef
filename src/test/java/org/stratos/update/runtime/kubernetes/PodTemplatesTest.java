package org.stratos.update.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.stratos.update.support.MockKubernetes;
import org.stratos.update.support.TestPods;
import org.stratos.update.topology.Cluster;

class PodTemplatesTest {

    final KubernetesFixture k8s = new KubernetesFixture();
    final Cluster web = k8s.topology.register("shop", "web", "stratos/php:1.0");

    @AfterEach
    void close() throws Exception {
        k8s.close();
    }

    @Test
    void aTemplateKeepsNothingOfTheOnePodItWasTakenFrom() {
        Pod scheduled = new PodBuilder(TestPods.memberPod("shop", "web", web.id(), "stratos/php:1.0"))
                .editMetadata()
                .withUid("u-1")
                .withResourceVersion("42")
                .withCreationTimestamp("2026-11-01T00:00:00Z")
                .endMetadata()
                .editSpec()
                .withNodeName("node-7")
                .addNewVolume()
                .withName("kube-api-access-x7k2p")
                .withNewProjected()
                .endProjected()
                .endVolume()
                .addNewVolume()
                .withName("data")
                .withNewEmptyDir()
                .endEmptyDir()
                .endVolume()
                .editFirstContainer()
                .addNewVolumeMount()
                .withName("kube-api-access-x7k2p")
                .withMountPath("/var/run/secrets/kubernetes.io/serviceaccount")
                .endVolumeMount()
                .addNewVolumeMount()
                .withName("data")
                .withMountPath("/data")
                .endVolumeMount()
                .endContainer()
                .endSpec()
                .withNewStatus()
                .withPhase("Running")
                .withPodIP("10.0.0.9")
                .endStatus()
                .build();

        Pod template = PodTemplates.template(scheduled);

        assertThat(template.getMetadata().getName()).isNull();
        assertThat(template.getMetadata().getUid()).isNull();
        assertThat(template.getMetadata().getResourceVersion()).isNull();
        assertThat(template.getMetadata().getLabels())
                .doesNotContainKey(PodLabels.MEMBER)
                .containsEntry(PodLabels.CLUSTER, web.id());
        assertThat(template.getMetadata().getAnnotations()).doesNotContainKey(PodLabels.MEMBER_ID);
        assertThat(template.getStatus()).isNull();
        assertThat(template.getSpec().getNodeName()).isNull();
        assertThat(template.getSpec().getVolumes()).extracting("name").containsExactly("data");
        assertThat(template.getSpec().getContainers().get(0).getVolumeMounts())
                .extracting("name")
                .containsExactly("data");
        assertThat(scheduled.getSpec().getNodeName())
                .as("the cached pod is left alone")
                .isEqualTo("node-7");
    }

    @Test
    void theSameTemplateIsWrittenOnce() {
        PodTemplates templates = new PodTemplates(k8s.client);
        Pod one = TestPods.memberPod("shop", "web", web.id(), "stratos/php:1.0");
        Pod two = TestPods.memberPod("shop", "web", web.id(), "stratos/php:1.0");

        templates.remember(MockKubernetes.NAMESPACE, web, one);
        String version = configMap().getMetadata().getResourceVersion();
        templates.remember(MockKubernetes.NAMESPACE, web, two);

        assertThat(configMap().getMetadata().getResourceVersion()).isEqualTo(version);
        templates.remember(
                MockKubernetes.NAMESPACE, web, TestPods.memberPod("shop", "web", web.id(), "stratos/php:2.0"));
        assertThat(configMap().getMetadata().getResourceVersion()).isNotEqualTo(version);
        assertThat(templates
                        .remembered(MockKubernetes.NAMESPACE, web)
                        .orElseThrow()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getImage())
                .isEqualTo("stratos/php:2.0");
    }

    private ConfigMap configMap() {
        return k8s.client
                .configMaps()
                .inNamespace(MockKubernetes.NAMESPACE)
                .withName(PodTemplates.configMapName(web))
                .get();
    }
}
