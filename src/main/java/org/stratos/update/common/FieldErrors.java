package org.stratos.update.common;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Collects broken rules while a request is checked, so the caller hears about all of them at once. However large
 * the request, it keeps only the first {@link #LISTED} and counts the rest, values it echoes are cut to
 * {@link #MAX_ECHO} characters, and lists in a message show {@link #SOME} values: an error answer stays small.
 */
public final class FieldErrors {

    /** Broken rules kept with their field and reason (every field of one update request fits); the rest counted. */
    public static final int LISTED = 20;

    static final int SOME = 10;
    static final int MAX_ECHO = 80;

    private final List<InvalidInputException.FieldError> errors = new ArrayList<>();
    private int count;

    public FieldErrors add(String field, String reason) {
        count++;
        if (errors.size() < LISTED) {
            errors.add(new InvalidInputException.FieldError(field, reason));
        }
        return this;
    }

    /** Adds the error when {@code value} is blank; answers whether it was present. */
    public boolean required(String field, String value) {
        if (value == null || value.isBlank()) {
            add(field, "is required");
            return false;
        }
        return true;
    }

    /** Adds the error when a present {@code value} does not match {@code pattern}. */
    public void matches(String field, String value, java.util.regex.Pattern pattern, String rule) {
        if (value != null && !pattern.matcher(value).matches()) {
            add(field, quote(value) + " " + rule);
        }
    }

    public boolean isEmpty() {
        return count == 0;
    }

    public void throwIfAny() {
        if (count > 0) {
            throw new InvalidInputException(errors, count);
        }
    }

    /** A value as an error message shows it: in quotes, at most {@link #MAX_ECHO} characters. */
    public static String quote(Object value) {
        String text = String.valueOf(value);
        return "'" + (text.length() <= MAX_ECHO ? text : text.substring(0, MAX_ECHO - 3) + "...") + "'";
    }

    /** A few values for a message, in their order: {@code a, b, c and 17 more}. */
    public static String some(Collection<String> values) {
        String listed = values.stream().limit(SOME).collect(Collectors.joining(", "));
        return values.size() <= SOME ? listed : listed + " and " + (values.size() - SOME) + " more";
    }
}
