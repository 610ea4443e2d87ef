package org.stratos.update.api.problem;

import java.util.List;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.ws.rs.core.Response;
import org.stratos.update.common.InvalidInputException.FieldError;

/**
 * 400 for a body that is not JSON, or JSON of the wrong shape: {@code clusters[0].members: expected a number}.
 * Jackson's own messages name Java types, so they are translated rather than passed on. Registered in place of the
 * mappers that Jersey's Jackson feature brings (see {@code ApiApplication}).
 */
public final class JsonInputMapper extends ProblemMapper<JsonProcessingException> {

    static final String BODY = "body";

    @Override
    public Response toResponse(JsonProcessingException e) {
        FieldError error = describe(e);
        return problem(400, error.field() + ": " + error.reason()).withErrors(List.of(error)).toResponse();
    }

    static FieldError describe(JsonProcessingException e) {
        String path = e instanceof JsonMappingException mapping ? path(mapping) : BODY;
        StreamReadException syntax = e instanceof StreamReadException read ? read
                : e.getCause() instanceof StreamReadException read ? read : null;
        if (syntax != null) {
            JsonLocation at = syntax.getLocation();
            String where = at == null || at.getLineNr() < 0 ? ""
                    : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
            return new FieldError(path, "is not well-formed JSON" + where);
        }
        if (e instanceof UnrecognizedPropertyException) {
            return new FieldError(path, "is not a known field");
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return new FieldError(path, "expected " + JsonTypes.describe(mismatch.getTargetType()));
        }
        return new FieldError(path, "has a value that cannot be read");
    }

    /** The JSON path Jackson was at, {@code clusters[0].members}; {@code body} for the document itself. */
    static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? BODY : path.toString();
    }
}
