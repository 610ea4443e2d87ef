package org.stratos.update.problem;

import java.util.Arrays;
import java.util.Collection;
import java.util.stream.Collectors;

/** Names a Java target type the way a JSON author thinks of it: a number, a string, a list, an object. */
final class JsonTypes {

    private JsonTypes() {}

    static String describe(Class<?> type) {
        if (Number.class.isAssignableFrom(type) || isNumericPrimitive(type)) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (CharSequence.class.isAssignableFrom(type) || type == Character.class || type == char.class) {
            return "a string";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (type.isEnum()) {
            return "one of "
                    + Arrays.stream(type.getEnumConstants())
                            .map(Object::toString)
                            .collect(Collectors.joining(", "));
        }
        return "an object";
    }

    private static boolean isNumericPrimitive(Class<?> type) {
        return type.isPrimitive() && type != boolean.class && type != char.class && type != void.class;
    }
}
