package org.stratos.update.problem;

import jakarta.ws.rs.core.Response;
import org.stratos.update.common.NotFoundException;

/** 404 for an application, cluster, member or update that does not exist. */
public final class NotFoundMapper extends ProblemMapper<NotFoundException> {

    @Override
    public Response toResponse(NotFoundException e) {
        return problem(404, e.getMessage()).toResponse();
    }
}
