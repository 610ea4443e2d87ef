package org.stratos.update.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.webapp.impl.security.auth.Authentication;
import org.camunda.bpm.webapp.impl.security.auth.AuthenticationUtil;
import org.camunda.bpm.webapp.impl.security.filter.util.CsrfConstants;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;
import org.stratos.update.problem.Problem;

/**
 * Lets the pages of Cockpit and Tasklist (the updates plugin, the approval form) call {@code /api} with the user's
 * webapp login instead of HTTP Basic. A request without an {@code Authorization} header whose HTTP session holds a
 * Camunda webapp login for this engine is the call of that user, with the groups the user has <em>now</em> (a user
 * deleted or taken out of a group meanwhile loses the access at once). A state-changing call (anything but GET, HEAD
 * and OPTIONS) must also carry the session's CSRF token in {@code X-XSRF-TOKEN}, as the webapps' own calls do; without
 * it the call is refused (403), so another site cannot make a logged-in browser act. A request with an
 * {@code Authorization} header is left to {@link BasicAuthenticationFilter}, as is one without a login.
 */
final class WebappSessionFilter extends OncePerRequestFilter {

    static final String CSRF_HEADER = CsrfConstants.CSRF_TOKEN_HEADER_NAME;
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private final IdentityService identity;
    private final String engineName;
    private final ObjectMapper json;

    WebappSessionFilter(IdentityService identity, String engineName, ObjectMapper json) {
        this.identity = identity;
        this.engineName = engineName;
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        HttpSession session = request.getHeader(HttpHeaders.AUTHORIZATION) == null ? request.getSession(false) : null;
        String userId = session == null ? null : loggedIn(session);
        if (userId == null || identity.createUserQuery().userId(userId).count() == 0) {
            chain.doFilter(request, response);
            return;
        }
        if (!SAFE_METHODS.contains(request.getMethod()) && !csrfTokenMatches(request, session)) {
            response.setStatus(HttpServletResponse.SC_FORBIDDEN);
            response.setContentType(Problem.MEDIA_TYPE);
            json.writeValue(
                    response.getOutputStream(),
                    Problem.of(
                            HttpServletResponse.SC_FORBIDDEN,
                            "a " + request.getMethod()
                                    + " with the Cockpit login needs the session's CSRF token in the " + CSRF_HEADER
                                    + " header (or use HTTP Basic)",
                            request.getRequestURI()));
            return;
        }
        Caller caller = Caller.of(
                userId,
                identity.createGroupQuery().groupMember(userId).list().stream()
                        .map(Group::getId)
                        .toList());
        chain.doFilter(new AuthenticatedRequest(request, caller, HttpServletRequest.FORM_AUTH), response);
    }

    /** The user logged into the webapps in this session for this engine, or null. */
    private String loggedIn(HttpSession session) {
        try {
            Authentication login =
                    AuthenticationUtil.getAuthsFromSession(session).getAuthenticationForProcessEngine(engineName);
            return login == null ? null : login.getIdentityId();
        } catch (IllegalStateException invalidated) {
            return null;
        }
    }

    private static boolean csrfTokenMatches(HttpServletRequest request, HttpSession session) {
        Object expected = session.getAttribute(CsrfConstants.CSRF_TOKEN_SESSION_ATTR_NAME);
        String given = request.getHeader(CSRF_HEADER);
        return expected instanceof String token
                && given != null
                && MessageDigest.isEqual(
                        token.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }
}
