package org.stratos.update.problem;

import jakarta.ws.rs.core.Response;
import org.stratos.update.common.InvalidInputException;

/**
 * 400: the detail names the first broken rule, {@code errors} lists the first few, {@code moreErrors} counts the rest.
 */
public final class InvalidInputMapper extends ProblemMapper<InvalidInputException> {

    @Override
    public Response toResponse(InvalidInputException e) {
        return problem(400, e.getMessage()).withErrors(e.errors(), e.count()).toResponse();
    }
}
