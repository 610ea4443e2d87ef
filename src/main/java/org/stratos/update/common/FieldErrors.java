package org.stratos.update.common;

import java.util.ArrayList;
import java.util.List;

/** Collects broken rules while a request is checked, so the caller hears about all of them at once. */
public final class FieldErrors {

    private final List<InvalidInputException.FieldError> errors = new ArrayList<>();

    public FieldErrors add(String field, String reason) {
        errors.add(new InvalidInputException.FieldError(field, reason));
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
            add(field, "'" + abbreviate(value) + "' " + rule);
        }
    }

    public boolean isEmpty() {
        return errors.isEmpty();
    }

    public void throwIfAny() {
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
    }

    private static String abbreviate(String value) {
        return value.length() <= 80 ? value : value.substring(0, 77) + "...";
    }
}
