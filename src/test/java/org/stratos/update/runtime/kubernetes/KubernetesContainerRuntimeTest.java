package org.stratos.update.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.stratos.update.support.MockKubernetes;
import org.stratos.update.support.TestKubelet.Behaviour;
import org.stratos.update.support.TestPods;
import org.stratos.update.topology.Cluster;
import org.stratos.update.topology.MemberState;

/** Starting, checking and removing members as pods, against the mock API server with the test playing kubelet. */
class KubernetesContainerRuntimeTest {

    final KubernetesFixture k8s = new KubernetesFixture();
    final Cluster web = k8s.topology.register("shop", "web", "stratos/php:1.0");

    @AfterEach
    void close() throws Exception {
        k8s.close();
    }

    @Test
    void aNewMemberIsACopyOfAClusterPodWithTheNewImageOnTheMainContainerOnly() {
        Pod old = k8s.runPod(web, "stratos/php:1.0");
        k8s.watching().awaitState(TestPods.memberId(old), MemberState.ACTIVE);

        String member = k8s.runtime.startMember(web, "stratos/php:2.0", "update-1");

        Pod created = k8s.podOf(member);
        assertThat(member).startsWith(web.id());
        assertThat(created.getSpec().getContainers())
                .extracting(Container::getName, Container::getImage)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("app", "stratos/php:2.0"),
                        org.assertj.core.groups.Tuple.tuple("log-shipper", TestPods.SIDECAR_IMAGE));
        assertThat(created.getSpec().getTerminationGracePeriodSeconds()).isEqualTo(20L);
        assertThat(created.getSpec().getContainers().get(0).getReadinessProbe()).isNotNull();
        assertThat(created.getMetadata().getLabels())
                .containsEntry(PodLabels.APPLICATION, "shop")
                .containsEntry(PodLabels.CLUSTER, web.id())
                .containsEntry(PodLabels.MEMBER, member.substring(web.id().length()))
                .containsEntry("app", "web");
        assertThat(created.getMetadata().getAnnotations())
                .containsEntry(PodLabels.MEMBER_ID, member)
                .containsEntry(PodLabels.UPDATE_ID, "update-1");
        assertThat(created.getMetadata().getName()).hasSizeLessThanOrEqualTo(63).startsWith("web-");
    }

    @Test
    void aNewMemberIsActiveOnlyOnceItsPodIsReady() {
        Pod old = k8s.runPod(web, "stratos/php:1.0");
        k8s.watching().awaitState(TestPods.memberId(old), MemberState.ACTIVE);
        k8s.kubelet.behave("stratos/php:2.0", Behaviour.NEVER_READY);

        String member = k8s.runtime.startMember(web, "stratos/php:2.0", "update-1");

        k8s.awaitState(member, MemberState.STARTING);
        await().atMost(KubernetesFixture.WAIT)
                .until(() -> "Running".equals(k8s.podOf(member).getStatus().getPhase()));
        assertThat(k8s.topology.state(member)).isEqualTo(MemberState.STARTING);
        assertThat(k8s.runtime.isHealthy(web, member)).isFalse();

        k8s.kubelet.makeReady(k8s.podOf(member).getMetadata().getName());

        k8s.awaitState(member, MemberState.ACTIVE);
        assertThat(k8s.runtime.isHealthy(web, member)).isTrue();
        assertThat(k8s.failedStarts).isEmpty();
    }

    @Test
    void aMemberWhoseContainerRestartedSinceItGotReadyIsNotHealthy() {
        Pod pod = k8s.runPod(web, "stratos/php:1.0");
        String member = TestPods.memberId(pod);
        k8s.watching().awaitState(member, MemberState.ACTIVE);
        assertThat(k8s.runtime.isHealthy(web, member)).isTrue();

        k8s.kubelet.restart(pod.getMetadata().getName());

        await().atMost(KubernetesFixture.WAIT)
                .until(() -> k8s.topology.transitions().contains(member + ": Suspended -> Active"));
        assertThat(k8s.runtime.isHealthy(web, member)).isFalse();
    }

    @Test
    void anImageThatCannotBePulledIsAFailedStart() {
        Pod old = k8s.runPod(web, "stratos/php:1.0");
        k8s.watching().awaitState(TestPods.memberId(old), MemberState.ACTIVE);
        k8s.kubelet.behave("stratos/php:nope", Behaviour.IMAGE_PULL_ERROR);

        String member = k8s.runtime.startMember(web, "stratos/php:nope", "update-1");

        await().atMost(KubernetesFixture.WAIT).until(() -> !k8s.failedStarts.isEmpty());
        assertThat(k8s.failedStarts).singleElement().satisfies(f -> {
            assertThat(f.memberId()).isEqualTo(member);
            assertThat(f.clusterId()).isEqualTo(web.id());
            assertThat(f.reason()).contains("ErrImagePull");
        });
        assertThat(k8s.topology.state(member)).isEqualTo(MemberState.STARTING);
    }

    @Test
    void aCrashLoopIsAFailedStart() {
        Pod old = k8s.runPod(web, "stratos/php:1.0");
        k8s.watching().awaitState(TestPods.memberId(old), MemberState.ACTIVE);
        k8s.kubelet.behave("stratos/php:crashes", Behaviour.CRASH_LOOP);

        String member = k8s.runtime.startMember(web, "stratos/php:crashes", "update-1");

        await().atMost(KubernetesFixture.WAIT).until(() -> !k8s.failedStarts.isEmpty());
        assertThat(k8s.failedStarts).singleElement().satisfies(f -> {
            assertThat(f.memberId()).isEqualTo(member);
            assertThat(f.reason()).contains("CrashLoopBackOff");
        });
    }

    @Test
    void removingAMemberDeletesItsPodWithItsOwnGracePeriodAndKeepsItsTemplate() throws Exception {
        Pod pod = k8s.runPod(web, "stratos/php:1.0");
        k8s.watching().awaitState(TestPods.memberId(pod), MemberState.ACTIVE);
        int before = k8s.api.server().getRequestCount();

        k8s.runtime.removeMember(web, TestPods.memberId(pod));

        assertThat(k8s.pod(pod.getMetadata().getName())).isNull();
        RecordedRequest delete = requestsSince(before).stream()
                .filter(r -> "DELETE".equals(r.getMethod()))
                .findFirst()
                .orElseThrow();
        assertThat(delete.getPath()).endsWith("/pods/" + pod.getMetadata().getName());
        assertThat(String.valueOf(delete.getUtf8Body())).doesNotContain("gracePeriodSeconds");
        assertThat(new PodTemplates(k8s.client).remembered(MockKubernetes.NAMESPACE, web))
                .hasValueSatisfying(t -> assertThat(t.getSpec().getTerminationGracePeriodSeconds())
                        .isEqualTo(20L));
        k8s.awaitState(TestPods.memberId(pod), MemberState.TERMINATED);
    }

    @Test
    void withNoPodLeftTheClusterIsStartedFromItsKeptTemplate() {
        Pod pod = k8s.runPod(web, "stratos/php:1.0");
        k8s.watching().awaitState(TestPods.memberId(pod), MemberState.ACTIVE);
        k8s.runtime.removeMember(web, TestPods.memberId(pod));
        await().atMost(KubernetesFixture.WAIT)
                .until(() -> k8s.watch.podsOf(web.id()).isEmpty());

        String member = k8s.runtime.startMember(web, "stratos/php:2.0", "update-2");

        k8s.awaitState(member, MemberState.ACTIVE);
        assertThat(k8s.podOf(member).getSpec().getContainers())
                .extracting(Container::getImage)
                .containsExactly("stratos/php:2.0", TestPods.SIDECAR_IMAGE);
    }

    @Test
    void withNoPodAndNoTemplateTheStartFailsForAnOperatorToFix() {
        k8s.watching();

        assertThatThrownBy(() -> k8s.runtime.startMember(web, "stratos/php:2.0", "update-1"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no template ConfigMap 'stratos-template-shop-web-kubernetes-domain-");
    }

    @Test
    void aPodCreatedInAStepThatRollsBackIsDeletedAndNeverJoins() {
        Pod old = k8s.runPod(web, "stratos/php:1.0");
        k8s.watching().awaitState(TestPods.memberId(old), MemberState.ACTIVE);
        TransactionSynchronizationManager.initSynchronization();
        String member;
        try {
            member = k8s.runtime.startMember(web, "stratos/php:2.0", "update-1");
            await().atMost(KubernetesFixture.WAIT).until(() -> k8s.kubelet.readyCount(web.id()) == 2);
            assertThat(k8s.topology.member(member))
                    .as("held back until the step commits")
                    .isEmpty();
            TransactionSynchronizationManager.getSynchronizations()
                    .forEach(s -> s.afterCompletion(TransactionSynchronization.STATUS_ROLLED_BACK));
        } finally {
            TransactionSynchronizationManager.clearSynchronization();
        }

        assertThat(k8s.podOf(member)).isNull();
        assertThat(k8s.topology.member(member)).isEmpty();
    }

    @Test
    void aPodThatGotReadyBeforeItsStepCommittedJoinsWhenItCommits() {
        Pod old = k8s.runPod(web, "stratos/php:1.0");
        k8s.watching().awaitState(TestPods.memberId(old), MemberState.ACTIVE);
        TransactionSynchronizationManager.initSynchronization();
        String member;
        try {
            member = k8s.runtime.startMember(web, "stratos/php:2.0", "update-1");
            await().atMost(KubernetesFixture.WAIT)
                    .until(() -> k8s.watch
                            .podOf(web.id(), member)
                            .filter(Pods::ready)
                            .isPresent());
            assertThat(k8s.topology.member(member)).isEmpty();
            TransactionSynchronizationManager.getSynchronizations()
                    .forEach(s -> s.afterCompletion(TransactionSynchronization.STATUS_COMMITTED));
        } finally {
            TransactionSynchronizationManager.clearSynchronization();
        }

        k8s.awaitState(member, MemberState.ACTIVE);
    }

    @Test
    void aPodCreatedByAStepThatNeverCommittedIsAdoptedWhenTheStepRunsAgain() {
        Pod old = k8s.runPod(web, "stratos/php:1.0");
        String place = TestPods.memberId(old);
        k8s.watching().awaitState(place, MemberState.ACTIVE);
        // the manager created the pod and died before the step committed: nothing recorded it, and the watch of the
        // restarted manager found it and let it join (no step holds it back any more)
        String orphan = k8s.runtime.startMember(web, "stratos/php:2.0", "update-1", place);
        k8s.awaitState(orphan, MemberState.ACTIVE);

        String again = k8s.runtime.startMember(web, "stratos/php:2.0", "update-1", place);

        assertThat(again).isEqualTo(orphan);
        assertThat(k8s.pods(web)).hasSize(2);
        assertThat(k8s.podOf(orphan).getMetadata().getAnnotations()).containsEntry(PodLabels.PLACE, place);
    }

    @Test
    void onlyAPodOfTheSameUpdatePlaceAndImageIsAdopted() {
        Pod old = k8s.runPod(web, "stratos/php:1.0");
        String place = TestPods.memberId(old);
        k8s.watching().awaitState(place, MemberState.ACTIVE);
        String first = k8s.runtime.startMember(web, "stratos/php:2.0", "update-1", place);
        k8s.awaitState(first, MemberState.ACTIVE);

        String rollback = k8s.runtime.startMember(web, "stratos/php:1.0", "update-1", place);
        String otherUpdate = k8s.runtime.startMember(web, "stratos/php:2.0", "update-2", place);
        String otherPlace = k8s.runtime.startMember(web, "stratos/php:2.0", "update-1", web.id() + "another");

        assertThat(List.of(rollback, otherUpdate, otherPlace))
                .doesNotContain(first)
                .doesNotHaveDuplicates();
        assertThat(k8s.pods(web)).hasSize(5);
    }

    @Test
    void aReplacementThatEndedIsNeverAdopted() {
        Pod old = k8s.runPod(web, "stratos/php:1.0");
        String place = TestPods.memberId(old);
        k8s.watching().awaitState(place, MemberState.ACTIVE);
        String failed = k8s.runtime.startMember(web, "stratos/php:2.0", "update-1", place);
        k8s.awaitState(failed, MemberState.ACTIVE);
        // the failure path of an earlier attempt ended it; its pod is still being deleted
        k8s.topology.move(failed, MemberState.SUSPENDED, "not ready in time");
        k8s.topology.move(failed, MemberState.TERMINATED, "not ready in time");

        String next = k8s.runtime.startMember(web, "stratos/php:2.0", "update-1", place);

        assertThat(next).isNotEqualTo(failed);
    }

    @Test
    void apiServerErrorsReachTheCallerAsTechnicalFaults() {
        Pod old = k8s.runPod(web, "stratos/php:1.0");
        k8s.watching().awaitState(TestPods.memberId(old), MemberState.ACTIVE);
        k8s.api
                .server()
                .expect()
                .post()
                .withPath("/api/v1/namespaces/test/pods")
                .andReturn(
                        500,
                        new StatusBuilder()
                                .withCode(500)
                                .withMessage("etcdserver: request timed out")
                                .build())
                .once();
        k8s.api
                .server()
                .expect()
                .post()
                .withPath("/api/v1/namespaces/test/pods")
                .andReturn(
                        409,
                        new StatusBuilder()
                                .withCode(409)
                                .withReason("AlreadyExists")
                                .build())
                .once();

        assertThatThrownBy(() -> k8s.runtime.startMember(web, "stratos/php:2.0", "update-1"))
                .isInstanceOfSatisfying(
                        KubernetesClientException.class,
                        e -> assertThat(e.getCode()).isEqualTo(500));
        assertThatThrownBy(() -> k8s.runtime.startMember(web, "stratos/php:2.0", "update-1"))
                .isInstanceOfSatisfying(
                        KubernetesClientException.class,
                        e -> assertThat(e.getCode()).isEqualTo(409));
        assertThat(k8s.pods(web)).hasSize(1);
    }

    @Test
    void anApiServerThatRefusesConnectionsIsATechnicalFault() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket =
                new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        try (KubernetesClient refused = MockKubernetes.client("http://127.0.0.1:" + closedPort)) {
            KubernetesContainerRuntime runtime =
                    new KubernetesContainerRuntime(refused, k8s.watch, new PodTemplates(refused), k8s.sync);

            assertThatThrownBy(() -> runtime.removeMember(web, web.id() + "some-member"))
                    .isInstanceOf(KubernetesClientException.class);
            assertThatThrownBy(() -> runtime.startMember(web, "stratos/php:2.0", "update-1"))
                    .isInstanceOf(KubernetesClientException.class);
        }
    }

    private List<RecordedRequest> requestsSince(int count) throws InterruptedException {
        List<RecordedRequest> all = new java.util.ArrayList<>();
        for (int i = 0; i < k8s.api.server().getRequestCount(); i++) {
            all.add(k8s.api.server().takeRequest());
        }
        return all.subList(count, all.size());
    }
}
