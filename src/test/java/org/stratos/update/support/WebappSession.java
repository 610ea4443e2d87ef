package org.stratos.update.support;

import java.io.IOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A browser's session with the Camunda webapps, without a browser: the cookies Cockpit's login sets (session and
 * CSRF token), then calls with those cookies, with or without the {@code X-XSRF-TOKEN} header.
 */
public final class WebappSession {

    private final String base;
    private final CookieManager cookies = new CookieManager();
    private final HttpClient client;

    private WebappSession(int port) {
        this.base = "http://127.0.0.1:" + port;
        this.client = HttpClient.newBuilder()
                .cookieHandler(cookies)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /** Opens Cockpit and logs in as Cockpit's login page does. */
    public static WebappSession loggedIn(int port, TestUsers.Credentials user) {
        return loggedIn(port, user, "cockpit");
    }

    /** Opens the webapp {@code app} ({@code cockpit}, {@code tasklist}) and logs in as its login page does. */
    public static WebappSession loggedIn(int port, TestUsers.Credentials user, String app) {
        WebappSession session = new WebappSession(port);
        session.send(session.request("/camunda/app/" + app + "/default/").GET());
        HttpResponse<String> login = session.send(session.request("/camunda/api/admin/auth/user/default/login/" + app)
                .header("X-XSRF-TOKEN", session.csrfToken())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "username=" + encode(user.id()) + "&password=" + encode(user.password()))));
        if (login.statusCode() != 200) {
            throw new AssertionError("login of " + user.id() + ": " + login.statusCode() + " " + login.body());
        }
        // the login starts a new session; its CSRF token comes with the next call, as in the browser
        session.send(session.request("/camunda/api/admin/auth/user/default").GET());
        return session;
    }

    public void logOut() {
        send(request("/camunda/api/admin/auth/user/default/logout")
                .header("X-XSRF-TOKEN", csrfToken())
                .POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** The CSRF token the webapps keep in the cookie {@code XSRF-TOKEN}. */
    public String csrfToken() {
        return cookies.getCookieStore().getCookies().stream()
                .filter(c -> c.getName().equals("XSRF-TOKEN"))
                .map(HttpCookie::getValue)
                .reduce((older, newer) -> newer)
                .orElseThrow(() -> new AssertionError("no XSRF-TOKEN cookie"));
    }

    public HttpResponse<String> get(String path) {
        return send(request(path).GET());
    }

    /** A POST with the session's cookies, and the CSRF header when {@code csrfToken} is not null. */
    public HttpResponse<String> post(String path, String csrfToken) {
        HttpRequest.Builder request = request(path).POST(HttpRequest.BodyPublishers.noBody());
        if (csrfToken != null) {
            request.header("X-XSRF-TOKEN", csrfToken);
        }
        return send(request);
    }

    /** A JSON POST with the session's cookies and its CSRF token, as the webapps' own calls are made. */
    public HttpResponse<String> postJson(String path, String json) {
        return send(request(path)
                .header("X-XSRF-TOKEN", csrfToken())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json, text/html;q=0.5");
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
