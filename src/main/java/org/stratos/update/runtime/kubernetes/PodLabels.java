package org.stratos.update.runtime.kubernetes;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How a pod says which member it is. Labels (selectable, at most 63 characters of {@code [A-Za-z0-9-_.]}):
 * {@code stratos.apache.org/application}, {@code stratos.apache.org/cluster}, and {@code stratos.apache.org/member},
 * the UUID part of the member id. Annotations (no limits) carry the full ids: {@code stratos.apache.org/cluster-id},
 * {@code stratos.apache.org/member-id}. An id that is not a valid label value is shortened to a prefix and a hash.
 */
final class PodLabels {

    static final String PREFIX = "stratos.apache.org/";
    static final String APPLICATION = PREFIX + "application";
    static final String CLUSTER = PREFIX + "cluster";
    static final String MEMBER = PREFIX + "member";
    static final String CLUSTER_ID = PREFIX + "cluster-id";
    static final String MEMBER_ID = PREFIX + "member-id";
    static final String UPDATE_ID = PREFIX + "update-id";
    /** the member id of the place in the update the pod was created to take (a replacement) */
    static final String PLACE = PREFIX + "replaces";

    static final String MAIN_CONTAINER = PREFIX + "main-container";

    private static final int MAX_LABEL = 63;
    private static final Pattern LABEL_VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?");

    private PodLabels() {}

    /** Which cluster and member a pod is, from its annotations or labels; null when it has no cluster label. */
    static PodMember identify(Pod pod) {
        ObjectMeta meta = pod.getMetadata();
        Map<String, String> labels = meta.getLabels() == null ? Map.of() : meta.getLabels();
        Map<String, String> notes = meta.getAnnotations() == null ? Map.of() : meta.getAnnotations();
        String clusterId = notes.getOrDefault(CLUSTER_ID, labels.get(CLUSTER));
        if (clusterId == null || clusterId.isBlank()) {
            return null;
        }
        String memberId = notes.get(MEMBER_ID);
        if (memberId == null || memberId.isBlank()) {
            // a pod made by hand (or by another tool) with only the cluster label: its uid makes the member id
            memberId = clusterId + labels.getOrDefault(MEMBER, meta.getUid());
        }
        return new PodMember(clusterId, memberId);
    }

    /** {@code id} as a label value: itself when it is one, else a prefix of it and a hash. */
    static String labelValue(String id) {
        if (id.length() <= MAX_LABEL && LABEL_VALUE.matcher(id).matches()) {
            return id;
        }
        String clean = id.replaceAll("[^-A-Za-z0-9_.]", "-");
        clean = clean.substring(0, Math.min(clean.length(), MAX_LABEL - 11)).replaceAll("^[^A-Za-z0-9]+", "");
        return clean + (clean.isEmpty() ? "" : "-") + hash(id, 10);
    }

    /** A DNS-1123 name: {@code prefix} and {@code id} in lower case, a hash added when anything was lost. */
    static String dnsName(String prefix, String id, int max) {
        String clean = (prefix + id)
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9-]+", "-")
                .replaceAll("^-+|-+$", "");
        if (clean.equals(prefix + id) && clean.length() <= max) {
            return clean;
        }
        String cut = clean.substring(0, Math.min(clean.length(), max - 9)).replaceAll("-+$", "");
        return cut + "-" + hash(id, 8);
    }

    private static String hash(String id, int length) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, length);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JRE", e);
        }
    }

    /** The cluster and member a pod belongs to. */
    record PodMember(String clusterId, String memberId) {}
}
