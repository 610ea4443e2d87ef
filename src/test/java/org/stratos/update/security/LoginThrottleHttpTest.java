package org.stratos.update.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.stratos.update.support.ManagerTest;
import org.stratos.update.support.RawHttp;

/**
 * The lock-out of issue #9 (one wrong admin password made the right one answer 401 on /engine-rest), gone: failed
 * logins slow the address they come from, and nothing else. Each test calls from loopback addresses of its own.
 */
@ManagerTest
class LoginThrottleHttpTest {

    private static final AtomicInteger NEXT = new AtomicInteger();
    private static final String ENGINE_REST = "/engine-rest/process-definition";

    @LocalServerPort
    int port;

    @Value("${camunda.bpm.admin-user.id}")
    String adminId;

    @Value("${camunda.bpm.admin-user.password}")
    String adminPassword;

    @Autowired
    LoginThrottleProperties settings;

    @Test
    void aStrangersWrongPasswordsSlowTheStrangerAndNeverLockTheAdminOut() {
        String stranger = freshAddress();
        String admin = freshAddress();

        for (int i = 0; i <= settings.freeFailures(); i++) {
            assertThat(get(stranger, ENGINE_REST, adminId, "guess" + i).status())
                    .isEqualTo(401);
        }
        RawHttp.Answer refused = get(stranger, ENGINE_REST, adminId, adminPassword);

        assertThat(refused.status())
                .as("the right password, unchecked while the address waits")
                .isEqualTo(429);
        assertThat(refused.header("Retry-After"))
                .isEqualTo(String.valueOf(settings.firstDelay().toSeconds()));
        assertThat(refused.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(refused.json().path("detail").asText()).contains("too many failed logins from this address");
        assertThat(get(admin, ENGINE_REST, adminId, adminPassword).status()).isEqualTo(200);
        assertThat(get(admin, "/api/applications", adminId, adminPassword).status())
                .isEqualTo(200);
        assertThat(webappLogin(admin, adminId, adminPassword).status()).isEqualTo(200);
    }

    @Test
    void wrongPasswordsOnTheApiCountToo() {
        String stranger = freshAddress();

        for (int i = 0; i <= settings.freeFailures(); i++) {
            assertThat(get(stranger, "/api/applications", adminId, "guess" + i).status())
                    .isEqualTo(401);
        }

        assertThat(get(stranger, "/api/applications", adminId, adminPassword).status())
                .isEqualTo(429);
        assertThat(get(stranger, "/actuator/metrics", adminId, adminPassword).status())
                .isEqualTo(429);
        assertThat(get(stranger, "/actuator/health", null, null).status())
                .as("health takes no login")
                .isEqualTo(200);
    }

    @Test
    void wrongPasswordsOnTheWebappLoginCountToo() {
        String stranger = freshAddress();

        for (int i = 0; i <= settings.freeFailures(); i++) {
            assertThat(webappLogin(stranger, adminId, "guess" + i).status()).isEqualTo(401);
        }

        assertThat(webappLogin(stranger, adminId, adminPassword).status()).isEqualTo(429);
    }

    @Test
    void aSuccessfulLoginForgetsTheAddressesFailures() {
        String colleague = freshAddress();

        for (int i = 0; i < settings.freeFailures(); i++) {
            assertThat(get(colleague, ENGINE_REST, adminId, "typo" + i).status())
                    .isEqualTo(401);
        }
        assertThat(get(colleague, ENGINE_REST, adminId, adminPassword).status()).isEqualTo(200);

        for (int i = 0; i < settings.freeFailures(); i++) {
            assertThat(get(colleague, ENGINE_REST, adminId, "typo" + i).status())
                    .isEqualTo(401);
        }
        assertThat(get(colleague, ENGINE_REST, adminId, adminPassword).status()).isEqualTo(200);
    }

    private RawHttp.Answer get(String from, String path, String user, String password) {
        String credentials = user == null
                ? ""
                : "Authorization: Basic "
                        + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8))
                        + "\r\n";
        return RawHttp.exchange(
                from,
                port,
                "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n" + credentials + "Connection: close\r\n\r\n",
                new byte[0]);
    }

    /** Cockpit's login form: fetch the page for the session and its CSRF token, then post name and password. */
    private RawHttp.Answer webappLogin(String from, String user, String password) {
        RawHttp.Answer page = RawHttp.exchange(
                from,
                port,
                "GET /camunda/app/cockpit/default/ HTTP/1.1\r\n" + "Host: localhost\r\nConnection: close\r\n\r\n",
                new byte[0]);
        String cookies =
                page.headers("Set-Cookie").stream().map(c -> c.split(";", 2)[0]).collect(Collectors.joining("; "));
        String token = page.headers("Set-Cookie").stream()
                .filter(c -> c.startsWith("XSRF-TOKEN="))
                .map(c -> c.split(";", 2)[0].substring("XSRF-TOKEN=".length()))
                .findFirst()
                .orElseThrow();
        byte[] form = ("username=" + URLEncoder.encode(user, StandardCharsets.UTF_8) + "&password="
                        + URLEncoder.encode(password, StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8);
        return RawHttp.exchange(
                from,
                port,
                "POST /camunda/api/admin/auth/user/default/login/cockpit HTTP/1.1\r\n"
                        + "Host: localhost\r\nCookie: " + cookies + "\r\nX-XSRF-TOKEN: " + token + "\r\n"
                        + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + form.length + "\r\n"
                        + "Connection: close\r\n\r\n",
                form);
    }

    private static String freshAddress() {
        int n = NEXT.incrementAndGet();
        return "127.9." + (n / 250) + "." + (n % 250 + 1);
    }
}
