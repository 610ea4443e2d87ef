package org.stratos.update.support;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;

/**
 * fabric8's mock API server in CRUD mode on a free loopback port: it stores and serves objects and watches, and runs
 * no controllers and no kubelet (see {@link TestKubelet}). Expectations ({@code server().expect()}) take precedence
 * over the CRUD store while they last, which is how tests make the API server fail.
 */
public final class MockKubernetes implements AutoCloseable {

    public static final String NAMESPACE = "test";
    // the mock server logs every request through java.util.logging; kept referenced so the level sticks
    private static final java.util.logging.Logger SERVER_LOG =
            java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    static {
        SERVER_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    private final KubernetesMockServer server;

    private MockKubernetes() {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        server = new KubernetesMockServer(
                new Context(), new MockWebServer(), responses, new KubernetesMixedDispatcher(responses), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
    }

    public static MockKubernetes start() {
        return new MockKubernetes();
    }

    public KubernetesMockServer server() {
        return server;
    }

    public String url() {
        return server.url("/");
    }

    /** A client of the test namespace that does not retry failed requests itself. */
    public KubernetesClient client() {
        return client(url());
    }

    /** A client of {@code masterUrl} (e.g. a port that refuses connections). */
    public static KubernetesClient client(String masterUrl) {
        Config config = new ConfigBuilder(Config.empty())
                .withMasterUrl(masterUrl)
                .withNamespace(NAMESPACE)
                .withRequestRetryBackoffLimit(0)
                .withHttp2Disable(true)
                .withConnectionTimeout(2_000)
                .withRequestTimeout(5_000)
                .build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    @Override
    public void close() {
        server.destroy();
    }
}
