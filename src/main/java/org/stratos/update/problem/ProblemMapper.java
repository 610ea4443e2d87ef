package org.stratos.update.problem;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.ExceptionMapper;

/** What every mapper here shares: the request, whose path becomes the problem's {@code instance}. */
abstract class ProblemMapper<E extends Throwable> implements ExceptionMapper<E> {

    @Context
    private HttpServletRequest request;

    HttpServletRequest request() {
        return request;
    }

    Problem problem(int status, String detail) {
        return Problem.of(status, detail, request.getRequestURI());
    }
}
