package org.stratos.update.agent;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stratos.update.messaging.event.instance.notifier.SoftwareUpdateEvent;

/**
 * Runs the update as a child process, without a shell (the version comes from the network and must never be
 * interpreted by one). The version reaches the command as environment variables: {@code FACTER_stratos_version}
 * becomes the Puppet fact {@code $stratos_version}, {@code STRATOS_VERSION} is for anything else; also
 * {@code STRATOS_UPDATE_ID}, {@code STRATOS_ROLLBACK} and {@code STRATOS_PREVIOUS_VERSION}. Stdout and stderr are
 * merged and only their tail is kept. On time-out the whole process tree is stopped.
 */
public final class ProcessUpdateCommand implements UpdateCommand {

    /** Puppet's run, whose detailed exit codes are 0 (no changes), 2 (changes), 4, 6 (failures), 1 (run failed). */
    public static final List<String> PUPPET = List.of("puppet", "agent", "--test", "--detailed-exitcodes");
    /** Puppet's successful detailed exit codes. */
    public static final Set<Integer> PUPPET_SUCCESS = Set.of(0, 2);

    private static final Logger log = LoggerFactory.getLogger(ProcessUpdateCommand.class);
    private static final Duration KILL_GRACE = Duration.ofSeconds(10);
    // a daemon started by the command may inherit its output pipe and hold it open forever: do not wait for it
    private static final Duration OUTPUT_DRAIN = Duration.ofSeconds(2);

    private final List<String> argv;
    private final Map<String, String> extraEnv;
    private final Set<Integer> successExitCodes;

    /** @param argv the command, {@link #PUPPET} when null or empty; @param extraEnv added to the agent's environment */
    public ProcessUpdateCommand(List<String> argv, Map<String, String> extraEnv) {
        this(argv, extraEnv, PUPPET_SUCCESS);
    }

    public ProcessUpdateCommand(List<String> argv, Map<String, String> extraEnv, Set<Integer> successExitCodes) {
        this.argv = argv == null || argv.isEmpty() ? PUPPET : List.copyOf(argv);
        this.extraEnv = extraEnv == null ? Map.of() : Map.copyOf(extraEnv);
        this.successExitCodes = Set.copyOf(successExitCodes);
    }

    @Override
    public CommandResult run(SoftwareUpdateEvent command, Duration timeout) throws InterruptedException {
        long started = System.nanoTime();
        Process process;
        try {
            process = processBuilder(command).start();
        } catch (IOException e) {
            return CommandResult.notStarted("cannot start " + argv.get(0) + ": " + e.getMessage(), millisSince(started));
        }
        log.info("Update {} to {}: started {} (pid {})", command.updateId(), command.version(), argv, process.pid());
        OutputTail tail = new OutputTail();
        Thread reader = new Thread(() -> drain(process, tail), "update-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("Update {}: {} still running after {}, stopping it", command.updateId(), argv.get(0), timeout);
                ProcessTree.kill(process, KILL_GRACE);
                reader.join(OUTPUT_DRAIN.toMillis());
                return CommandResult.timedOut(tail.toString(), millisSince(started));
            }
        } catch (InterruptedException e) {
            ProcessTree.kill(process, KILL_GRACE);
            throw e;
        }
        reader.join(OUTPUT_DRAIN.toMillis());
        int exit = process.exitValue();
        return CommandResult.exited(exit, successExitCodes.contains(exit), tail.toString(), millisSince(started));
    }

    @Override
    public String toString() {
        return String.join(" ", argv);
    }

    private ProcessBuilder processBuilder(SoftwareUpdateEvent command) {
        ProcessBuilder builder = new ProcessBuilder(argv)
                .redirectInput(ProcessBuilder.Redirect.from(ProcessTree.NULL_FILE))
                .redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.putAll(extraEnv);
        env.put("FACTER_stratos_version", command.version());
        env.put("STRATOS_VERSION", command.version());
        env.put("STRATOS_UPDATE_ID", command.updateId());
        env.put("STRATOS_ROLLBACK", Boolean.toString(command.rollback()));
        if (command.previousVersion() != null) {
            env.put("STRATOS_PREVIOUS_VERSION", command.previousVersion());
        } else {
            env.remove("STRATOS_PREVIOUS_VERSION");
        }
        return builder;
    }

    private static void drain(Process process, OutputTail tail) {
        try {
            tail.drain(process.getInputStream());
        } catch (IOException e) {
            log.debug("Output of pid {} ended: {}", process.pid(), e.getMessage());
        }
    }

    private static long millisSince(long nanoTime) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanoTime);
    }
}
