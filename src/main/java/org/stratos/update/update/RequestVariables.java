package org.stratos.update.update;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Reads an {@link UpdateRequest} from process variables, for {@code softwareUpdate} started directly from
 * {@code /engine-rest} or the Modeler: the same field names as the API's JSON, with loose types (numbers or strings,
 * booleans or "true", {@code clusters} as a list or "php,web").
 */
final class RequestVariables {

    private RequestVariables() {}

    static UpdateRequest toRequest(Map<String, Object> v) {
        return new UpdateRequest(
                list(v.get("clusters")),
                string(v, "cartridgeType"),
                string(v, "version"),
                string(v, "imageId"),
                bool(v.get("compatible")),
                string(v, "batchSize"),
                string(v, "maxFailures"),
                integer(v.get("minHealthyPercent")),
                string(v, "healthTimeout"),
                string(v, "minHealthyTime"),
                string(v, "bakeTime"),
                string(v, "updateTimeout"),
                string(v, "approval"),
                bool(v.get("autoRollback")),
                bool(v.get("surge")),
                string(v, "preflight"));
    }

    private static List<String> list(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Collection<?> c) {
            return c.stream().map(String::valueOf).toList();
        }
        return Arrays.stream(value.toString().split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    private static String string(Map<String, Object> v, String name) {
        Object value = v.get(name);
        return value == null ? null : value.toString();
    }

    private static Boolean bool(Object value) {
        return value == null
                ? null
                : value instanceof Boolean b
                        ? b
                        : Boolean.valueOf(value.toString().trim());
    }

    private static Integer integer(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Number n) {
            return n.intValue();
        }
        try {
            return Integer.valueOf(value.toString().trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
