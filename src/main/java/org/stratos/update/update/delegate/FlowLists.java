package org.stratos.update.update.delegate;

import java.util.Collection;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.stereotype.Component;

/**
 * Lists in process variables (the members of a batch, the batches or clusters to roll back) are JSON text in a String
 * variable, such as {@code ["shop.php.domain-1a2b","shop.php.domain-3c4d"]}: Cockpit shows it as it is, where a Java
 * list would be a serialized object nobody can read. The delegates write and read them here; a multi-instance
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
        if (value instanceof String text) {
            try {
                return JSON.readValue(text, new TypeReference<List<Object>>() { });
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("not a JSON list: " + text, e);
            }
        }
        throw new IllegalStateException("not a list: " + value);
    }

    /** The list as the JSON text a variable holds. */
    static String json(Collection<?> list) {
        try {
            return JSON.writeValueAsString(list);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a list of strings and numbers is always JSON", e);
        }
    }

    /** A list variable of ids. */
    static List<String> strings(Object value) {
        return new FlowLists().of(value).stream().map(String::valueOf).toList();
    }
}
