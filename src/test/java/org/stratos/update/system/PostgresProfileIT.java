package org.stratos.update.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.activemq.broker.BrokerService;
import org.camunda.bpm.engine.ProcessEngine;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.stratos.update.common.NotFoundException;
import org.stratos.update.credentials.AgentCredentials;
import org.stratos.update.support.BrokerClient;
import org.stratos.update.support.PostgresDatabase;
import org.stratos.update.topology.MemberState;
import org.stratos.update.topology.NewApplication;
import org.stratos.update.topology.TopologyService;

/** The {@code postgres} profile against the PostgreSQL server on this machine, in a database made for this test. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("postgres")
@TestPropertySource(
        locations = "classpath:stratos-test.properties",
        properties = {
            "camunda.bpm.admin-user.password=pg-admin-password-for-tests",
            "spring.datasource.username=" + "postgres"
        })
class PostgresProfileIT {

    static final PostgresDatabase DATABASE = PostgresDatabase.create("stratos_it");

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", DATABASE::url);
    }

    @Autowired
    TopologyService topology;

    @Autowired
    ProcessEngine engine;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    BrokerService broker;

    @Autowired
    AgentCredentials credentials;

    @Test
    void runsOnPostgresqlWithTheEngineAndTheProjectsTablesMigrated() {
        assertThat(jdbc.sql("select current_database()").query(String.class).single())
                .startsWith("stratos_it_");
        assertThat(jdbc.sql("select count(*) from stratos_schema_history where success")
                        .query(Integer.class)
                        .single())
                .isPositive();
        assertThat(engine.getIdentityService().createUserQuery().userId("admin").count())
                .isOne();
        assertThat(engine.getManagementService().getTableCount()).containsKey("ACT_RU_EXECUTION");
    }

    @Test
    void membersJoinThroughTheBrokerAndArePersistedInPostgresql() {
        topology.register(new NewApplication(
                "pg-shop",
                null,
                List.of(new NewApplication.NewCluster("php", "php", "puppet", "4.1.5", null, null)),
                null));
        String memberId = "pg-shop.php.php.domain" + UUID.randomUUID();

        try (BrokerClient agent = BrokerClient.agent(broker, credentials, "pg-shop.php.php.domain", memberId)) {
            agent.send("instance.status.InstanceActivatedEvent", """
                    {"applicationId":"pg-shop","serviceName":"php","clusterId":"pg-shop.php.php.domain",
                     "memberId":"%s","version":"4.1.5"}""".formatted(memberId));
            await().atMost(Duration.ofSeconds(15)).until(() -> active(memberId));
        }

        assertThat(jdbc.sql("select state from stratos_member where id = ?")
                        .param(memberId)
                        .query(String.class)
                        .single())
                .isEqualTo("ACTIVE");
    }

    private boolean active(String memberId) {
        try {
            return topology.member(memberId).state() == MemberState.ACTIVE;
        } catch (NotFoundException notYet) {
            return false;
        }
    }
}
