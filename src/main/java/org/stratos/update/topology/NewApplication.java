package org.stratos.update.topology;

import java.util.List;

/**
 * An application to register, as posted to {@code POST /api/applications}.
 *
 * @param dependencies optional; {@code startupOrders} is a list of chains, each either a list of component
 *                     references ({@code ["cartridge.mysql", "cartridge.php"]}) or, as in Stratos 4.1,
 *                     an object {@code {"aliases": [...]}}
 */
public record NewApplication(String applicationId, String name, List<NewCluster> clusters, Dependencies dependencies) {

    /** One cluster: {@code version} for VMs, or {@code imageId} for container cartridges (exactly one of them). */
    public record NewCluster(
            String alias, String cartridgeType, String runtime, String version, String imageId, Integer members) {}

    public record Dependencies(List<Object> startupOrders) {}
}
