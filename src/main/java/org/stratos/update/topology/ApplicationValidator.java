package org.stratos.update.topology;

import static org.stratos.update.common.FieldErrors.quote;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.stratos.update.common.FieldErrors;
import org.stratos.update.common.InputRules;

/**
 * Checks a {@link NewApplication} field by field (every broken rule reported, each naming its field) and works out
 * the startup stage of each cluster from the startup orders: a cluster's stage is one more than the highest stage
 * of the clusters that must start before it. The work is linear in the number of clusters (every alias is looked
 * up in a hash set); the startup orders are short by rule (they must fit their column), so their walk is too.
 */
final class ApplicationValidator {

    static final Pattern ID = InputRules.ID;
    static final Pattern VERSION = InputRules.VERSION;
    static final Pattern IMAGE = InputRules.IMAGE;
    static final int MAX_MEMBERS = 100_000;
    /** Sizes of the columns the application is stored in. */
    static final int MAX_NAME = 255;

    static final int MAX_IMAGE = 255;
    static final int MAX_STORED_ORDERS = 4000;
    private static final String CARTRIDGE_PREFIX = "cartridge.";
    private static final String ALIASES = "aliases";

    private ApplicationValidator() {}

    /** Checks the request; answers the startup stage per alias. Throws InvalidInputException listing every problem. */
    static Map<String, Integer> validate(NewApplication app) {
        FieldErrors errors = new FieldErrors();
        if (app == null) {
            errors.add("body", "an application is required").throwIfAny();
        }
        if (errors.required("applicationId", app.applicationId())) {
            errors.matches(
                    "applicationId",
                    app.applicationId(),
                    ID,
                    "must be 1-64 letters, digits, '-' or '_', starting with a letter or digit");
        }
        if (app.name() != null && app.name().length() > MAX_NAME) {
            errors.add("name", "is longer than " + MAX_NAME + " characters");
        }
        Set<String> aliases = new LinkedHashSet<>();
        if (app.clusters() == null || app.clusters().isEmpty()) {
            errors.add("clusters", "at least one cluster is required");
        } else {
            for (int i = 0; i < app.clusters().size(); i++) {
                checkCluster(app.clusters().get(i), "clusters[" + i + "]", aliases, errors);
            }
        }
        List<List<String>> chains = startupChains(app, aliases, errors);
        int stored = storedLength(chains);
        if (stored > MAX_STORED_ORDERS) {
            errors.add(
                    "dependencies.startupOrders",
                    "take " + stored + " characters as stored; at most " + MAX_STORED_ORDERS
                            + " fit (list each cluster once, in fewer or shorter chains)");
        }
        errors.throwIfAny();
        Map<String, Integer> stages = stages(aliases, chains, errors);
        errors.throwIfAny();
        return stages;
    }

    private static void checkCluster(
            NewApplication.NewCluster c, String path, Set<String> aliases, FieldErrors errors) {
        if (c == null) {
            errors.add(path, "must be an object");
            return;
        }
        if (errors.required(path + ".alias", c.alias())) {
            errors.matches(
                    path + ".alias",
                    c.alias(),
                    ID,
                    "must be 1-64 letters, digits, '-' or '_', starting with a letter or digit");
            if (!aliases.add(c.alias())) {
                errors.add(path + ".alias", quote(c.alias()) + " is used by another cluster of this application");
            }
        }
        if (errors.required(path + ".cartridgeType", c.cartridgeType())) {
            errors.matches(
                    path + ".cartridgeType",
                    c.cartridgeType(),
                    ID,
                    "must be 1-64 letters, digits, '-' or '_', starting with a letter or digit");
        }
        RuntimeKind runtime = null;
        if (errors.required(path + ".runtime", c.runtime())) {
            try {
                runtime = RuntimeKind.of(c.runtime());
            } catch (IllegalArgumentException e) {
                errors.add(path + ".runtime", quote(c.runtime()) + " is not one of puppet, kubernetes, simulated");
            }
        }
        boolean hasVersion = c.version() != null && !c.version().isBlank();
        boolean hasImage = c.imageId() != null && !c.imageId().isBlank();
        if (hasVersion == hasImage) {
            errors.add(path, "give exactly one of 'version' (VM cartridges) or 'imageId' (container cartridges)");
        }
        errors.matches(
                path + ".version",
                c.version(),
                VERSION,
                "is not a version: 1-128 letters, digits and . _ + ~ -, starting with a letter or digit");
        if (c.imageId() != null && c.imageId().length() > MAX_IMAGE) {
            errors.add(path + ".imageId", "is longer than " + MAX_IMAGE + " characters");
        } else {
            errors.matches(
                    path + ".imageId", c.imageId(), IMAGE, "is not a Docker image reference such as stratos/php:4.1.5");
        }
        if (runtime == RuntimeKind.KUBERNETES && !hasImage) {
            errors.add(path + ".imageId", "is required for the kubernetes runtime");
        }
        if (runtime == RuntimeKind.PUPPET && !hasVersion) {
            errors.add(path + ".version", "is required for the puppet runtime");
        }
        if (c.members() != null && (c.members() < 0 || c.members() > MAX_MEMBERS)) {
            errors.add(path + ".members", "must be between 0 and " + MAX_MEMBERS);
        }
    }

