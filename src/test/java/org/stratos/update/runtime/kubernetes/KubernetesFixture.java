package org.stratos.update.runtime.kubernetes;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.stratos.update.runtime.MemberStartFailed;
import org.stratos.update.support.MockKubernetes;
import org.stratos.update.support.TestKubelet;
import org.stratos.update.support.TestPods;
import org.stratos.update.topology.Cluster;
import org.stratos.update.topology.MemberState;

/**
 * The kubernetes runtime wired by hand against the mock API server, with an in-memory topology and a test kubelet:
 * what the Spring configuration builds, without Spring.
 */
final class KubernetesFixture implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(10);

    final MockKubernetes api = MockKubernetes.start();
    final KubernetesClient client = api.client();
    final KubernetesClient kubeletClient = api.client();
    final TestKubelet kubelet = new TestKubelet(kubeletClient, MockKubernetes.NAMESPACE);
    final InMemoryMembers topology = new InMemoryMembers();
    final List<MemberStartFailed> failedStarts = Collections.synchronizedList(new ArrayList<>());
    final KubernetesProperties settings = new KubernetesProperties(
            true,
            null,
            null,
            null,
            MockKubernetes.NAMESPACE,
            Map.of(),
            0,
            3,
            List.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName", "CrashLoopBackOff"),
            Duration.ofMinutes(5));
    final MemberSync sync = new MemberSync(topology, settings, e -> {
        if (e instanceof MemberStartFailed f) {
            failedStarts.add(f);
        }
    });
    final PodWatch watch = new PodWatch(client, settings, sync, topology);
    final KubernetesContainerRuntime runtime =
            new KubernetesContainerRuntime(client, watch, new PodTemplates(client), sync);

    /** Starts the watch and waits until it has listed the namespace. */
    KubernetesFixture watching() {
        try {
            watch.start().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the pod watch did not start", e);
        }
        return this;
    }

    /** A pod of the cluster on {@code image}, created as an operator would; the kubelet starts it. */
    Pod runPod(Cluster cluster, String image) {
        return kubeletClient
                .pods()
                .inNamespace(MockKubernetes.NAMESPACE)
                .resource(TestPods.memberPod(cluster.applicationId(), cluster.alias(), cluster.id(), image))
                .create();
    }

    Pod pod(String name) {
        return kubeletClient
                .pods()
                .inNamespace(MockKubernetes.NAMESPACE)
                .withName(name)
                .get();
    }

    List<Pod> pods(Cluster cluster) {
        return kubeletClient
                .pods()
                .inNamespace(MockKubernetes.NAMESPACE)
                .withLabel(PodLabels.CLUSTER, PodLabels.labelValue(cluster.id()))
                .list()
                .getItems();
    }

    Pod podOf(String memberId) {
        return kubeletClient.pods().inNamespace(MockKubernetes.NAMESPACE).list().getItems().stream()
                .filter(p -> memberId.equals(PodLabels.identify(p).memberId()))
                .findFirst()
                .orElse(null);
    }

    void awaitState(String memberId, MemberState state) {
        await().atMost(WAIT).until(() -> topology.state(memberId) == state);
    }

    @Override
    public void close() throws Exception {
        watch.stop();
        kubelet.close();
        client.close();
        kubeletClient.close();
        api.close();
    }
}
