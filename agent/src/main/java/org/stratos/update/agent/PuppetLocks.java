package org.stratos.update.agent;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puppet's own rules about when not to run, read from its state directory. {@code puppet agent} obeys them itself, but
 * {@code puppet apply} ignores both, so the agent checks them before every run, whatever the command:
 * <ul>
 * <li>{@code agent_disabled.lock}, written by {@code puppet agent --disable "reason"}: an operator said "no Puppet
 * runs here"; JSON with the {@code disabled_message};</li>
 * <li>{@code agent_catalog_run.lock}, the run lock: the pid of the Puppet run that holds it. Held by Puppet's own
 * rule ({@code Puppet::Util::Pidlock}): the process is alive and is Puppet (its name ends in {@code puppet}, or it is
 * a {@code ruby} whose command line mentions {@code puppet}); otherwise the lock is stale and Puppet ignores it.</li>
 * </ul>
 */
final class PuppetLocks {

    private static final Logger log = LoggerFactory.getLogger(PuppetLocks.class);
    private static final Pattern PUPPET_NAME = Pattern.compile(".*puppet(-.*)?$");

    private final PuppetFiles files;

    PuppetLocks(PuppetFiles files) {
        this.files = files;
    }

    /** The operator's reason when Puppet is administratively disabled ("" when they gave none); null when enabled. */
    String disabledReason() {
        Path lock = files.disabledLock();
        if (lock == null || !Files.isRegularFile(lock)) {
            return null;
        }
        try {
            JsonNode message = Json.MAPPER.readTree(lock.toFile()).path("disabled_message");
            return message.isTextual() ? message.asText() : "";
        } catch (IOException e) {
            return ""; // disabled all the same: Puppet only looks at whether the file exists
        }
    }

    /** The pid of the Puppet process that holds the run lock; null when the lock is free (or stale). */
    Long runLockHolder() {
        Path lock = files.runLock();
        if (lock == null || !Files.isRegularFile(lock)) {
            return null;
        }
        try {
            long pid = Long.parseLong(
                    Files.readString(lock, StandardCharsets.US_ASCII).trim());
            return ProcessHandle.of(pid).filter(ProcessTree::running).isPresent() && isPuppet(pid) ? pid : null;
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    /**
     * Waits while another Puppet run holds the run lock, looking again every {@code interval}, at most as long as
     * {@code limits} allow; returns why it gave up, or null once the lock is free.
     */
    String awaitRunLock(RunLimits limits, Duration interval, String memberId) throws InterruptedException {
        Long holder = runLockHolder();
        if (holder != null) {
            log.info(
                    "Member {}: Puppet run {} holds the run lock {}, waiting {}",
                    memberId,
                    holder,
                    files.runLock(),
                    limits.lockWaitBound());
        }
        for (; holder != null; holder = runLockHolder()) {
            Duration pause = limits.lockPause(interval);
            if (pause.isZero()) {
                return "another Puppet run (pid " + holder + ") held the run lock " + files.runLock() + " "
                        + limits.lockWaitBound() + "; nothing ran";
            }
            TimeUnit.NANOSECONDS.sleep(pause.toNanos());
        }
        return null;
    }

    private static boolean isPuppet(long pid) throws IOException {
        Path proc = Path.of("/proc", Long.toString(pid));
        String name =
                Files.readString(proc.resolve("comm"), StandardCharsets.UTF_8).trim();
        String args = Files.readString(proc.resolve("cmdline"), StandardCharsets.UTF_8)
                .replace('\0', ' ');
        return PUPPET_NAME.matcher(name).matches() || (name.contains("ruby") && args.contains("puppet"));
    }
}