    private static List<List<String>> startupChains(NewApplication app, Set<String> aliases, FieldErrors errors) {
        List<List<String>> chains = new ArrayList<>();
        if (app.dependencies() == null || app.dependencies().startupOrders() == null) {
            return chains;
        }
        List<Object> orders = app.dependencies().startupOrders();
        for (int i = 0; i < orders.size(); i++) {
            String orderPath = "dependencies.startupOrders[" + i + "]";
            String path = orderPath;
            Object order = orders.get(i);
            if (order instanceof Map<?, ?> map && map.get(ALIASES) instanceof Collection<?> list) {
                map.keySet().stream()
                        .filter(key -> !ALIASES.equals(key))
                        .findFirst()
                        .ifPresent(key -> errors.add(
                                orderPath + "." + key, "is not a known field (a startup order has only 'aliases')"));
                order = new ArrayList<>(list);
                path += "." + ALIASES;
            }
            if (!(order instanceof List<?> refs)) {
                errors.add(
                        path,
                        "must be a list of component references such as [\"cartridge.mysql\", \"cartridge.php\"]");
                continue;
            }
            List<String> chain = new ArrayList<>();
            for (int j = 0; j < refs.size(); j++) {
                Object ref = refs.get(j);
                String refPath = path + "[" + j + "]";
                if (!(ref instanceof String s) || !s.startsWith(CARTRIDGE_PREFIX)) {
                    errors.add(refPath, quote(ref) + " is not a reference of the form cartridge.<alias>");
                    continue;
                }
                String alias = s.substring(CARTRIDGE_PREFIX.length());
                if (!aliases.contains(alias)) {
                    errors.add(refPath, quote(s) + " names no cluster of this application");
                    continue;
                }
                chain.add(alias);
            }
            chains.add(chain);
        }
        return chains;
    }

    private static Map<String, Integer> stages(Set<String> aliases, List<List<String>> chains, FieldErrors errors) {
        Map<String, Set<String>> before = new HashMap<>();
        aliases.forEach(a -> before.put(a, new HashSet<>()));
        for (List<String> chain : chains) {
            for (int k = 1; k < chain.size(); k++) {
                before.get(chain.get(k)).add(chain.get(k - 1));
            }
        }
        Map<String, Integer> stage = new HashMap<>();
        Deque<String> visiting = new ArrayDeque<>();
        for (String alias : aliases) {
            if (stageOf(alias, before, stage, visiting) < 0) {
                errors.add(
                        "dependencies.startupOrders",
                        "the startup orders form a cycle through [" + FieldErrors.some(visiting) + "]");
                return Map.of();
            }
        }
        return stage;
    }

    private static int stageOf(
            String alias, Map<String, Set<String>> before, Map<String, Integer> stage, Deque<String> visiting) {
        if (stage.containsKey(alias)) {
            return stage.get(alias);
        }
        if (visiting.contains(alias)) {
            visiting.addLast(alias);
            return -1;
        }
        visiting.addLast(alias);
        int s = 0;
        for (String b : before.get(alias)) {
            int sb = stageOf(b, before, stage, visiting);
            if (sb < 0) {
                return -1;
            }
            s = Math.max(s, sb + 1);
        }
        visiting.removeLast();
        stage.put(alias, s);
        return s;
    }

    /** The length of the chains as stored, {@code [["cartridge.a","cartridge.b"]]}: aliases need no escaping. */
    private static int storedLength(List<List<String>> chains) {
        int length = 2 + Math.max(chains.size() - 1, 0);
        for (List<String> chain : chains) {
            length += 2 + Math.max(chain.size() - 1, 0);
            for (String alias : chain) {
                length += CARTRIDGE_PREFIX.length() + alias.length() + 2;
            }
        }
        return length;
    }

    /** The chains in their stored form ({@code cartridge.<alias>} references). */
    static List<List<String>> chainsOf(NewApplication app) {
        List<List<String>> chains = new ArrayList<>();
        if (app.dependencies() == null || app.dependencies().startupOrders() == null) {
            return chains;
        }
        for (Object order : app.dependencies().startupOrders()) {
            if (order instanceof Map<?, ?> map) {
                order = map.get(ALIASES);
            }
            chains.add(((Collection<?>) order).stream().map(String::valueOf).toList());
        }
        return chains;
    }
}
