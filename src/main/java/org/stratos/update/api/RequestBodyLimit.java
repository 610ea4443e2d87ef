package org.stratos.update.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.springframework.http.HttpHeaders;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;
import org.stratos.update.problem.Problem;

/**
 * Refuses request bodies larger than a limit with 413, without reading
 * them: a declared {@code Content-Length} over the limit is refused at once; a chunked body is read up to one byte
 * past the limit and refused there (a body within the limit is then handed on from memory). The connection is
 * closed after a refusal, so the rest of the body is never read. On {@code /api} the limit is
 * {@code stratos.api.max-body-size}, on Camunda's {@code /engine-rest} {@code stratos.engine-rest.max-body-size}.
 */
final class RequestBodyLimit extends OncePerRequestFilter {

    static final String PROPERTY = "stratos.api.max-body-size";
    static final String ENGINE_REST_PROPERTY = "stratos.engine-rest.max-body-size";

    private final long limit;
    private final String property;
    private final ObjectMapper json;

    RequestBodyLimit(DataSize limit, String property, ObjectMapper json) {
        this.limit = limit.toBytes();
        this.property = property;
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            refuse(request, response);
            return;
        }
        if (declared < 0 && request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null) {
            byte[] body = request.getInputStream().readNBytes((int) Math.min(limit + 1, Integer.MAX_VALUE));
            if (body.length > limit) {
                refuse(request, response);
                return;
            }
            request = new BufferedBody(request, body);
        }
        chain.doFilter(request, response);
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setStatus(413);
        response.setHeader(HttpHeaders.CONNECTION, "close");
        response.setContentType(Problem.MEDIA_TYPE);
        json.writeValue(
                response.getOutputStream(),
                Problem.of(
                        413,
                        "the request body is larger than the limit of " + limit + " bytes (" + property + ")",
                        request.getRequestURI()));
    }

    /** The request with its body already read into memory. */
    private static final class BufferedBody extends HttpServletRequestWrapper {

        private final byte[] body;

        BufferedBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            InputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() throws IOException {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return available() == 0;
                }

                @Override
                public int available() {
                    try {
                        return in.available();
                    } catch (IOException e) {
                        return 0;
                    }
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("the body is read already");
                }
            };
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
