package org.stratos.update.problem;

import jakarta.ws.rs.core.Response;
import org.stratos.update.common.ConflictException;

/** 409 for a request the current state forbids (an id already taken, a state transition the table refuses). */
public final class ConflictMapper extends ProblemMapper<ConflictException> {

    @Override
    public Response toResponse(ConflictException e) {
        return problem(409, e.getMessage()).toResponse();
    }
}
