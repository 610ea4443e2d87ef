package org.stratos.update.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.stratos.update.common.NotFoundException;
import org.stratos.update.credentials.AgentCredentials;
import org.stratos.update.support.BrokerClient;
import org.stratos.update.support.PostgresDatabase;
import org.stratos.update.topology.MemberJoin;
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

    @Autowired
    PlatformTransactionManager transactionManager;

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

    @Test
    void aMemberInsertedByAnotherTransactionMeanwhileJoinsWithoutFailingTheReport() throws Exception {
        topology.register(new NewApplication(
                "pg-race",
                null,
                List.of(new NewApplication.NewCluster("php", "php", "puppet", "4.1.5", null, null)),
                null));
        String memberId = "pg-race.php.php.domain" + UUID.randomUUID();
        MemberJoin started = new MemberJoin("pg-race", "pg-race.php.php.domain", memberId, "4.1.5", null);
        MemberJoin activated = new MemberJoin("pg-race", "pg-race.php.php.domain", memberId, "4.1.5", null);
        TransactionTemplate tx = new TransactionTemplate(transactionManager);
        CountDownLatch inserted = new CountDownLatch(1);
        CountDownLatch commitFirst = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            // the first report's transaction inserts the member and holds its commit; the second finds no member,
            // inserts it too and waits on the first's key; when the first commits, the second's insert fails
            Future<?> first = threads.submit(() -> tx.executeWithoutResult(status -> {
                topology.join(started, false);
                inserted.countDown();
                await().atMost(Duration.ofSeconds(30)).until(() -> commitFirst.getCount() == 0);
            }));
            assertThat(inserted.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(memberRows(memberId)).isZero(); // not committed yet
            Future<?> second = threads.submit(() -> tx.executeWithoutResult(status -> topology.join(activated, true)));
            await().atMost(Duration.ofSeconds(15)).until(() -> lockWaits() > 0);
            commitFirst.countDown();
            first.get(30, TimeUnit.SECONDS);
            second.get(30, TimeUnit.SECONDS); // threw "current transaction is aborted" before the savepoint
        } finally {
            commitFirst.countDown();
            threads.shutdownNow();
        }
        assertThat(topology.member(memberId).state()).isEqualTo(MemberState.ACTIVE);
    }

    private int memberRows(String memberId) {
        return jdbc.sql("select count(*) from stratos_member where id = ?")
                .param(memberId)
                .query(Integer.class)
                .single();
    }

    /** Backends of this database waiting for a lock (the second insert waits on the first's key). */
    private int lockWaits() {
        return jdbc.sql("select count(*) from pg_stat_activity where datname = current_database()"
                        + " and wait_event_type = 'Lock'")
                .query(Integer.class)
                .single();
    }

    private boolean active(String memberId) {
        try {
            return topology.member(memberId).state() == MemberState.ACTIVE;
        } catch (NotFoundException notYet) {
            return false;
        }
    }
}
