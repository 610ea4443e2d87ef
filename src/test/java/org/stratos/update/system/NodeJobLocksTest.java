package org.stratos.update.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cfg.StandaloneInMemProcessEngineConfiguration;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The node's job lock owner: stable across lives of a node, and what a node that starts releases. Against a real
 * engine (in-memory H2, job executor off) with real jobs.
 */
class NodeJobLocksTest {

    ProcessEngine engine;

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void theLockOwnerIsTheConfiguredIdOrHostPortAndEngineAndFreshForARandomPort() {
        assertThat(new NodeJobLocks("node-7", "8080", "default").nodeId()).isEqualTo("node-7");
        assertThat(new NodeJobLocks("", "8080", "default").nodeId()).endsWith(":8080");
        assertThat(new NodeJobLocks(null, "8081", "nodeB").nodeId()).endsWith(":8081/nodeB");
        assertThat(new NodeJobLocks("", "0", "default").nodeId())
                .as("a random port names no node: never the same twice")
                .isNotEqualTo(new NodeJobLocks("", "0", "default").nodeId());
    }

    @Test
    void aStartingNodeReleasesTheJobsItsPreviousLifeLockedAndNoOtherNodes() {
        NodeJobLocks locks = new NodeJobLocks("node-a", "8080", "default");
        engine = engine(locks);
        ProcessEngineConfigurationImpl configuration =
                (ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration();
        assertThat(configuration.getJobExecutor().getLockOwner()).isEqualTo("node-a");
        engine.getRepositoryService()
                .createDeployment()
                .addModelInstance(
                        "async.bpmn",
                        Bpmn.createExecutableProcess("async")
                                .camundaHistoryTimeToLive(1)
                                .startEvent()
                                .serviceTask()
                                .camundaAsyncBefore()
                                .camundaExpression("${true}")
                                .endEvent()
                                .done())
                .deploy();
        for (int i = 0; i < 3; i++) {
            engine.getRuntimeService().startProcessInstanceByKey("async");
        }
        JdbcTemplate jdbc = new JdbcTemplate(configuration.getDataSource());
        List<String> ids = jdbc.queryForList("select ID_ from ACT_RU_JOB order by ID_", String.class);
        assertThat(ids).hasSize(3);
        Timestamp inFiveMinutes = Timestamp.from(Instant.now().plusSeconds(300));
        lock(jdbc, ids.get(0), "node-a", inFiveMinutes);
        lock(jdbc, ids.get(1), "node-a", inFiveMinutes);
        lock(jdbc, ids.get(2), "node-b", inFiveMinutes);

        // the node's next life: the engine is built again, its job executor not started yet
        locks.postProcessEngineBuild(engine);

        Map<String, Object> other =
                jdbc.queryForMap("select LOCK_OWNER_, REV_ from ACT_RU_JOB where ID_ = ?", ids.get(2));
        assertThat(other.get("LOCK_OWNER_")).isEqualTo("node-b");
        for (String id : ids.subList(0, 2)) {
            Map<String, Object> job =
                    jdbc.queryForMap("select LOCK_OWNER_, LOCK_EXP_TIME_, REV_ from ACT_RU_JOB " + "where ID_ = ?", id);
            assertThat(job.get("LOCK_OWNER_")).isNull();
            assertThat(job.get("LOCK_EXP_TIME_")).isNull();
            assertThat(((Number) job.get("REV_")).intValue())
                    .as("a new revision")
                    .isEqualTo(2);
        }
        // released jobs are due for the job executor again: its acquisition finds exactly those
        assertThat(engine.getManagementService().createJobQuery().executable().count())
                .isEqualTo(3);
        assertThat(acquirable(jdbc)).isEqualTo(2);
    }

    private static void lock(JdbcTemplate jdbc, String jobId, String owner, Timestamp until) {
        jdbc.update("update ACT_RU_JOB set LOCK_OWNER_ = ?, LOCK_EXP_TIME_ = ? where ID_ = ?", owner, until, jobId);
    }

    /** What the acquisition may take: unlocked, or locked past its expiry. */
    private static int acquirable(JdbcTemplate jdbc) {
        return jdbc.queryForObject(
                "select count(*) from ACT_RU_JOB where LOCK_OWNER_ is null or LOCK_EXP_TIME_ < ?",
                Integer.class,
                Timestamp.from(Instant.now()));
    }

    private static ProcessEngine engine(NodeJobLocks locks) {
        StandaloneInMemProcessEngineConfiguration configuration = new StandaloneInMemProcessEngineConfiguration();
        configuration.setProcessEngineName("node-job-locks-test");
        configuration.setJdbcUrl("jdbc:h2:mem:node-job-locks-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        configuration.setJobExecutorActivate(false);
        configuration.setProcessEnginePlugins(List.of(locks));
        return configuration.buildProcessEngine();
    }
}
