package org.stratos.update.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.Incident;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.stratos.update.support.MockKubernetes;
import org.stratos.update.support.TestHttp;
import org.stratos.update.support.TestIds;
import org.stratos.update.support.TestKubelet;
import org.stratos.update.support.TestKubelet.Behaviour;
import org.stratos.update.support.TestPods;
import org.stratos.update.topology.ApplicationView;
import org.stratos.update.topology.Cluster;
import org.stratos.update.topology.MemberState;
import org.stratos.update.topology.TopologyService;

/**
 * Whole updates of kubernetes clusters through the BPMN flows, the engine's jobs and the kubernetes runtime, against
 * the mock API server with the test playing kubelet. Every test registers its own application over the API, with pods
 * that exist before it (so they are adopted), and asserts the readiness floor at every pod event and kubelet step.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@TestPropertySource(
        locations = "classpath:stratos-test.properties",
        properties = {
            "stratos.kubernetes.enabled=true",
            "stratos.kubernetes.namespace=" + MockKubernetes.NAMESPACE,
            "stratos.kubernetes.request-retries=0",
            // the timer of minHealthyTime (PT0S here) waits for the job executor's next look, 5 s by default
            "camunda.bpm.job-execution.wait-time-in-millis=250",
            "camunda.bpm.job-execution.max-wait=1000"
        })
class KubernetesUpdateIT {

    static final Duration UPDATE = Duration.ofSeconds(60);
    static final MockKubernetes API = MockKubernetes.start();
    static final KubernetesClient CLIENT = API.client();
    static final TestKubelet KUBELET = new TestKubelet(CLIENT, MockKubernetes.NAMESPACE);

    @DynamicPropertySource
    static void apiServer(DynamicPropertyRegistry registry) {
        registry.add("stratos.kubernetes.master-url", API::url);
    }

    @AfterAll
    static void stopKubelet() throws InterruptedException {
        KUBELET.close(); // the mock server stays up until this JVM ends, after the manager's context
    }

    @LocalServerPort
    int port;

    @Autowired
    UpdateService updates;

    @Autowired
    UpdateRepository records;

    @Autowired
    TopologyService topology;

    @Autowired
    ManagementService management;

    @Autowired
    RuntimeService runtime;

    @Test
    void aPhasedUpdateWithoutSurgeReplacesOnePodAtATimeAndNeverGoesBelowTheHealthyFloor() {
        String cluster = registerWithPods("nosurge", 4, "stratos/php:1.0");
        KUBELET.keepReady(cluster, 3); // minHealthyPercent 75 of 4

        UpdateRecord update =
                updates.start(app(cluster), request("stratos/php:2.0", true, "2", 75, false, null), "tester");

        assertThat(awaitEnd(update).state()).isEqualTo(UpdateState.COMPLETED);
        assertOnlyPodsOn(cluster, "stratos/php:2.0", 4);
        assertThat(KUBELET.violations()).isEmpty();
        assertThat(KUBELET.lowestReady(cluster))
                .as("the batch of 2 was cut to 1 by the floor")
                .isEqualTo(3);
        assertThat(mostPodsAtOnce(cluster)).isEqualTo(4);
        assertThat(records.members(update.id()))
                .hasSize(4)
                .allSatisfy(m -> assertThat(topology.transitions(m.current()))
                        .as("the replacement waited for its pod's readiness")
                        .extracting(t -> t.to())
                        .containsSubsequence(MemberState.STARTING, MemberState.ACTIVE));
    }

    @Test
    void aPhasedUpdateWithSurgeStartsEachNewPodBeforeItsOldOneGoes() {
        String cluster = registerWithPods("surge", 4, "stratos/php:1.0");
        KUBELET.keepReady(cluster, 4);

        UpdateRecord update =
                updates.start(app(cluster), request("stratos/php:2.0", true, "2", 50, true, null), "tester");

        assertThat(awaitEnd(update).state()).isEqualTo(UpdateState.COMPLETED);
        assertOnlyPodsOn(cluster, "stratos/php:2.0", 4);
        assertThat(KUBELET.violations()).isEmpty();
        assertThat(KUBELET.lowestReady(cluster)).isEqualTo(4);
        assertThat(mostPodsAtOnce(cluster)).isBetween(5, 6);
    }

    @Test
    void anImageThatCannotBePulledFailsTheMemberAndTheUpdateRollsBackToPodsOnThePreviousImage() {
        String cluster = registerWithPods("pull", 4, "stratos/php:1.0");
        KUBELET.behave("stratos/php:2.0-typo", Behaviour.IMAGE_PULL_ERROR);
        KUBELET.keepReady(cluster, 3);

        UpdateRecord update =
                updates.start(app(cluster), request("stratos/php:2.0-typo", true, "1", 75, false, null), "tester");

        assertThat(awaitEnd(update).state()).isEqualTo(UpdateState.ROLLED_BACK);
        assertThat(records.members(update.id())).singleElement().satisfies(m -> {
            assertThat(m.state()).isEqualTo(MemberProgress.ROLLED_BACK);
            assertThat(m.rollbackEndedAt()).isNotNull();
        });
        assertThat(topology.transitions(records.members(update.id()).get(0).memberId()))
                .extracting(t -> t.to())
                .contains(MemberState.UPDATING, MemberState.TERMINATED);
        assertOnlyPodsOn(cluster, "stratos/php:1.0", 4);
        assertThat(KUBELET.seen()).anySatisfy(s -> assertThat(s.image()).isEqualTo("stratos/php:2.0-typo"));
        assertThat(KUBELET.violations()).isEmpty();
    }

    @Test
    void aCrashLoopingImageWithSurgeFailsTheUpdateWhileTheOldPodsServeOn() {
        String cluster = registerWithPods("crash", 3, "stratos/php:1.0");
        KUBELET.behave("stratos/php:2.0-crash", Behaviour.CRASH_LOOP);
        KUBELET.keepReady(cluster, 3);

        UpdateRecord update =
                updates.start(app(cluster), request("stratos/php:2.0-crash", true, "1", 0, true, false), "tester");

        assertThat(awaitEnd(update).state()).isEqualTo(UpdateState.FAILED);
        assertThat(records.members(update.id())).singleElement().satisfies(m -> {
            assertThat(m.state()).isEqualTo(MemberProgress.FAILED);
            assertThat(m.update().message()).contains("CrashLoopBackOff");
        });
        assertOnlyPodsOn(cluster, "stratos/php:1.0", 3);
        assertThat(KUBELET.violations()).isEmpty();
    }

    @Test
    void anAllAtOnceUpdateTakesEveryOldPodAwayBeforeItsReplacementWithoutSurge() {
        String cluster = registerWithPods("allatonce", 3, "stratos/php:1.0");

        UpdateRecord update =
                updates.start(app(cluster), request("stratos/php:3.0", false, null, null, true, null), "tester");

        assertThat(awaitEnd(update).state()).isEqualTo(UpdateState.COMPLETED);
        assertOnlyPodsOn(cluster, "stratos/php:3.0", 3);
        assertThat(mostPodsAtOnce(cluster))
                .as("surge is ignored: never a new pod on top of the old ones")
                .isEqualTo(3);
        List<String> events =
                KUBELET.seen().stream().map(s -> s.action() + " " + s.pod()).toList();
        assertThat(records.members(update.id()))
                .hasSize(3)
                .allSatisfy(m -> assertThat(events.indexOf("DELETED " + podName(cluster, m.memberId())))
                        .as("the old pod of %s goes before its replacement comes", m.memberId())
                        .isLessThan(events.indexOf("ADDED " + podName(cluster, m.current()))));
        assertThat(topology.cluster(cluster).state()).isEqualTo(org.stratos.update.topology.ClusterState.ACTIVE);
    }

    @Test
    void apiServerErrorsAreRetriedThenRaiseAnIncidentThatAnOperatorRetries() {
        String cluster = registerWithPods("apierror", 2, "stratos/php:1.0");
        API.server()
                .expect()
                .post()
                .withPath("/api/v1/namespaces/" + MockKubernetes.NAMESPACE + "/pods")
                .andReturn(
                        500,
                        new StatusBuilder()
                                .withCode(500)
                                .withMessage("etcdserver: leader changed")
                                .build())
                .always();
        Job failing;
        try {
            UpdateRecord update =
                    updates.start(app(cluster), request("stratos/php:2.0", true, "1", 0, false, null), "tester");

            // the engine ran the step once and will retry it; the test runs the retries instead of waiting 10 s each
            await().atMost(UPDATE).until(() -> failedJob(update) != null);
            failing = failedJob(update);
            while (management
                            .createJobQuery()
                            .jobId(failing.getId())
                            .singleResult()
                            .getRetries()
                    > 0) {
                String id = failing.getId();
                assertThatThrownBy(() -> management.executeJob(id)).hasMessageContaining("500");
            }
            Incident incident = runtime.createIncidentQuery()
                    .incidentType("failedJob")
                    .configuration(failing.getId())
                    .singleResult();
            assertThat(incident).isNotNull();
            assertThat(incident.getIncidentMessage()).contains("500");
            assertThat(records.find(update.id()).orElseThrow().state()).isEqualTo(UpdateState.RUNNING);

            // when the API server is back, the operator retries the step (Cockpit: "Retry")
            API.server().clearExpectations();
            management.setJobRetries(failing.getId(), 1);
            management.executeJob(failing.getId());

            assertThat(awaitEnd(update).state()).isEqualTo(UpdateState.COMPLETED);
            assertOnlyPodsOn(cluster, "stratos/php:2.0", 2);
        } finally {
            API.server().clearExpectations();
        }
    }

    @Test
    void aPodDeletedBehindTheManagersBackIsTerminatedAndAnUpdateSkipsIt() {
        String cluster = registerWithPods("deleted", 3, "stratos/php:1.0");
        Pod gone = pods(cluster).get(0);

        CLIENT.pods().inNamespace(MockKubernetes.NAMESPACE).resource(gone).delete();

        await().atMost(Duration.ofSeconds(10))
                .until(() -> topology.member(TestPods.memberId(gone)).state() == MemberState.TERMINATED);
        UpdateRecord update =
                updates.start(app(cluster), request("stratos/php:2.0", true, "1", 50, false, null), "tester");
        assertThat(awaitEnd(update).state()).isEqualTo(UpdateState.COMPLETED);
        assertThat(records.members(update.id()))
                .hasSize(2)
                .noneSatisfy(m -> assertThat(m.memberId()).isEqualTo(TestPods.memberId(gone)));
        assertOnlyPodsOn(cluster, "stratos/php:2.0", 2);
    }

    // ---- helpers

    /** Pods first, then the application over the API: the manager adopts the pods; answers the cluster id. */
    private String registerWithPods(String prefix, int pods, String image) {
        String app = TestIds.applicationId(prefix);
        String cluster = Cluster.idOf(app, "web", "php");
        List<Pod> created = new ArrayList<>();
        IntStream.range(0, pods)
                .forEach(i -> created.add(CLIENT.pods()
                        .inNamespace(MockKubernetes.NAMESPACE)
                        .resource(TestPods.memberPod(app, "web", cluster, image))
                        .create()));
        await().atMost(Duration.ofSeconds(10)).until(() -> KUBELET.readyCount(cluster) == pods);

        var response = TestHttp.anonymous(port)
                .as("admin", "test-admin-password")
                .postJson("/api/applications", """
                {"applicationId": "%s", "clusters": [
                  {"alias": "web", "cartridgeType": "php", "runtime": "kubernetes", "imageId": "%s"}]}
                """.formatted(app, image));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);

        await().atMost(Duration.ofSeconds(10))
                .until(() -> liveMembers(cluster).size() == pods
                        && liveMembers(cluster).stream().allMatch(m -> m.state() == MemberState.ACTIVE));
        assertThat(liveMembers(cluster))
                .extracting(ApplicationView.MemberView::memberId)
                .containsExactlyInAnyOrderElementsOf(
                        created.stream().map(TestPods::memberId).toList());
        return cluster;
    }

    private static String podName(String clusterId, String memberId) {
        return "web-" + memberId.substring(clusterId.length());
    }

    private static String app(String clusterId) {
        return clusterId.substring(0, clusterId.indexOf('.'));
    }

    private static UpdateRequest request(
            String image,
            boolean compatible,
            String batch,
            Integer minHealthyPercent,
            boolean surge,
            Boolean autoRollback) {
        return new UpdateRequest(
                List.of("web"),
                null,
                null,
                image,
                compatible,
                batch,
                null,
                minHealthyPercent,
                "PT20S",
                "PT0S",
                null,
                null,
                null,
                autoRollback,
                surge);
    }

    private UpdateRecord awaitEnd(UpdateRecord update) {
        await().atMost(UPDATE)
                .until(() -> records.find(update.id()).orElseThrow().state().ended());
        return records.find(update.id()).orElseThrow();
    }

    private Job failedJob(UpdateRecord update) {
        return management.createJobQuery().withException().list().stream()
                .filter(j -> {
                    var instance = runtime.createProcessInstanceQuery()
                            .processInstanceId(j.getProcessInstanceId())
                            .singleResult();
                    return instance != null && instance.getBusinessKey().startsWith(update.id());
                })
                .findFirst()
                .orElse(null);
    }

    private List<ApplicationView.MemberView> liveMembers(String cluster) {
        return topology.application(app(cluster)).clusters().get(0).members().stream()
                .filter(m -> m.state() != MemberState.TERMINATED)
                .toList();
    }

    private List<Pod> pods(String cluster) {
        return CLIENT.pods()
                .inNamespace(MockKubernetes.NAMESPACE)
                .withLabel("stratos.apache.org/cluster", cluster)
                .list()
                .getItems();
    }

    /** The cluster's pods end ready, on {@code image} (main container), as many as before, all members Active. */
    private void assertOnlyPodsOn(String cluster, String image, int count) {
        await().atMost(Duration.ofSeconds(10)).until(() -> pods(cluster).size() == count);
        assertThat(pods(cluster)).hasSize(count).allSatisfy(p -> {
            assertThat(p.getSpec().getContainers().get(0).getImage()).isEqualTo(image);
            assertThat(p.getSpec().getContainers().get(1).getImage()).isEqualTo(TestPods.SIDECAR_IMAGE);
        });
        assertThat(KUBELET.readyCount(cluster)).isEqualTo(count);
        assertThat(liveMembers(cluster)).hasSize(count).allSatisfy(m -> {
            assertThat(m.state()).isEqualTo(MemberState.ACTIVE);
            assertThat(m.version()).isEqualTo(image);
        });
        assertThat(liveMembers(cluster))
                .extracting(ApplicationView.MemberView::memberId)
                .containsExactlyInAnyOrderElementsOf(
                        pods(cluster).stream().map(TestPods::memberId).toList());
    }

    /** The most pods of the cluster that existed at the same moment, replayed from the kubelet's watch. */
    private static int mostPodsAtOnce(String cluster) {
        java.util.Set<String> now = new java.util.HashSet<>();
        int most = 0;
        for (TestKubelet.Seen s : KUBELET.seen()) {
            if (!s.cluster().equals(cluster)) {
                continue;
            }
            if ("DELETED".equals(s.action())) {
                now.remove(s.pod());
            } else {
                now.add(s.pod());
            }
            most = Math.max(most, now.size());
        }
        return most;
    }
}
