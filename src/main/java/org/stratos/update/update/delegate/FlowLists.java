package org.stratos.update.update.delegate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Lists in process variables (the members of a batch, the batches or clusters to roll back) are JSON text in a String
 * variable, such as {@code ["shop.php.domain-1a2b","shop.php.domain-3c4d"]}: Cockpit shows it as it is, where a Java
 * list would be a serialized object nobody can read. A list longer than a String variable takes is the same JSON text
 * as bytes (see {@link #json}). The delegates write and read them here; a multi-instance
 * activity loops over one with {@code camunda:collection="${flowLists.of(batchMembers)}"}.
 */
@Component("flowLists")
public class FlowLists {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The elements of a list variable: strings and numbers as they were written. A Java list is read too, as flows
     * started before lists became JSON still hand them on to the current version of a called flow.
     */
    public List<Object> of(Object value) {
        if (value instanceof Collection<?> list) {
            return List.copyOf(list);
        }
        if (value instanceof byte[] bytes) {
            value = new String(bytes, StandardCharsets.UTF_8); // a long list (see json)
        }
        if (value instanceof String text) {
            try {
                return JSON.readValue(text, new TypeReference<List<Object>>() {});
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("not a JSON list: " + text, e);
            }
        }
        throw new IllegalStateException("not a list: " + value);
    }

    /**
     * The list as the JSON text a variable holds: a String variable up to {@value #MAX_STRING_CHARS} characters (what
     * the engine's text column takes on every supported database), else the same JSON text as a byte-array variable
     * (UTF-8), which has no such limit — a batch of 100 members with UUID names is about 6,000 characters, and a longer
     * String variable fails the step ("Value too long for column TEXT_"). Cockpit shows the short ones as text and
     * offers the long ones for download.
     */
    public static Object json(Collection<?> list) {
        String text;
        try {
            text = JSON.writeValueAsString(list);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a list of strings and numbers is always JSON", e);
        }
        return text.length() <= MAX_STRING_CHARS ? text : text.getBytes(StandardCharsets.UTF_8);
    }

    /** The engine keeps a String variable in a column of 4,000 characters (ACT_RU_VARIABLE.TEXT_ and its history). */
    static final int MAX_STRING_CHARS = 4000;

    /** A list variable of ids. */
    static List<String> strings(Object value) {
        return new FlowLists().of(value).stream().map(String::valueOf).toList();
    }
}
