package org.stratos.update.problem;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.ws.rs.core.Response;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.stratos.update.common.InvalidInputException.FieldError;

/**
 * 400 for a body that is not JSON, or JSON of the wrong shape: {@code clusters[0].members: expected a number},
 * {@code aproval: is not a known field; did you mean 'approval'?}, {@code clusters[1].alias: is given twice}.
 * Jackson's own messages name Java types, so they are translated rather than passed on. Registered in place of the
 * mappers that Jersey's Jackson feature brings (see {@code ApiApplication}).
 */
public final class JsonInputMapper extends ProblemMapper<JsonProcessingException> {

    static final String BODY = "body";
    private static final String DUPLICATE = "Duplicate field";
    private static final String TRAILING = "Trailing token";
    private static final int MAX_PATH = 200;

    @Override
    public Response toResponse(JsonProcessingException e) {
        FieldError described = describe(e);
        FieldError error = new FieldError(cut(described.field()), described.reason());
        return problem(400, error.field() + ": " + error.reason())
                .withErrors(List.of(error), 1)
                .toResponse();
    }

    static FieldError describe(JsonProcessingException e) {
        String path = e instanceof JsonMappingException mapping ? path(mapping) : BODY;
        StreamReadException syntax = e instanceof StreamReadException read
                ? read
                : e.getCause() instanceof StreamReadException read ? read : null;
        if (syntax != null && String.valueOf(syntax.getOriginalMessage()).startsWith(DUPLICATE)) {
            return new FieldError(where(syntax).orElse(path), "is given twice; give each field once");
        }
        if (syntax != null) {
            JsonLocation at = syntax.getLocation();
            String line = at == null || at.getLineNr() < 0
                    ? ""
                    : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
            return new FieldError(path, "is not well-formed JSON" + line);
        }
        if (e instanceof UnrecognizedPropertyException unknown) {
            return new FieldError(path, "is not a known field" + suggestion(unknown));
        }
        if (String.valueOf(e.getOriginalMessage()).startsWith(TRAILING)) {
            return new FieldError(BODY, "has more after the JSON value; send one JSON value");
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return new FieldError(path, "expected " + JsonTypes.describe(mismatch.getTargetType()));
        }
        return new FieldError(path, "has a value that cannot be read");
    }

    /** A path as long as any real one, at most: an unknown key may be of any length. */
    static String cut(String path) {
        return path.length() <= MAX_PATH ? path : path.substring(0, MAX_PATH - 3) + "...";
    }

    /** The JSON path Jackson was at, {@code clusters[0].members}; {@code body} for the document itself. */
    static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? BODY : path.toString();
    }

    /** Where the parser stood, {@code clusters[1].alias}: for a duplicate key, the key given twice. */
    private static Optional<String> where(StreamReadException e) {
        JsonParser parser = e.getProcessor();
        if (parser == null) {
            return Optional.empty();
        }
        Deque<JsonStreamContext> fromRoot = new ArrayDeque<>();
        for (JsonStreamContext at = parser.getParsingContext(); at != null && !at.inRoot(); at = at.getParent()) {
            fromRoot.push(at);
        }
        StringBuilder path = new StringBuilder();
        for (JsonStreamContext at : fromRoot) {
            if (at.inArray()) {
                path.append('[').append(Math.max(at.getCurrentIndex(), 0)).append(']');
            } else if (at.getCurrentName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(at.getCurrentName());
            }
        }
        return path.isEmpty() ? Optional.empty() : Optional.of(path.toString());
    }

    /** {@code ; did you mean 'approval'?} for a near miss, else the fields there are. */
    private static String suggestion(UnrecognizedPropertyException e) {
        Collection<Object> known = e.getKnownPropertyIds();
        if (known == null || known.isEmpty()) {
            return "";
        }
        String given = e.getPropertyName() == null ? "" : e.getPropertyName();
        Optional<String> nearest = known.stream()
                .map(String::valueOf)
                .min(Comparator.comparingInt(k -> distance(given, k)))
                .filter(k -> distance(given, k) <= 2);
        return nearest.map(k -> "; did you mean '" + k + "'?")
                .orElseGet(() -> "; the fields here are "
                        + known.stream().map(String::valueOf).sorted().toList());
    }

    /** Edit distance, capped: names longer than any field are not compared letter by letter. */
    static int distance(String a, String b) {
        if (Math.abs(a.length() - b.length()) > 2 || a.length() > 64) {
            return Integer.MAX_VALUE;
        }
        int[] row = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            row[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int above = row[j];
                row[j] = Math.min(
                        Math.min(row[j] + 1, row[j - 1] + 1), diagonal + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.length()];
    }
}
