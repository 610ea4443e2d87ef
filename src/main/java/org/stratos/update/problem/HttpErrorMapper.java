package org.stratos.update.problem;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The refusals Jersey itself raises (no such path 404, method 405, media type 415/406, role 403, ...) as problems
 * with a detail that says what to do instead. Headers such as {@code Allow} are kept.
 */
public final class HttpErrorMapper extends ProblemMapper<WebApplicationException> {

    private static final Logger log = LoggerFactory.getLogger(HttpErrorMapper.class);
    private static final List<String> DROPPED_HEADERS = List.of(HttpHeaders.CONTENT_TYPE, HttpHeaders.CONTENT_LENGTH);

    @Context
    private ResourceInfo resource;

    @Override
    public Response toResponse(WebApplicationException e) {
        Response original = e.getResponse();
        int status = original.getStatus();
        if (status >= 500) {
            log.error("{} {} failed with {}", request().getMethod(), request().getRequestURI(), status, e);
        }
        Response.ResponseBuilder answer =
                Response.status(status).type(Problem.MEDIA).entity(problem(status, detail(status, original)));
        original.getHeaders().forEach((name, values) -> {
            if (DROPPED_HEADERS.stream().noneMatch(name::equalsIgnoreCase)) {
                values.forEach(value -> answer.header(name, value));
            }
        });
        return answer.build();
    }

    private String detail(int status, Response original) {
        String method = request().getMethod();
        String path = request().getRequestURI();
        return switch (status) {
            case 401 -> "authentication is required";
            case 403 -> "user '" + request().getRemoteUser() + "' may not call " + method + " " + path + neededRoles();
            case 404 -> "there is nothing at " + path;
            case 405 -> "method " + method + " is not allowed on " + path + allowed(original);
            case 406 -> "the answer can only be application/json; adjust the Accept header";
            case 415 ->
                "content type '" + request().getContentType() + "' is not supported here; send application/json";
            default -> status >= 500 ? "the request could not be completed" : Problem.reasonPhrase(status);
        };
    }

    private String neededRoles() {
        RolesAllowed roles = resource == null || resource.getResourceMethod() == null
                ? null
                : resource.getResourceMethod().getAnnotation(RolesAllowed.class);
        return roles == null ? "" : "; it needs membership in " + String.join(" or ", Arrays.asList(roles.value()));
    }

    private static String allowed(Response original) {
        String allow = original.getHeaderString(HttpHeaders.ALLOW);
        return allow == null ? "" : "; allowed: " + allow;
    }
}
