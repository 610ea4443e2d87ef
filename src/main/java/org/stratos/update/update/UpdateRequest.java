package org.stratos.update.update;

import java.util.List;

/**
 * An update as requested ({@code POST /api/applications/{appId}/updates}, or the variables of a {@code softwareUpdate}
 * process started directly). Counts may be given as numbers or strings, percentages as strings ({@code "25%"}).
 *
 * @param clusters          aliases of the clusters to update (or use {@code cartridgeType})
 * @param cartridgeType     update every cluster of this cartridge type
 * @param version           the software version for VM clusters
 * @param imageId           the Docker image for container clusters
 * @param compatible        true: phased, batch after batch; false: the whole cluster at once
 * @param batchSize         members per batch: a count or a percentage of the cluster (default 25%)
 * @param maxFailures       failed members tolerated per cluster: a count or a percentage (default 0)
 * @param minHealthyPercent the share of the cluster that must stay Active (default 0)
 * @param healthTimeout     how long a member may take to become healthy (ISO-8601, default PT5M)
 * @param minHealthyTime    how long it must then stay healthy (default PT0S)
 * @param bakeTime          pause between batches (default PT0S)
 * @param updateTimeout     how long the update command on a member may run (default PT30M)
 * @param approval          none, afterFirstBatch or everyBatch (default none)
 * @param autoRollback      roll back what was changed when the update fails (default true)
 * @param surge             containers in a phased update: start the replacement before removing the old member
 *                          (default false; an all-at-once update ignores it and removes every old member first)
 * @param preflight         {@code noop}: before any member changes, every member to update on a VM runs the update in
 *                          Puppet's no-op mode, and the update stops when any of them fails; {@code none} (default)
 */
public record UpdateRequest(
        List<String> clusters,
        String cartridgeType,
        String version,
        String imageId,
        Boolean compatible,
        String batchSize,
        String maxFailures,
        Integer minHealthyPercent,
        String healthTimeout,
        String minHealthyTime,
        String bakeTime,
        String updateTimeout,
        String approval,
        Boolean autoRollback,
        Boolean surge,
        String preflight) {

    /** A request without a pre-flight. */
    public UpdateRequest(
            List<String> clusters,
            String cartridgeType,
            String version,
            String imageId,
            Boolean compatible,
            String batchSize,
            String maxFailures,
            Integer minHealthyPercent,
            String healthTimeout,
            String minHealthyTime,
            String bakeTime,
            String updateTimeout,
            String approval,
            Boolean autoRollback,
            Boolean surge) {
        this(
                clusters,
                cartridgeType,
                version,
                imageId,
                compatible,
                batchSize,
                maxFailures,
                minHealthyPercent,
                healthTimeout,
                minHealthyTime,
                bakeTime,
                updateTimeout,
                approval,
                autoRollback,
                surge,
                null);
    }
}
