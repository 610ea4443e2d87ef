package org.stratos.update.api;

import org.stratos.update.common.InvalidInputException;

/** Query parameters that are flags: {@code true} or {@code false}, absent meaning false; anything else is a 400. */
final class QueryFlags {

    private QueryFlags() {}

    static boolean flag(String name, String text) {
        if (text == null || text.isBlank() || text.trim().equalsIgnoreCase("false")) {
            return false;
        }
        if (text.trim().equalsIgnoreCase("true")) {
            return true;
        }
        throw new InvalidInputException(name, "'" + text + "' is neither true nor false");
    }
}
