package org.stratos.update.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.stratos.update.support.MockKubernetes;
import org.stratos.update.support.TestKubelet.Behaviour;
import org.stratos.update.support.TestPods;
import org.stratos.update.topology.Cluster;
import org.stratos.update.topology.MemberState;

/** The pod watch keeps the topology in step with the API server: adoption, readiness, deletion. */
class PodWatchTest {

    final KubernetesFixture k8s = new KubernetesFixture();
    final Cluster web = k8s.topology.register("shop", "web", "stratos/php:1.0");

    @AfterEach
    void close() throws Exception {
        k8s.close();
    }

    @Test
    void podsFoundOnStartAreAdoptedAndMembersWithoutAPodAreTerminated() {
        // given: two running pods (one ready, one still starting) and a member the topology remembers without a pod
        Pod ready = k8s.runPod(web, "stratos/php:1.0");
        k8s.kubelet.behave("stratos/php:slow", Behaviour.NEVER_READY);
        Pod starting = k8s.runPod(web, "stratos/php:slow");
        await().atMost(KubernetesFixture.WAIT)
                .until(() -> k8s.pods(web).stream()
                        .allMatch(p -> p.getStatus() != null
                                && "Running".equals(p.getStatus().getPhase())));
        k8s.topology.known(web, web.id() + "gone-while-the-manager-was-down", MemberState.ACTIVE);

        // when
        k8s.watching();

        // then
        k8s.awaitState(TestPods.memberId(ready), MemberState.ACTIVE);
        k8s.awaitState(TestPods.memberId(starting), MemberState.STARTING);
        k8s.awaitState(web.id() + "gone-while-the-manager-was-down", MemberState.TERMINATED);
        assertThat(k8s.topology.transitions())
                .contains(
                        web.id() + "gone-while-the-manager-was-down: Active -> Suspended",
                        web.id() + "gone-while-the-manager-was-down: Suspended -> Terminated");
        assertThat(k8s.topology.member(TestPods.memberId(ready)).orElseThrow().version())
                .isEqualTo("stratos/php:1.0");
    }

    @Test
    void aPodDeletedBehindTheManagersBackTerminatesItsMember() {
        k8s.watching();
        Pod pod = k8s.runPod(web, "stratos/php:1.0");
        k8s.awaitState(TestPods.memberId(pod), MemberState.ACTIVE);

        k8s.kubeletClient
                .pods()
                .inNamespace(MockKubernetes.NAMESPACE)
                .withName(pod.getMetadata().getName())
                .delete();

        k8s.awaitState(TestPods.memberId(pod), MemberState.TERMINATED);
        assertThat(k8s.topology.transitions())
                .containsSubsequence(
                        TestPods.memberId(pod) + ": Active -> Suspended",
                        TestPods.memberId(pod) + ": Suspended -> Terminated");
        assertThat(k8s.failedStarts).isEmpty();
    }

    @Test
    void aPodThatStopsBeingReadyIsSuspendedAndActiveAgainWhenReady() {
        k8s.watching();
        Pod pod = k8s.runPod(web, "stratos/php:1.0");
        String member = TestPods.memberId(pod);
        k8s.awaitState(member, MemberState.ACTIVE);

        k8s.kubelet.makeNotReady(pod.getMetadata().getName());
        k8s.awaitState(member, MemberState.SUSPENDED);
        k8s.kubelet.makeReady(pod.getMetadata().getName());
        k8s.awaitState(member, MemberState.ACTIVE);

        assertThat(k8s.topology.transitions())
                .containsSubsequence(
                        member + ": Starting -> Active",
                        member + ": Active -> Suspended",
                        member + ": Suspended -> Active");
    }

    @Test
    void aPodDeletedBeforeItWasEverReadyIsAFailedStart() {
        k8s.watching();
        k8s.kubelet.behave("stratos/php:slow", Behaviour.NEVER_READY);
        Pod pod = k8s.runPod(web, "stratos/php:slow");
        k8s.awaitState(TestPods.memberId(pod), MemberState.STARTING);

        k8s.kubeletClient
                .pods()
                .inNamespace(MockKubernetes.NAMESPACE)
                .withName(pod.getMetadata().getName())
                .delete();

        k8s.awaitState(TestPods.memberId(pod), MemberState.TERMINATED);
        await().atMost(KubernetesFixture.WAIT).until(() -> !k8s.failedStarts.isEmpty());
        assertThat(k8s.failedStarts.get(0).reason()).contains("deleted before it was ever ready");
    }

    @Test
    void podsOfAnApplicationRegisteredLaterAreAdoptedThen() {
        k8s.watching();
        Pod pod = k8s.kubeletClient
                .pods()
                .inNamespace(MockKubernetes.NAMESPACE)
                .resource(TestPods.memberPod("blog", "web", "blog.web.kubernetes.domain", "stratos/wordpress:6"))
                .create();
        await().atMost(KubernetesFixture.WAIT).until(() -> k8s.kubelet.readyCount("blog.web.kubernetes.domain") == 1);
        assertThat(k8s.topology.member(TestPods.memberId(pod))).isEmpty();

        k8s.topology.register("blog", "web", "stratos/wordpress:6");
        k8s.watch.adopt("blog");

        k8s.awaitState(TestPods.memberId(pod), MemberState.ACTIVE);
    }

    @Test
    void podsOwnedByAControllerAreNotMembers() {
        k8s.watching();
        Pod owned = new PodBuilder(TestPods.memberPod("shop", "web", web.id(), "stratos/php:1.0"))
                .editMetadata()
                .addNewOwnerReference()
                .withApiVersion("apps/v1")
                .withKind("ReplicaSet")
                .withName("web-5d9f")
                .withUid("b0c3")
                .withController(true)
                .endOwnerReference()
                .endMetadata()
                .build();
        k8s.kubeletClient
                .pods()
                .inNamespace(MockKubernetes.NAMESPACE)
                .resource(owned)
                .create();
        Pod bare = k8s.runPod(web, "stratos/php:1.0");

        k8s.awaitState(TestPods.memberId(bare), MemberState.ACTIVE);
        assertThat(k8s.topology.member(TestPods.memberId(owned))).isEmpty();
    }
}
