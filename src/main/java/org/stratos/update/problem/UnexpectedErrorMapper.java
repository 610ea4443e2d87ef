package org.stratos.update.problem;

import jakarta.ws.rs.core.Response;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * 500 for anything no other mapper knows: logged in full under a fresh error id; the body carries that id and a
 * generic detail, never the exception's message or stack.
 */
public final class UnexpectedErrorMapper extends ProblemMapper<Throwable> {

    private static final Logger log = LoggerFactory.getLogger(UnexpectedErrorMapper.class);

    @Override
    public Response toResponse(Throwable e) {
        String errorId = Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        log.error(
                "Unexpected error {} on {} {}",
                errorId,
                request().getMethod(),
                request().getRequestURI(),
                e);
        return problem(500, "an unexpected error occurred; it was logged under error id " + errorId)
                .withErrorId(errorId)
                .toResponse();
    }
}
