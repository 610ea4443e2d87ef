package org.stratos.update.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.regex.Pattern;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.rest.security.auth.ProcessEngineAuthenticationFilter;
import org.stratos.update.problem.Problem;

/**
 * Camunda's HTTP Basic filter for {@code /engine-rest}, with two changes. Every path needs a login: Camunda's own
 * leaves {@code /engine-rest/engine} (the engines' names) open, and answers an unknown engine name before one. And
 * {@code /identity/verify} is refused: it tells any logged-in user whether a password of any user is right, without
 * counting as a login, so it would let guesses past the login throttle.
 */
final class EngineRestAuthenticationFilter extends ProcessEngineAuthenticationFilter {

    /** The path inside /engine-rest, decoded and normalised by the container, with or without an engine name. */
    static final Pattern PASSWORD_CHECK = Pattern.compile("(/engine/[^/]+)?/identity/verify/?");

    private final ObjectMapper json;

    EngineRestAuthenticationFilter(ObjectMapper json) {
        this.json = json;
    }

    @Override
    protected boolean requiresEngineAuthentication(String requestUrl) {
        return true;
    }

    /** An unknown engine name is checked against the default engine: no path answers before a login. */
    @Override
    protected ProcessEngine getAddressedEngine(String engineName) {
        ProcessEngine named = super.getAddressedEngine(engineName);
        return named != null ? named : super.getAddressedEngine(DEFAULT_ENGINE_NAME);
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        String path = http.getPathInfo();
        if (path != null && PASSWORD_CHECK.matcher(path).matches()) {
            HttpServletResponse answer = (HttpServletResponse) response;
            answer.setStatus(HttpServletResponse.SC_FORBIDDEN);
            answer.setContentType(Problem.MEDIA_TYPE);
            json.writeValue(
                    answer.getOutputStream(),
                    Problem.of(
                            HttpServletResponse.SC_FORBIDDEN,
                            "password checks on /engine-rest/identity/verify are refused: they would bypass the login "
                                    + "throttle; log in with the user instead",
                            http.getRequestURI()));
            return;
        }
        super.doFilter(request, response, chain);
    }
}
