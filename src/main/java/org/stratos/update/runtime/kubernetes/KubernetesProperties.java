package org.stratos.update.runtime.kubernetes;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code stratos.kubernetes.*}: where the API server is and how pods are read. The connection itself is fabric8's
 * auto-detection (kubeconfig, or the service account of a manager running in a pod); the properties only override it.
 *
 * @param enabled           build the runtime at all (default false: the default run and the tests need no cluster)
 * @param masterUrl         API server URL; empty: the auto-detected one
 * @param kubeconfig        a kubeconfig file to read instead of {@code $KUBECONFIG} / {@code ~/.kube/config}
 * @param context           the kubeconfig context to use; empty: its current context
 * @param namespace         namespace of the kubernetes clusters' pods; empty: the client's (kubeconfig context,
 *                          service account) or {@code default}
 * @param clusterNamespaces namespaces of single clusters, by cluster id, where they differ from {@code namespace}
 * @param requestRetries    retries of one API request by the client itself (the engine retries the whole step)
 * @param restartLimit      restarts before a new pod was ever ready that make it a failed start
 * @param failureReasons    container waiting reasons that make a pod that was never ready a failed start
 * @param resyncPeriod      how often the watch hands every pod to the topology again, to repair anything missed
 * <p>
 * The defaults are set in one place, the jar's {@code application.yaml}, with their {@code STRATOS_*} variables.
 */
@ConfigurationProperties("stratos.kubernetes")
public record KubernetesProperties(
        boolean enabled,
        String masterUrl,
        String kubeconfig,
        String context,
        String namespace,
        Map<String, String> clusterNamespaces,
        int requestRetries,
        int restartLimit,
        List<String> failureReasons,
        Duration resyncPeriod) {

    public KubernetesProperties {
        clusterNamespaces = clusterNamespaces == null ? Map.of() : Map.copyOf(clusterNamespaces);
        failureReasons = failureReasons == null ? List.of() : List.copyOf(failureReasons);
    }

    /** The namespace of {@code clusterId}'s pods; {@code clientNamespace} is the client's own. */
    String namespaceOf(String clusterId, String clientNamespace) {
        String ns = clusterNamespaces.get(clusterId);
        return ns != null && !ns.isBlank() ? ns : defaultNamespace(clientNamespace);
    }

    /** Every namespace the manager watches. */
    List<String> namespaces(String clientNamespace) {
        java.util.Set<String> all = new java.util.TreeSet<>(clusterNamespaces.values());
        all.add(defaultNamespace(clientNamespace));
        return List.copyOf(all);
    }

    private String defaultNamespace(String clientNamespace) {
        if (namespace != null && !namespace.isBlank()) {
            return namespace;
        }
        return clientNamespace == null || clientNamespace.isBlank() ? "default" : clientNamespace;
    }
}
