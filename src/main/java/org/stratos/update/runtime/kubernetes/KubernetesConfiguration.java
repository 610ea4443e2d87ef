package org.stratos.update.runtime.kubernetes;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.File;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.stratos.update.topology.TopologyService;

/**
 * The kubernetes runtime's beans, built only with {@code stratos.kubernetes.enabled=true}. The client's connection is
 * fabric8's auto-detection — {@code $KUBECONFIG} or {@code ~/.kube/config} (its current context), else the service
 * account of the pod the manager runs in, plus the {@code kubernetes.*} system properties and {@code KUBERNETES_*}
 * environment variables — overridden by {@code stratos.kubernetes.kubeconfig}, {@code context} and
 * {@code master-url}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "stratos.kubernetes", name = "enabled", havingValue = "true")
class KubernetesConfiguration {

    @Bean(destroyMethod = "close")
    KubernetesClient kubernetesClient(KubernetesProperties settings) {
        return new KubernetesClientBuilder().withConfig(config(settings)).build();
    }

    @Bean
    MemberSync kubernetesMemberSync(
            TopologyService topology, KubernetesProperties settings, ApplicationEventPublisher events) {
        return new MemberSync(new TopologyMembers(topology), settings, events);
    }

    @Bean
    PodWatch kubernetesPodWatch(
            KubernetesClient client, KubernetesProperties settings, MemberSync sync, TopologyService topology) {
        return new PodWatch(client, settings, sync, new TopologyMembers(topology));
    }

    @Bean
    KubernetesWatchLifecycle kubernetesWatchLifecycle(PodWatch watch) {
        return new KubernetesWatchLifecycle(watch);
    }

    @Bean
    KubernetesContainerRuntime kubernetesContainerRuntime(KubernetesClient client, PodWatch watch, MemberSync sync) {
        return new KubernetesContainerRuntime(client, watch, new PodTemplates(client), sync);
    }

    static Config config(KubernetesProperties settings) {
        Config detected =
                settings.kubeconfig() != null && !settings.kubeconfig().isBlank()
                        ? Config.fromKubeconfig(blankToNull(settings.context()), new File(settings.kubeconfig()))
                        : Config.autoConfigure(blankToNull(settings.context()));
        ConfigBuilder config = new ConfigBuilder(detected).withRequestRetryBackoffLimit(settings.requestRetries());
        if (settings.masterUrl() != null && !settings.masterUrl().isBlank()) {
            config.withMasterUrl(settings.masterUrl());
        }
        return config.build();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
