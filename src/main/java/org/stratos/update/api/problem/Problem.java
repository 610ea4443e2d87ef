package org.stratos.update.api.problem;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.stratos.update.common.InvalidInputException.FieldError;

/**
 * An error answer as RFC 9457 describes it. {@code type} is always {@code about:blank}: the status says what kind of
 * problem it is and {@code title} is its reason phrase; {@code detail} says what went wrong with this request.
 *
 * @param errors  for 400: every broken rule, each naming its field as a JSON path ({@code clusters[0].alias})
 * @param errorId for 500: the id under which the fault was logged
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"type", "title", "status", "detail", "instance", "errors", "errorId"})
@Schema(name = "Problem", description = "An error (RFC 9457 problem details)")
public record Problem(String type, String title, int status, String detail, String instance, List<FieldError> errors,
                      String errorId) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final MediaType MEDIA = MediaType.valueOf(MEDIA_TYPE);
    static final String ABOUT_BLANK = "about:blank";

    public static Problem of(int status, String detail, String instance) {
        return new Problem(ABOUT_BLANK, reasonPhrase(status), status, detail, instance, null, null);
    }

    Problem withErrors(List<FieldError> fieldErrors) {
        return new Problem(type, title, status, detail, instance, List.copyOf(fieldErrors), errorId);
    }

    Problem withErrorId(String id) {
        return new Problem(type, title, status, detail, instance, errors, id);
    }

    /** The JAX-RS answer carrying this problem. */
    public Response toResponse() {
        return Response.status(status).type(MEDIA).entity(this).build();
    }

    static String reasonPhrase(int status) {
        Response.StatusType known = Response.Status.fromStatusCode(status);
        return known != null ? known.getReasonPhrase() : "HTTP " + status;
    }
}
