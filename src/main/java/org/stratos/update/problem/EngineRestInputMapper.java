package org.stratos.update.problem;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.json.JsonMapper;
import jakarta.annotation.Priority;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
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
 * rule, no stack, no exception names; and, as Camunda's own errors do, the detail as {@code message}, which
 * Camunda's web clients show. Every other {@link RestException} stays Camunda's.
 */
@Priority(1)
public final class EngineRestInputMapper extends ProblemMapper<RestException>
        implements ExtendedExceptionMapper<RestException> {

    private static final JsonMapper JSON = JsonMapper.builder().build();

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
        Problem problem = problem(400, cause.getMessage()).withErrors(cause.errors(), cause.count());
        // Camunda's web clients (Tasklist's forms, through Camunda's JS SDK) show a failed call's `message`, and
        // without one only "The POST request on … failed": the detail goes under that name as well
        Map<String, Object> body = JSON.convertValue(problem, new TypeReference<LinkedHashMap<String, Object>>() {});
        body.put("message", problem.detail());
        return Response.status(problem.status())
                .type(Problem.MEDIA)
                .entity(body)
                .build();
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
