package org.stratos.update.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;
import org.stratos.update.problem.Problem;

/**
 * HTTP Basic for {@code /api} and {@code /actuator}: health stays open, every other call needs a Camunda user whose
 * password checks out (401 otherwise). Actuator endpoints also need a viewer or operator (403); on {@code /api} the
 * resources' {@code @RolesAllowed} decide. Refusals are problem bodies.
 */
final class BasicAuthenticationFilter extends OncePerRequestFilter {

    static final String REALM = "Stratos Update Manager";
    static final String CHALLENGE = "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"";
    private static final String ACTUATOR = "/actuator";
    private static final String HEALTH = ACTUATOR + "/health";

    private final CamundaCredentials credentials;
    private final ObjectMapper json;

    BasicAuthenticationFilter(CamundaCredentials credentials, ObjectMapper json) {
        this.credentials = credentials;
        this.json = json;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = path(request);
        return path.equals(HEALTH) || path.startsWith(HEALTH + "/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getUserPrincipal() instanceof Caller) {
            chain.doFilter(request, response); // the webapp login of the browser (WebappSessionFilter)
            return;
        }
        Optional<Caller> caller = credentialsOf(request).flatMap(c -> credentials.authenticate(c[0], c[1]));
        if (caller.isEmpty()) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE);
            refuse(request, response, 401, "authentication is required: HTTP Basic with a Camunda user");
            return;
        }
        if (path(request).startsWith(ACTUATOR) && !caller.get().isViewerOrOperator()) {
            refuse(
                    request,
                    response,
                    403,
                    "user '" + caller.get().userId() + "' needs membership in " + StratosGroups.VIEWERS + " or "
                            + StratosGroups.OPERATORS);
            return;
        }
        chain.doFilter(new AuthenticatedRequest(request, caller.get()), response);
    }

    /** User and password from the Authorization header, when it is well-formed Basic. */
    static Optional<String[]> credentialsOf(HttpServletRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        return colon < 0
                ? Optional.empty()
                : Optional.of(new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)});
    }

    /** The decoded, normalised path inside the application, e.g. {@code /actuator/health/liveness}. */
    private static String path(HttpServletRequest request) {
        String info = request.getPathInfo();
        return request.getServletPath() + (info == null ? "" : info);
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, int status, String detail)
            throws IOException {
        response.setStatus(status);
        response.setContentType(Problem.MEDIA_TYPE);
        json.writeValue(response.getOutputStream(), Problem.of(status, detail, request.getRequestURI()));
    }
}
