package org.stratos.update.agent;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
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
 * {@code STRATOS_UPDATE_ID}, {@code STRATOS_ROLLBACK} and {@code STRATOS_PREVIOUS_VERSION} (the agent also writes
 * them to Puppet's fact file before the run, see {@link FactFile}). A no-op command runs with the no-op arguments
 * appended ({@code --noop}). Stdout and stderr are merged and only their tail is kept, Puppet's {@code Error:} lines
 * included ({@link OutputTail}). On time-out the whole process tree is stopped.
 */
public final class ProcessUpdateCommand implements UpdateCommand {

    /** Puppet's run, whose detailed exit codes are 0 (no changes), 2 (changes), 4, 6 (failures), 1 (run failed). */
    public static final List<String> PUPPET = List.of("puppet", "agent", "--test", "--detailed-exitcodes");
    /** Puppet's successful detailed exit codes. */
    public static final Set<Integer> PUPPET_SUCCESS = Set.of(0, 2);
    /** Added to the command for a no-op run (a pre-flight): Puppet's {@code --noop} simulates, changes nothing. */
    public static final List<String> PUPPET_NOOP = List.of("--noop");

    private static final Logger log = LoggerFactory.getLogger(ProcessUpdateCommand.class);
    private static final Duration KILL_GRACE = Duration.ofSeconds(10);
    // a daemon started by the command may inherit its output pipe and hold it open forever: do not wait for it
    private static final Duration OUTPUT_DRAIN = Duration.ofSeconds(2);

    private final List<String> argv;
    private final Map<String, String> extraEnv;
    private final Set<Integer> successExitCodes;
    private final List<String> noopArgs;

    /** @param argv the command, {@link #PUPPET} when null or empty; @param extraEnv added to the agent's environment */
    public ProcessUpdateCommand(List<String> argv, Map<String, String> extraEnv) {
        this(argv, extraEnv, PUPPET_SUCCESS);
    }

    public ProcessUpdateCommand(List<String> argv, Map<String, String> extraEnv, Set<Integer> successExitCodes) {
        this(argv, extraEnv, successExitCodes, PUPPET_NOOP);
    }

    /** @param noopArgs appended to {@code argv} for a no-op command */
    public ProcessUpdateCommand(
            List<String> argv, Map<String, String> extraEnv, Set<Integer> successExitCodes, List<String> noopArgs) {
        this.argv = argv == null || argv.isEmpty() ? PUPPET : List.copyOf(argv);
        this.extraEnv = extraEnv == null ? Map.of() : Map.copyOf(extraEnv);
        this.successExitCodes = Set.copyOf(successExitCodes);
        this.noopArgs = List.copyOf(noopArgs);
    }

    /** The command line of a run of {@code command}: with the no-op arguments when it is a no-op command. */
    List<String> argv(SoftwareUpdateEvent command) {
        if (!command.noop()) {
            return argv;
        }
        List<String> noop = new ArrayList<>(argv);
        noop.addAll(noopArgs);
        return noop;
    }

    @Override
    public CommandResult run(SoftwareUpdateEvent command, Duration timeout) throws InterruptedException {
        long started = System.nanoTime();
        List<String> line = argv(command);
        Process process;
        try {
            process = processBuilder(line, command).start();
        } catch (IOException e) {
            return CommandResult.notStarted(
                    "cannot start " + line.get(0) + ": " + e.getMessage(), millisSince(started));
        }
        log.info("Update {} to {}: started {} (pid {})", command.updateId(), command.version(), line, process.pid());
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

    private ProcessBuilder processBuilder(List<String> line, SoftwareUpdateEvent command) {
        ProcessBuilder builder = new ProcessBuilder(line)
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
