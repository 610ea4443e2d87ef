package org.stratos.update.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HealthWatchTest {

    private static final Duration INTERVAL = Duration.ofMillis(20);

    @TempDir
    Path dir;

    private HttpServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void passesOnceTheCheckPassesWithinTheTimeout() throws Exception {
        HealthWatch watch = new HealthWatch(answers(false, false, true), INTERVAL);

        assertThat(watch.verify(Duration.ofSeconds(5), Duration.ZERO)).isEmpty();
    }

    @Test
    void failsWhenTheCheckNeverPassesInTime() throws Exception {
        HealthWatch watch = new HealthWatch(answers(false), INTERVAL);

        assertThat(watch.verify(Duration.ofMillis(100), Duration.ZERO))
                .contains("health check scripted did not pass within PT0.1S");
    }

    @Test
    void failsWhenTheCheckStopsPassingBeforeTheMinimumHealthyTime() throws Exception {
        HealthWatch watch = new HealthWatch(answers(true, true, false), INTERVAL);

        assertThat(watch.verify(Duration.ofSeconds(5), Duration.ofSeconds(5)))
                .hasValueSatisfying(reason -> assertThat(reason)
                        .startsWith("health check scripted stopped passing after PT0.")
                        .endsWith("(must pass for PT5S)"));
    }

    @Test
    void aNearDeadlineEndsTheWaitForTheCheckToPass() throws Exception {
        HealthWatch watch = new HealthWatch(answers(false), INTERVAL);

        assertThat(watch.verify(Duration.ofMinutes(5), Duration.ZERO, Duration.ofMillis(100)))
                .contains("health check scripted did not pass within PT0.1S, when the report was due");
    }

    @Test
    void aNearDeadlineEndsTheMinimumHealthyTime() throws Exception {
        HealthWatch watch = new HealthWatch(answers(true), INTERVAL);

        assertThat(watch.verify(Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofMillis(200)))
                .hasValueSatisfying(reason -> assertThat(reason)
                        .startsWith("health check scripted had passed for PT0.")
                        .endsWith(" of PT5M when the report was due"));
    }

    @Test
    void aCheckThatBreaksCountsAsFailing() throws Exception {
        HealthCheck broken = new HealthCheck() {
            @Override
            public boolean healthy() {
                throw new IllegalStateException("boom");
            }

            @Override
            public String describe() {
                return "broken";
            }
        };

        assertThat(new HealthWatch(broken, INTERVAL).verify(Duration.ofMillis(50), Duration.ZERO))
                .isPresent();
    }

    @Test
    void httpCheckIsHealthyOnTwoHundredsOnly() throws Exception {
        AtomicInteger status = new AtomicInteger(200);
        HealthCheck check = HealthCheck.http(serve(status));

        assertThat(check.healthy()).isTrue();
        status.set(204);
        assertThat(check.healthy()).isTrue();
        status.set(503);
        assertThat(check.healthy()).isFalse();
        status.set(302);
        assertThat(check.healthy()).isFalse();
        assertThat(check.describe()).startsWith("http://127.0.0.1:").endsWith("/health");
    }

    @Test
    void httpCheckOnAClosedPortIsUnhealthy() throws Exception {
        URI url = serve(new AtomicInteger(200));
        server.stop(0);
        server = null;

        assertThat(HealthCheck.http(url).healthy()).isFalse();
    }

    @Test
    void commandCheckIsHealthyOnExitZero() throws Exception {
        HealthCheck passing = HealthCheck.command(
                List.of(Scripts.write(dir, "ok.sh", "exit 0").toString()));
        HealthCheck failing = HealthCheck.command(
                List.of(Scripts.write(dir, "bad.sh", "exit 1").toString(), "arg"));
        HealthCheck missing = HealthCheck.command(List.of(dir.resolve("none").toString()));

        assertThat(passing.healthy()).isTrue();
        assertThat(failing.healthy()).isFalse();
        assertThat(missing.healthy()).isFalse();
        assertThat(failing.describe()).isEqualTo(dir.resolve("bad.sh") + " arg");
    }

    private URI serve(AtomicInteger status) throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/health", exchange -> {
            exchange.sendResponseHeaders(status.get(), -1);
            exchange.close();
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/health");
    }

    /** Answers in turn, then keeps giving the last answer. */
    private static HealthCheck answers(Boolean... answers) {
        Iterator<Boolean> next = List.of(answers).iterator();
        return new HealthCheck() {
            private boolean last;

            @Override
            public synchronized boolean healthy() {
                if (next.hasNext()) {
                    last = next.next();
                }
                return last;
            }

            @Override
            public String describe() {
                return "scripted";
            }
        };
    }
}
