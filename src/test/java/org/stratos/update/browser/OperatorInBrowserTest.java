package org.stratos.update.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.stratos.update.api.UpdateApiClient;
import org.stratos.update.security.StratosGroups;
import org.stratos.update.support.ManagerTest;
import org.stratos.update.support.TestHttp;
import org.stratos.update.support.TestUsers;

/**
 * An operator does every step of a phased update in the browser alone: Cockpit's dashboard lists the running update,
 * the plugin's tab shows its members live, the Tasklist form approves the next batch or stops the update (with
 * rollback), the tab pauses, resumes and aborts; a failed member shows its exit code, reason and output, and the
 * diagram counts it. Against the running manager with simulated members, in Debian's headless Chromium; the
 * screenshots of each step land in {@code target/screenshots} (docs/operating.md shows them).
 */
@ManagerTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperatorInBrowserTest {

    @LocalServerPort
    int port;

    @Autowired
    IdentityService identity;

    @Autowired
    RuntimeService runtime;

    @Autowired
    TaskService tasks;

    TestUsers users;
    TestUsers.Credentials operator;
    UpdateApiClient api;
    Browser browser;

    @BeforeAll
    void startTheBrowserAndLogIn() throws IOException {
        users = new TestUsers(identity);
        operator = users.create("operator", StratosGroups.OPERATORS);
        api = new UpdateApiClient(TestHttp.anonymous(port).as(operator));
        browser = Browser.start();
        browser.open(url("/camunda/app/cockpit/default/"));
        browser.find("input[ng-model='username']").sendKeys(operator.id());
        browser.find("input[ng-model='password']").sendKeys(operator.password());
        browser.screenshot("00-cockpit-login");
        browser.click("button[type='submit']");
        browser.find("section[data-running-updates]");
    }

    @AfterAll
    void closeTheBrowser() throws IOException {
        if (browser != null) {
            browser.close();
        }
        users.delete(operator);
    }

    @Test
    void anOperatorFollowsTheUpdateInCockpitAndApprovesTheNextBatchInTasklist() throws IOException {
        String id = api.started(api.simulatedApplication(4), """
                {"clusters": ["php"], "version": "2.0.0", "compatible": true, "batchSize": 2,
                 "approval": "afterFirstBatch"}""");
        api.awaitState(id, "WAITING_FOR_APPROVAL");

        // the dashboard lists it; its link opens the members' tab of the update's instance
        browser.open(url("/camunda/app/cockpit/default/#/dashboard"));
        browser.findWithText("section[data-running-updates] tr[data-update='" + id + "']", "WAITING_FOR_APPROVAL");
        browser.screenshot("01-dashboard-running-updates");
        browser.click("section[data-running-updates] tr[data-update='" + id + "'] a");
        browser.findWithText("[data-update='" + id + "'] .summary", "WAITING_FOR_APPROVAL");
        assertThat(memberRows("UPDATED")).isEqualTo(2);
        browser.findWithText("[data-counts='callActivity_updateCluster']", "✓ 2");
        browser.screenshot("02-cockpit-update-members-at-the-gate");
        String cockpit = browser.driver.getWindowHandle();

        // in Tasklist, in a second browser tab: the form shows the update and the next batch; approve
        browser.driver.switchTo().newWindow(WindowType.TAB);
        openTask(id);
        browser.findWithText("[data-approval-versions]", "1.0.0 → 2.0.0");
        browser.until(d -> d.findElements(By.cssSelector("[data-next-member]")).size() == 2);
        assertThat(browser.count("[data-approval-member]")).isEqualTo(2);
        decide("approve");
        browser.screenshot("03-tasklist-approval-form");
        complete();

        // back in Cockpit, without reloading: the next batch's rows appear and end updated
        browser.driver.switchTo().window(cockpit);
        browser.until(d -> memberRows("UPDATED") == 4);
        browser.findWithText("[data-update='" + id + "'] .summary", "COMPLETED");
        browser.screenshot("04-cockpit-next-batch-done");
        assertThat(api.view(id).path("clusters").get(0).path("approvedBatch").asInt())
                .isEqualTo(2);
    }

    @Test
    void anOperatorPausesResumesAndAbortsWithRollbackFromTheTab() throws IOException {
        String id = api.started(api.simulatedApplication(3), UpdateApiClient.gated("2.0.0"));
        api.awaitState(id, "WAITING_FOR_APPROVAL");
        openMembersTab(id);

        browser.click("button[data-action='pause']");
        browser.findWithText("[data-update='" + id + "'] .summary", "PAUSING");
        assertThat(api.view(id).path("requestedAction").asText()).isEqualTo("PAUSE");
        browser.screenshot("05-paused-from-the-tab");
        browser.click("button[data-action='resume']");
        browser.findWithText("[data-update='" + id + "'] .summary", "WAITING_FOR_APPROVAL");

        browser.click("button[data-action='abort']");
        browser.find("button[data-action='abort-rollback']");
        browser.screenshot("06-abort-choices");
        browser.click("button[data-action='abort-rollback']");
        browser.findWithText("[data-update='" + id + "'] .summary", "ROLLED_BACK");
        browser.until(d -> memberRows("ROLLED_BACK") == 1);
        browser.screenshot("07-aborted-and-rolled-back");
        assertThat(api.memberVersions(api.view(id).path("applicationId").asText()))
                .containsOnly("1.0.0");
    }

    @Test
    void aFailedMemberShowsItsReasonAndOutputAndTheOperatorStopsWithRollbackInTasklist() throws IOException {
        String app = api.simulatedApplication(3);
        String id = api.started(app, """
                {"clusters": ["php"], "version": "2.0.0-broken", "compatible": true, "batchSize": 1,
                 "maxFailures": 1, "approval": "afterFirstBatch"}""");
        api.awaitState(id, "WAITING_FOR_APPROVAL");
        openMembersTab(id);

        // the failed member: its state, exit code, reason, and its output on demand
        browser.until(d -> memberRows("FAILED") == 1);
        String failed = browser.find("tr[data-member]").getAttribute("data-member");
        assertThat(browser.find("tr[data-member] [data-exit-code]").getText()).isEqualTo("4");
        assertThat(browser.find("tr[data-member] [data-message]").getText()).isNotBlank();
        browser.click("button[data-output='" + failed + "']");
        browser.findWithText("tr[data-output-of='" + failed + "'] pre", "2.0.0-broken");
        browser.screenshot("08-failed-member-with-output");

        // the cluster flow's diagram counts it on the batch step
        String cluster = runtime.createProcessInstanceQuery()
                .processInstanceBusinessKey(id)
                .processDefinitionKey("phasedClusterUpdate")
                .singleResult()
                .getId();
        browser.open(url("/camunda/app/cockpit/default/#/process-instance/" + cluster + "/runtime"));
        browser.findWithText("[data-counts='callActivity_updateBatch']", "✗ 1");
        browser.screenshot("09-diagram-counts-on-the-batch-step");

        // Tasklist, in a second browser tab: stop the update and roll back what it changed
        openMembersTab(id);
        String cockpit = browser.driver.getWindowHandle();
        browser.driver.switchTo().newWindow(WindowType.TAB);
        openTask(id);
        browser.findWithText("[data-approval-member='" + failed + "']", "FAILED");
        decide("stopAndRollBack");
        browser.screenshot("10-tasklist-stop-and-roll-back");
        complete();

        // the update ends, so its instance leaves Cockpit's runtime views: the open tab shows how it ended
        browser.driver.switchTo().window(cockpit);
        browser.findWithText("[data-update='" + id + "'] .summary", "ROLLED_BACK");
        browser.until(d -> memberRows("ROLLED_BACK") == 1);
        browser.screenshot("11-stopped-and-rolled-back");
        assertThat(api.memberVersions(app)).containsOnly("1.0.0");
    }

    // ---- steps

    private void openMembersTab(String updateId) {
        String instance = runtime.createProcessInstanceQuery()
                .processInstanceBusinessKey(updateId)
                .processDefinitionKey("softwareUpdate")
                .singleResult()
                .getId();
        browser.open(url(
                "/camunda/app/cockpit/default/#/process-instance/" + instance + "/runtime?tab=stratos-update-members"));
        browser.find("[data-update='" + updateId + "']");
    }

    private void openTask(String updateId) {
        String task = tasks.createTaskQuery()
                .processInstanceBusinessKey(updateId)
                .singleResult()
                .getId();
        browser.open(url("/camunda/app/tasklist/default/#/?task=" + task));
        browser.clickText("a, button", "Claim");
        browser.find("[data-approval-update='" + updateId + "']");
    }

    private void decide(String decision) {
        browser.until(d -> {
            new Select(d.findElement(By.id("approvalDecision"))).selectByValue(decision);
            return true;
        });
    }

    private void complete() {
        browser.until(d -> {
            var button = browser.findWithText("button", "Complete");
            if (!button.isEnabled()) {
                return false;
            }
            button.click();
            return true;
        });
    }

    private long memberRows(String state) {
        return browser.driver
                .findElements(By.cssSelector("tr[data-member] [data-state='" + state + "']"))
                .size();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }
}
