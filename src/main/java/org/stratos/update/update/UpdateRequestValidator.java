package org.stratos.update.update;

import static org.stratos.update.common.FieldErrors.quote;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.stratos.update.common.FieldErrors;
import org.stratos.update.common.InputRules;
import org.stratos.update.topology.Cluster;

/**
 * Checks an {@link UpdateRequest} against the application's clusters, field by field (every broken rule reported,
 * each naming its field), and answers the clusters to update in startup order with the defaulted settings. Linear in
 * the request: each named alias is one hash look-up, and the known aliases are listed (a few) once per request.
 */
final class UpdateRequestValidator {

    /** Strict: no spaces, quotes, shell or path characters reach an agent or a pod spec (the rules of every door). */
    static final Pattern VERSION = InputRules.VERSION;

    static final Pattern IMAGE = InputRules.IMAGE;
    /** The size of the column a target version or image is stored in. */
    static final int MAX_IMAGE = 255;

    private static final Duration MAX_WAIT = Duration.ofDays(1);
    private static final Duration MAX_BAKE = Duration.ofDays(7);

    private UpdateRequestValidator() {}

    /** The checked request: clusters in startup order, target software, settings. */
    record Checked(List<Cluster> clusters, String version, String imageId, UpdateSettings settings) {

        /** The software a cluster is to run: the image for container clusters, the version for the others. */
        String targetOf(Cluster cluster) {
            return cluster.container() ? imageId : version;
        }
    }

    static Checked validate(UpdateRequest request, List<Cluster> applicationClusters) {
        FieldErrors errors = new FieldErrors();
        if (request == null) {
            errors.add("body", "an update request is required").throwIfAny();
        }
        List<Cluster> selected = selectClusters(request, applicationClusters, errors);
        boolean anyVm = selected.stream().anyMatch(c -> !c.container());
        boolean anyContainer = selected.stream().anyMatch(Cluster::container);
        if (anyVm && blank(request.version())) {
            errors.add("version", "is required to update the VM clusters " + aliases(selected, false));
        }
        if (anyContainer && blank(request.imageId())) {
            errors.add("imageId", "is required to update the container clusters " + aliases(selected, true));
        }
        errors.matches(
                "version",
                request.version(),
                VERSION,
                "is not a version: 1-128 letters, digits and . _ + ~ -, starting with a letter or digit");
        if (request.imageId() != null && request.imageId().length() > MAX_IMAGE) {
            errors.add("imageId", "is longer than " + MAX_IMAGE + " characters");
        } else {
            errors.matches(
                    "imageId", request.imageId(), IMAGE, "is not a Docker image reference such as stratos/php:4.1.6");
        }
        if (request.compatible() == null) {
            errors.add(
                    "compatible", "is required: true for a phased update, false to update the whole cluster at once");
        }
        Quantity batch = quantity(errors, "batchSize", request.batchSize(), UpdateSettings.DEFAULT_BATCH);
        if (batch != null && (batch.value() < 1 || batch.percent() && batch.value() > 100)) {
            errors.add(
                    "batchSize",
                    quote(request.batchSize()) + " must be a count of at least 1 or a percentage from 1% to 100%");
        }
        Quantity failures = quantity(errors, "maxFailures", request.maxFailures(), UpdateSettings.DEFAULT_MAX_FAILURES);
        if (failures != null && failures.percent() && failures.value() > 100) {
            errors.add(
                    "maxFailures", quote(request.maxFailures()) + " must be a count or a percentage from 0% to 100%");
        }
        int minHealthy = request.minHealthyPercent() == null
                ? UpdateSettings.DEFAULT_MIN_HEALTHY_PERCENT
                : request.minHealthyPercent();
        if (minHealthy < 0 || minHealthy > 100) {
            errors.add("minHealthyPercent", "must be between 0 and 100");
        }
        Duration healthTimeout = duration(
                errors,
                "healthTimeout",
                request.healthTimeout(),
                UpdateSettings.DEFAULT_HEALTH_TIMEOUT,
                false,
                MAX_WAIT);
        Duration minHealthyTime =
                duration(errors, "minHealthyTime", request.minHealthyTime(), Duration.ZERO, true, MAX_WAIT);
        Duration bakeTime = duration(errors, "bakeTime", request.bakeTime(), Duration.ZERO, true, MAX_BAKE);
        Duration updateTimeout = duration(
                errors,
                "updateTimeout",
                request.updateTimeout(),
                UpdateSettings.DEFAULT_UPDATE_TIMEOUT,
                false,
                MAX_WAIT);
        Approval approval = Approval.NONE;
        if (!blank(request.approval())) {
            try {
                approval = Approval.of(request.approval());
            } catch (IllegalArgumentException e) {
                errors.add("approval", quote(request.approval()) + " is not one of none, afterFirstBatch, everyBatch");
            }
        }
        if (approval != Approval.NONE && Boolean.FALSE.equals(request.compatible())) {
            errors.add("approval", "applies to phased updates only (compatible: true)");
        }
        boolean preflight = preflight(errors, request.preflight(), selected);
        errors.throwIfAny();
        UpdateSettings settings = new UpdateSettings(
                request.compatible(),
                batch,
                failures,
                minHealthy,
                healthTimeout,
                minHealthyTime,
                bakeTime,
                updateTimeout,
                approval,
                request.autoRollback() == null || request.autoRollback(),
                Boolean.TRUE.equals(request.surge()),
                preflight);
        return new Checked(
                selected,
                blank(request.version()) ? null : request.version(),
                blank(request.imageId()) ? null : request.imageId(),
                settings);
    }

