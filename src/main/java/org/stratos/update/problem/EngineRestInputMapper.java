package org.stratos.update.problem;

import jakarta.annotation.Priority;
import jakarta.ws.rs.core.Response;
import org.camunda.bpm.engine.rest.exception.RestException;
import org.glassfish.jersey.spi.ExtendedExceptionMapper;
import org.stratos.update.common.InvalidInputException;

/**
 * 400 on {@code /engine-rest} and on the webapps' {@code /camunda/api/engine} (Tasklist's calls; both registered in
 * {@link EngineRestProblems}) for input that the project's own engine code refused: a task listener or delegate that
 * throws {@link InvalidInputException} inside a REST call (completing the approval task without a decision) reaches
 * Camunda's resource wrapped in the engine's exception, which Camunda answers with 500. This mapper takes precedence
 * over Camunda's {@code RestExceptionHandler} (a lower priority number wins among mappers of the same type) for
 * exactly those failures, and answers them as {@link InvalidInputMapper} does on {@code /api}: the field and the
 * rule, no stack, no exception names. Every other {@link RestException} stays Camunda's.
 */
@Priority(1)
public final class EngineRestInputMapper extends ProblemMapper<RestException>
        implements ExtendedExceptionMapper<RestException> {

    @Override
    public boolean isMappable(RestException e) {
        return invalidInput(e) != null;
    }

    @Override
    public Response toResponse(RestException e) {
        InvalidInputException cause = invalidInput(e);
        if (cause == null) { // isMappable said no: never here
            throw e;
        }
        return problem(400, cause.getMessage())
                .withErrors(cause.errors(), cause.count())
                .toResponse();
    }

    private static InvalidInputException invalidInput(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InvalidInputException invalid) {
                return invalid;
            }
        }
        return null;
    }
}
