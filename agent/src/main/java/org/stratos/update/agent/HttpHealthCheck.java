package org.stratos.update.agent;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;

/**
 * GET on a URL, 2xx is healthy. Short time-outs, because a check that hangs would eat the whole health time-out
 * on one attempt. The client is created on first use: it starts a selector thread that an agent without health
 * checks should not pay for.
 */
final class HttpHealthCheck implements HealthCheck {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    private final URI url;
    private volatile HttpClient client;

    HttpHealthCheck(URI url) {
        this.url = Objects.requireNonNull(url, "url");
        String scheme = url.getScheme();
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException("health check URL must be http or https: " + url);
        }
    }

    @Override
    public boolean healthy() throws InterruptedException {
        HttpRequest request =
                HttpRequest.newBuilder(url).GET().timeout(REQUEST_TIMEOUT).build();
        try {
            int status = client().send(request, HttpResponse.BodyHandlers.discarding())
                    .statusCode();
            return status >= 200 && status < 300;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public String describe() {
        return url.toString();
    }

    private HttpClient client() {
        HttpClient c = client;
        if (c == null) {
            synchronized (this) {
                c = client;
                if (c == null) {
                    c = HttpClient.newBuilder()
                            .connectTimeout(CONNECT_TIMEOUT)
                            .followRedirects(HttpClient.Redirect.NEVER)
                            .build();
                    client = c;
                }
            }
        }
        return c;
    }
}
