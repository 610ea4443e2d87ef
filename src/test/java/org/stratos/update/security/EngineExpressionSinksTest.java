package org.stratos.update.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stratos.update.support.TestHttp.json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import org.camunda.bpm.engine.FilterService;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.filter.Filter;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.stratos.update.support.ManagerTest;
import org.stratos.update.support.TestHttp;
import org.stratos.update.support.TestUsers;

/**
 * The attack of issue #9: an operator stores a Tasklist filter whose query holds a method-invoking expression, and the
 * engine runs it when the filter is listed. Here every route by which an expression or a serialized object reaches the
 * engine from a request is tried as an operator; each is refused with an error and the expression's file never
 * appears.
 */
@ManagerTest
class EngineExpressionSinksTest {

    @LocalServerPort
    int port;

    @Autowired
    IdentityService identity;

    @Autowired
    FilterService filters;

    @Autowired
    TaskService tasks;

    @Autowired
    HistoryService history;

    @Autowired
    ProcessEngineConfiguration configuration;

    @TempDir
    Path dir;

    TestUsers users;
    TestUsers.Credentials operator;
    TestHttp asOperator;
    Path evidence;

    @BeforeEach
    void createOperator() {
        users = new TestUsers(identity);
        operator = users.create("operator", StratosGroups.OPERATORS);
        asOperator = TestHttp.anonymous(port).as(operator);
        evidence = dir.resolve("created-by-an-expression");
    }

    @AfterEach
    void deleteOperator() {
        users.delete(operator);
    }

    /** Creates {@link #evidence} when the engine evaluates it: {@code new java.io.File(path).createNewFile()}. */
    String fileCreatingExpression() {
        return "${\"\".getClass().forName(\"java.io.File\").getConstructor(\"\".getClass()).newInstance(\"" + evidence
                + "\").createNewFile()}";
    }

    String taskQueryWithTheExpression() {
        return "{\"assigneeExpression\": " + quoted(fileCreatingExpression()) + "}";
    }

    @Test
    void anOperatorCannotStoreAFilterWithAnExpression() {
        String name = "evil" + System.nanoTime();

        HttpResponse<String> created = asOperator.postJson(
                "/engine-rest/filter/create",
                "{\"resourceType\": \"Task\", \"name\": \"" + name + "\", \"query\": " + taskQueryWithTheExpression()
                        + "}");

        assertRefused(created);
        assertThat(filters.createFilterQuery().filterName(name).count()).isZero();
    }

    @Test
    void aFilterStoredBeforeExpressionsWereTurnedOffRunsNothingWhenListedOrRun() {
        Filter old = storeAFilterAsAnOlderVersionCould(
                tasks.createTaskQuery().taskAssigneeExpression(fileCreatingExpression()));
        try {
            String id = old.getId();

            assertRefused(asOperator.get("/engine-rest/filter/" + id + "/count"));
            assertRefused(asOperator.get("/engine-rest/filter/" + id + "/list"));
            assertRefused(asOperator.postJson("/engine-rest/filter/" + id + "/list", "{}"));
            // Tasklist lists the filters with their task counts
            assertRefused(asOperator.get("/engine-rest/filter?resourceType=Task&itemCount=true"));
        } finally {
            filters.deleteFilter(old.getId());
        }
    }

    @Test
    void anAdHocTaskQueryWithAnExpressionIsRefused() {
        String expression = URLEncoder.encode(fileCreatingExpression(), StandardCharsets.UTF_8);

        assertRefused(asOperator.get("/engine-rest/task?assigneeExpression=" + expression));
        assertRefused(asOperator.get("/engine-rest/task/count?assigneeExpression=" + expression));
        assertRefused(asOperator.postJson("/engine-rest/task", taskQueryWithTheExpression()));
    }

    @Test
    void anExpressionInTheQueryThatExtendsASharedFilterIsRefused() {
        Filter shared = filters.createTaskFilterQuery().filterName("All tasks").singleResult();

        assertRefused(
                asOperator.postJson("/engine-rest/filter/" + shared.getId() + "/list", taskQueryWithTheExpression()));
        assertRefused(
                asOperator.postJson("/engine-rest/filter/" + shared.getId() + "/count", taskQueryWithTheExpression()));
    }

    @Test
    void aJavaSerializedVariableIsRefused() throws IOException {
        String businessKey = "serialized" + System.nanoTime();
        String serialized = Base64.getEncoder().encodeToString(javaSerialized(new ArrayList<>()));

        HttpResponse<String> started = asOperator.postJson(
                "/engine-rest/process-definition/key/softwareUpdate/start", """
                        {"businessKey": "%s", "variables": {"payload": {"type": "Object", "value": "%s",
                          "valueInfo": {"objectTypeName": "java.util.ArrayList",
                                        "serializationDataFormat": "application/x-java-serialized-object"}}}}""".formatted(businessKey, serialized));

        assertThat(started.statusCode()).as(started.body()).isBetween(400, 599);
        assertThat(json(started).path("message").asText()).containsIgnoringCase("java serialization");
        assertThat(history.createHistoricProcessInstanceQuery()
                        .processInstanceBusinessKey(businessKey)
                        .count())
                .isZero();
    }

    @Test
    void anObjectVariableNamingAClassIsRefused() {
        String businessKey = "json" + System.nanoTime();

        HttpResponse<String> started = asOperator.postJson(
                "/engine-rest/process-definition/key/softwareUpdate/start", """
                        {"businessKey": "%s", "variables": {"payload": {"type": "Object", "value": "{}",
                          "valueInfo": {"objectTypeName": "java.io.File",
                                        "serializationDataFormat": "application/json"}}}}""".formatted(businessKey));

        assertThat(started.statusCode()).as(started.body()).isBetween(400, 599);
        assertThat(history.createHistoricProcessInstanceQuery()
                        .processInstanceBusinessKey(businessKey)
                        .count())
                .isZero();
    }

    /** Saves a filter the way a manager without this protection did: expressions in stored queries allowed. */
    private Filter storeAFilterAsAnOlderVersionCould(org.camunda.bpm.engine.query.Query<?, ?> query) {
        ProcessEngineConfigurationImpl engine = (ProcessEngineConfigurationImpl) configuration;
        boolean configured = engine.isEnableExpressionsInStoredQueries();
        engine.setEnableExpressionsInStoredQueries(true);
        try {
            return filters.saveFilter(
                    filters.newTaskFilter("old evil " + System.nanoTime()).setQuery(query));
        } finally {
            engine.setEnableExpressionsInStoredQueries(configured);
        }
    }

    private void assertRefused(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isBetween(400, 499);
        assertThat(response.body()).containsIgnoringCase("expressions are forbidden");
        assertThat(Files.exists(evidence))
                .as("the expression ran: " + evidence + " was created")
                .isFalse();
    }

    private static byte[] javaSerialized(Object value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        return bytes.toByteArray();
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
