package org.stratos.update.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stratos.update.messaging.event.instance.notifier.SoftwareUpdateEvent;

class ProcessUpdateCommandTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void exitZeroIsSuccessAndTheVersionReachesTheCommandAsAFact() throws Exception {
        Path runs = dir.resolve("runs");
        ProcessUpdateCommand command =
                new ProcessUpdateCommand(List.of(Scripts.puppet(dir, runs, 0).toString()), null);

        CommandResult result = command.run(update("2.0", true), TIMEOUT);

        assertThat(result.success()).isTrue();
        assertThat(result.exitCode()).isZero();
        assertThat(result.timedOut()).isFalse();
        assertThat(result.outputTail())
                .contains("Notice: applying version 2.0 (rollback true)")
                .contains("Error: something on stderr");
        assertThat(Scripts.lines(runs)).containsExactly("run u-1");
    }

    @Test
    void exitTwoMeansChangesWereAppliedAndIsSuccess() throws Exception {
        ProcessUpdateCommand command = new ProcessUpdateCommand(
                List.of(Scripts.puppet(dir, dir.resolve("runs"), 2).toString()), null);

        CommandResult result = command.run(update("2.0", false), TIMEOUT);

        assertThat(result.success()).isTrue();
        assertThat(result.exitCode()).isEqualTo(2);
    }

    @Test
    void otherExitCodesAreFailures() throws Exception {
        for (int exitCode : new int[] {1, 4, 6}) {
            ProcessUpdateCommand command = new ProcessUpdateCommand(
                    List.of(Scripts.puppet(dir, dir.resolve("runs"), exitCode).toString()), null);

            CommandResult result = command.run(update("2.0", false), TIMEOUT);

            assertThat(result.success()).as("exit %d", exitCode).isFalse();
            assertThat(result.exitCode()).isEqualTo(exitCode);
        }
    }

    @Test
    void theVersionIsNeverInterpretedByAShell() throws Exception {
        Path pwned = dir.resolve("pwned");
        Path script = Scripts.write(dir, "show.sh", "echo \"version=$STRATOS_VERSION extra=$EXTRA\"");
        ProcessUpdateCommand command = new ProcessUpdateCommand(List.of(script.toString()), Map.of("EXTRA", "x"));

        CommandResult result = command.run(update("2.0; touch " + pwned + " $(touch " + pwned + ")", false), TIMEOUT);

        assertThat(result.outputTail()).isEqualTo("version=2.0; touch " + pwned + " $(touch " + pwned + ") extra=x");
        assertThat(pwned).doesNotExist();
    }

    @Test
    void aCommandThatRunsTooLongIsKilledWithEverythingItStarted() throws Exception {
        Path pids = dir.resolve("pids");
        Path script = Scripts.write(
                dir,
                "hang.sh",
                "echo $$ > '" + pids + "'",
                "sleep 300 &",
                "echo $! >> '" + pids + "'",
                "echo started",
                "wait");
        ProcessUpdateCommand command = new ProcessUpdateCommand(List.of(script.toString()), null);

        CommandResult result = command.run(update("2.0", false), Duration.ofSeconds(1));

        assertThat(result.timedOut()).isTrue();
        assertThat(result.success()).isFalse();
        assertThat(result.exitCode()).isNull();
        assertThat(result.outputTail()).isEqualTo("started");
        List<Long> tree = Files.readAllLines(pids).stream().map(Long::parseLong).toList();
        assertThat(tree).hasSize(2);
        await().atMost(Duration.ofSeconds(5)).until(() -> tree.stream().noneMatch(ProcessUpdateCommandTest::running));
    }

    @Test
    void aCommandThatCannotStartSaysWhy() throws Exception {
        ProcessUpdateCommand command =
                new ProcessUpdateCommand(List.of(dir.resolve("missing").toString()), null);

        CommandResult result = command.run(update("2.0", false), TIMEOUT);

        assertThat(result.success()).isFalse();
        assertThat(result.exitCode()).isNull();
        assertThat(result.timedOut()).isFalse();
        assertThat(result.outputTail()).startsWith("cannot start " + dir.resolve("missing"));
    }

    @Test
    void theDefaultCommandIsPuppetWithDetailedExitCodes() {
        assertThat(new ProcessUpdateCommand(null, null)).hasToString("puppet agent --test --detailed-exitcodes");
    }

    /** Alive and not a zombie (this machine's first process does not reap orphans). */
    static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (Exception e) {
            return false;
        }
    }

    private static SoftwareUpdateEvent update(String version, boolean rollback) {
        return new SoftwareUpdateEvent(
                "u-1",
                "shop",
                "php",
                "shop.php.php.domain",
                "m-1",
                version,
                "1.0",
                rollback,
                null,
                null,
                null,
                null,
                false);
    }
}
