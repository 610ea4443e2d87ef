package org.stratos.update.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;
import org.stratos.update.problem.Problem;

/**
 * Puts {@link LoginThrottle} in front of every password check: Basic credentials on {@code /api},
 * {@code /actuator} (but health, which takes none) and {@code /engine-rest}, and the webapps' login form. While the
 * client's address must wait, such a request is answered 429 with {@code Retry-After} and the password is not
 * checked. Otherwise the answer tells the outcome: 401 a failed login, 2xx or 3xx a successful one; other answers
 * (403 for a missing group, a CSRF refusal) count as neither.
 */
final class LoginThrottleFilter extends OncePerRequestFilter {

    private static final String HEALTH = "/actuator/health";

    private final LoginThrottle throttle;
    private final ObjectMapper json;
    private final Pattern webappLogin;

    LoginThrottleFilter(LoginThrottle throttle, ObjectMapper json, String webappPath) {
        this.throttle = throttle;
        this.json = json;
        this.webappLogin = Pattern.compile(Pattern.quote(webappPath) + "/api/admin/auth/user/[^/]+/login/[^/]+/?");
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        if (webappLogin.matcher(path).matches()) {
            return !"POST".equals(request.getMethod());
        }
        return request.getHeader(HttpHeaders.AUTHORIZATION) == null
                || path.equals(HEALTH)
                || path.startsWith(HEALTH + "/")
                || !(path.startsWith("/api") || path.startsWith("/actuator") || path.startsWith("/engine-rest"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String address = request.getRemoteAddr();
        Optional<Duration> wait = throttle.waitFor(address);
        if (wait.isPresent()) {
            long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
            response.setStatus(429);
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
            response.setContentType(Problem.MEDIA_TYPE);
            json.writeValue(
                    response.getOutputStream(),
                    Problem.of(
                            429,
                            "too many failed logins from this address; " + "try again in " + seconds + " s",
                            request.getRequestURI()));
            return;
        }
        chain.doFilter(request, response);
        int status = response.getStatus();
        if (status == HttpServletResponse.SC_UNAUTHORIZED) {
            throttle.failed(address);
        } else if (status >= 200 && status < 400) {
            throttle.succeeded(address);
        }
    }
}
