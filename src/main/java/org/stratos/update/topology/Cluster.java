package org.stratos.update.topology;

/**
 * One cartridge subscription of an application. {@code container} clusters run an image ({@code version} is the
 * image id) and are updated by replacing members; the others are VMs whose agents apply a {@code version}.
 * {@code startupStage} orders clusters by the application's startup orders (0 first). {@code lockedBy} is the
 * update that holds the cluster, if any.
 */
public record Cluster(
        String id,
        String applicationId,
        String alias,
        String cartridgeType,
        RuntimeKind runtime,
        boolean container,
        String version,
        ClusterState state,
        int startupStage,
        int desiredMembers,
        String lockedBy) {

    /** Stratos's cluster id: {@code <applicationId>.<alias>.<cartridgeType>.domain}. */
    public static String idOf(String applicationId, String alias, String cartridgeType) {
        return applicationId + "." + alias + "." + cartridgeType + ".domain";
    }
}
