package org.stratos.update.common;

import java.util.List;

/**
 * Input that breaks rules: each listed {@link FieldError} names the field (JSON path style) and the reason;
 * {@link #count()} says how many rules were broken in all, listed or not.
 */
public class InvalidInputException extends RuntimeException {

    private final List<FieldError> errors;
    private final int count;

    public InvalidInputException(List<FieldError> errors, int count) {
        super(summary(errors, count));
        this.errors = List.copyOf(errors);
        this.count = Math.max(count, errors.size());
    }

    public InvalidInputException(List<FieldError> errors) {
        this(errors, errors.size());
    }

    public InvalidInputException(String field, String reason) {
        this(List.of(new FieldError(field, reason)));
    }

    /** The broken rules listed (at most {@link FieldErrors#LISTED} when collected by {@link FieldErrors}). */
    public List<FieldError> errors() {
        return errors;
    }

    /** How many rules were broken, listed or not. */
    public int count() {
        return count;
    }

    private static String summary(List<FieldError> errors, int count) {
        if (errors.isEmpty()) {
            return "invalid input";
        }
        FieldError first = errors.get(0);
        int more = Math.max(count, errors.size()) - 1;
        return first.field() + ": " + first.reason() + (more > 0 ? " (and " + more + " more)" : "");
    }

    /** One broken rule: {@code field} is a path such as {@code clusters[1].alias}. */
    public record FieldError(String field, String reason) {}
}
