package org.stratos.update.problem;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.Writer;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

/**
 * Tomcat's error report for requests it refuses itself, before any application code sees them (an encoded slash
 * {@code %2F} in the path, a header past the size limit, a malformed request line), written as a problem document
 * instead of Tomcat's HTML page. Like Tomcat's own, it writes only when nothing else has answered, and says nothing
 * of the server or the fault beyond the status.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_INSTANCE = 200;

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        try {
            response.setContentType(Problem.MEDIA_TYPE);
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(JSON.writeValueAsString(Problem.of(status, detail(status), instance(request))));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the response is closed: nothing more to say
        }
    }

    private static String detail(int status) {
        return switch (status) {
            case HttpServletResponse.SC_BAD_REQUEST ->
                "the request was refused before it reached the application: "
                        + "its request line, a header or its path is malformed or too large (an encoded '/' (%2F) or '\\' "
                        + "(%5C) in the path, a header over the size limit, characters HTTP does not allow)";
            case HttpServletResponse.SC_NOT_FOUND -> "there is nothing at this path";
            case HttpServletResponse.SC_REQUEST_URI_TOO_LONG, 431 -> "the request line or its headers are too large";
            default -> status >= 500 ? "the request could not be completed" : Problem.reasonPhrase(status);
        };
    }

    private static String instance(Request request) {
        String uri = request.getRequestURI();
        if (uri == null || uri.isEmpty()) {
            return null;
        }
        return uri.length() <= MAX_INSTANCE ? uri : uri.substring(0, MAX_INSTANCE - 3) + "...";
    }
}
