package org.stratos.update.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.stratos.update.common.InvalidInputException.FieldError;

/**
 * An error answer as RFC 9457 describes it. {@code type} is always {@code about:blank}: the status says what kind of
 * problem it is and {@code title} is its reason phrase; {@code detail} says what went wrong with this request.
 *
 * @param errors     for 400: the broken rules, each naming its field as a JSON path ({@code clusters[0].alias});
 *                   at most the first twenty
 * @param moreErrors for 400: how many further rules were broken and are not listed (absent when none)
 * @param errorId    for 500: the id under which the fault was logged
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"type", "title", "status", "detail", "instance", "errors", "moreErrors", "errorId"})
@Schema(name = "Problem", description = "An error (RFC 9457 problem details)")
public record Problem(
        String type,
        String title,
        int status,
        String detail,
        String instance,
        List<FieldError> errors,
        Integer moreErrors,
        String errorId) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final MediaType MEDIA = MediaType.valueOf(MEDIA_TYPE);
    static final String ABOUT_BLANK = "about:blank";

    public static Problem of(int status, String detail, String instance) {
        return new Problem(ABOUT_BLANK, reasonPhrase(status), status, detail, instance, null, null, null);
    }

    /** With the listed broken rules, and how many of {@code count} in all are not listed. */
    Problem withErrors(List<FieldError> fieldErrors, int count) {
        int more = count - fieldErrors.size();
        return new Problem(
                type, title, status, detail, instance, List.copyOf(fieldErrors), more > 0 ? more : null, errorId);
    }

    Problem withErrorId(String id) {
        return new Problem(type, title, status, detail, instance, errors, moreErrors, id);
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
