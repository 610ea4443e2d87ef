package org.stratos.update.problem;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * Spring Boot's error page ({@code /error}, where the container sends every error no servlet answered itself) as a
 * problem document, in place of Boot's own JSON or HTML: what a path outside {@code /api} answers when nothing is
 * there. The detail names the status only; exceptions stay in the log.
 */
@Controller
class ProblemErrorController implements ErrorController {

    private final ObjectMapper json;

    ProblemErrorController(ObjectMapper json) {
        this.json = json;
    }

    @RequestMapping("${server.error.path:/error}")
    void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer i ? i : HttpServletResponse.SC_INTERNAL_SERVER_ERROR;
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String path = uri == null ? request.getRequestURI() : uri.toString();
        String detail = switch (status) {
            case HttpServletResponse.SC_NOT_FOUND -> "there is nothing at " + path;
            case HttpServletResponse.SC_METHOD_NOT_ALLOWED ->
                "method " + request.getMethod() + " is not allowed on " + path;
            default -> status >= 500 ? "the request could not be completed" : Problem.reasonPhrase(status);
        };
        response.setStatus(status);
        response.setContentType(Problem.MEDIA_TYPE);
        json.writeValue(response.getOutputStream(), Problem.of(status, detail, path));
    }
}
