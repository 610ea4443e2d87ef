package org.stratos.update.system;

import java.net.InetAddress;
import java.net.UnknownHostException;
import javax.sql.DataSource;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Gives this node's job executor a lock owner that stays the same from one life of the node to the next
 * ({@code stratos.node.id}; by default the host name, the HTTP port and the engine's name unless it is
 * {@code default}; with a random port, a fresh id at every start), and, once the engine is
 * built and before its job executor starts, releases the jobs that owner still holds: they were locked by the node's
 * previous life, which died running them ({@code kill -9}, a crash, a power cut). Without this, a restarted node waits
 * for its own old locks to expire ({@code camunda.bpm.job-execution.lock-time-in-millis}) before it goes on with them.
 *
 * <p>The id must differ between nodes that run at the same time: a node that starts under the id of a live one would
 * release jobs the live one is running, and the engine's optimistic locking would then let only one of the two
 * commit. The default cannot collide on one host (two nodes cannot listen on one port).
 */
@Component
class NodeJobLocks extends AbstractProcessEnginePlugin {

    private static final Logger log = LoggerFactory.getLogger(NodeJobLocks.class);

    private final String nodeId;

    NodeJobLocks(
            @Value("${stratos.node.id}") String configured,
            @Value("${server.port:8080}") String port,
            @Value("${camunda.bpm.process-engine-name:default}") String engineName) {
        this.nodeId = configured == null || configured.isBlank() ? defaultId(port, engineName) : configured.trim();
    }

    /** This node's lock owner. */
    String nodeId() {
        return nodeId;
    }

    @Override
    public void postInit(ProcessEngineConfigurationImpl configuration) {
        if (configuration.getJobExecutor() != null) {
            configuration.getJobExecutor().setLockOwner(nodeId);
        }
    }

    @Override
    public void postProcessEngineBuild(ProcessEngine engine) {
        ProcessEngineConfigurationImpl configuration =
                (ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration();
        if (configuration.getJobExecutor() != null
                && configuration.getJobExecutor().isActive()) {
            log.warn(
                    "The job executor of node {} runs already; jobs its previous life locked wait for their locks "
                            + "to expire",
                    nodeId);
            return;
        }
        int released = release(configuration.getDataSource(), configuration.getDatabaseTablePrefix(), nodeId);
        if (released > 0) {
            log.info("Node {}: released {} job(s) its previous life had locked; they run again now", nodeId, released);
        }
    }

    /** Unlocks the jobs {@code owner} holds (a new revision, so a late commit of the old holder would fail). */
    static int release(DataSource dataSource, String tablePrefix, String owner) {
        String prefix = tablePrefix == null ? "" : tablePrefix;
        return new JdbcTemplate(dataSource)
                .update(
                        "update " + prefix + "ACT_RU_JOB set LOCK_OWNER_ = null, "
                                + "LOCK_EXP_TIME_ = null, REV_ = REV_ + 1 where LOCK_OWNER_ = ?",
                        owner);
    }

    private static String defaultId(String port, String engineName) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = System.getenv().getOrDefault("HOSTNAME", "localhost");
        }
        // a random port (tests) names no node across restarts: a fresh id then, as the engine's own default
        String where = "0".equals(port.trim()) ? java.util.UUID.randomUUID().toString() : port.trim();
        return host + ":" + where + ("default".equals(engineName) ? "" : "/" + engineName);
    }
}
