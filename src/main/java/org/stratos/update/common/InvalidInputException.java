package org.stratos.update.common;

import java.util.List;

/** Input that breaks a rule: each {@link FieldError} names the field (JSON path style) and the reason. */
public class InvalidInputException extends RuntimeException {

    private final List<FieldError> errors;

    public InvalidInputException(List<FieldError> errors) {
        super(summary(errors));
        this.errors = List.copyOf(errors);
    }

    public InvalidInputException(String field, String reason) {
        this(List.of(new FieldError(field, reason)));
    }

    public List<FieldError> errors() {
        return errors;
    }

    private static String summary(List<FieldError> errors) {
        if (errors.isEmpty()) {
            return "invalid input";
        }
        FieldError first = errors.get(0);
        String more = errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : "";
        return first.field() + ": " + first.reason() + more;
    }

    /** One broken rule: {@code field} is a path such as {@code clusters[1].alias}. */
    public record FieldError(String field, String reason) {
    }
}