    /** {@code noop}: a pre-flight no-op run of the VM members; {@code none} or nothing: none. */
    private static boolean preflight(FieldErrors errors, String text, List<Cluster> selected) {
        if (blank(text) || text.equals("none")) {
            return false;
        }
        if (!text.equals("noop")) {
            errors.add("preflight", "'" + text + "' is not one of none, noop");
            return false;
        }
        if (!selected.isEmpty() && selected.stream().allMatch(Cluster::container)) {
            errors.add(
                    "preflight",
                    "a no-op run applies to VM clusters (Puppet); " + aliases(selected, true)
                            + " are container clusters");
        }
        return true;
    }

    private static List<Cluster> selectClusters(UpdateRequest request, List<Cluster> all, FieldErrors errors) {
        boolean byAlias = request.clusters() != null && !request.clusters().isEmpty();
        boolean byType = !blank(request.cartridgeType());
        if (byAlias == byType) {
            errors.add(
                    "clusters", "name the clusters to update by 'clusters' (aliases) or by 'cartridgeType', not both");
            return List.of();
        }
        List<Cluster> selected = new ArrayList<>();
        if (byAlias) {
            Map<String, Cluster> byName = all.stream().collect(Collectors.toMap(Cluster::alias, Function.identity()));
            Set<String> named = new HashSet<>();
            String known = null;
            for (int i = 0; i < request.clusters().size(); i++) {
                String alias = request.clusters().get(i);
                Cluster c = byName.get(alias);
                if (c == null) {
                    known = known != null
                            ? known
                            : FieldErrors.some(byName.keySet().stream().sorted().toList());
                    errors.add(
                            "clusters[" + i + "]",
                            quote(alias) + " is not a cluster of this application (known: " + known + ")");
                } else if (!named.add(alias)) {
                    errors.add("clusters[" + i + "]", quote(alias) + " is named twice");
                } else {
                    selected.add(c);
                }
            }
        } else {
            all.stream()
                    .filter(c -> c.cartridgeType().equals(request.cartridgeType()))
                    .forEach(selected::add);
            if (selected.isEmpty()) {
                errors.add(
                        "cartridgeType",
                        "no cluster of this application has cartridge type " + quote(request.cartridgeType()));
            }
        }
        selected.sort(Comparator.comparingInt(Cluster::startupStage).thenComparing(Cluster::alias));
        return selected;
    }

    private static Quantity quantity(FieldErrors errors, String field, String text, Quantity fallback) {
        if (blank(text)) {
            return fallback;
        }
        Quantity q = Quantity.parse(text);
        if (q == null) {
            errors.add(field, quote(text) + " is not a count (3) or a percentage (25%)");
        }
        return q;
    }

    private static Duration duration(
            FieldErrors errors, String field, String text, Duration fallback, boolean zeroAllowed, Duration max) {
        if (blank(text)) {
            return fallback;
        }
        try {
            Duration d = Duration.parse(text.trim());
            if (d.isNegative() || (!zeroAllowed && d.isZero())) {
                errors.add(field, quote(text) + " must be " + (zeroAllowed ? "zero or more" : "more than zero"));
            } else if (d.compareTo(max) > 0) {
                errors.add(field, quote(text) + " is longer than the limit of " + max);
            }
            return d;
        } catch (DateTimeParseException e) {
            errors.add(field, quote(text) + " is not an ISO-8601 duration such as PT5M or PT30S");
            return fallback;
        }
    }

    private static String aliases(List<Cluster> clusters, boolean container) {
        return "["
                + FieldErrors.some(clusters.stream()
                        .filter(c -> c.container() == container)
                        .map(Cluster::alias)
                        .toList())
                + "]";
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
