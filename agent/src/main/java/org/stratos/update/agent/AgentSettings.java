package org.stratos.update.agent;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How the agent behaves.
 *
 * @param initialVersion the software version the member runs before the agent has applied any (a version remembered
 *                       in the state directory wins, see {@link MemberAgent#version()})
 * @param commandTimeout the update command is killed after this long
 * @param healthTimeout  the health check must pass within this long after the command (a command's own
 *                       {@code healthTimeout} wins)
 * @param minHealthyTime and then keep passing for this long (a command's own {@code minHealthyTime} wins)
 * @param healthInterval pause between two health checks
 * @param stateDirectory where handled updates and the current version are remembered across restarts; null keeps
 *                       them in memory only
 * @param puppet         Puppet's files around a run: the fact file written before it, the locks obeyed, the summary
 *                       read after it; {@link PuppetFiles#NONE} for none of them
 * @param lockWaitInterval how often to look again while another Puppet run holds the run lock
 */
public record AgentSettings(
        String initialVersion,
        Duration commandTimeout,
        Duration healthTimeout,
        Duration minHealthyTime,
        Duration healthInterval,
        Path stateDirectory,
        PuppetFiles puppet,
        Duration lockWaitInterval) {

    static final Duration DEFAULT_LOCK_WAIT_INTERVAL = Duration.ofSeconds(5);

    public AgentSettings {
        Objects.requireNonNull(initialVersion, "initialVersion");
        requirePositive(commandTimeout, "commandTimeout");
        requireNotNegative(healthTimeout, "healthTimeout");
        requireNotNegative(minHealthyTime, "minHealthyTime");
        requirePositive(healthInterval, "healthInterval");
        Objects.requireNonNull(puppet, "puppet");
        requirePositive(lockWaitInterval, "lockWaitInterval");
    }

    /** Without Puppet's files (a simulated or scripted command). */
    public AgentSettings(
            String initialVersion,
            Duration commandTimeout,
            Duration healthTimeout,
            Duration minHealthyTime,
            Duration healthInterval,
            Path stateDirectory) {
        this(
                initialVersion,
                commandTimeout,
                healthTimeout,
                minHealthyTime,
                healthInterval,
                stateDirectory,
                PuppetFiles.NONE,
                DEFAULT_LOCK_WAIT_INTERVAL);
    }

    /** 30 min for the command, 5 min for the health check to pass, no minimum healthy time, checks every second. */
    public static AgentSettings defaults(String initialVersion) {
        return new AgentSettings(
                initialVersion,
                Duration.ofMinutes(30),
                Duration.ofMinutes(5),
                Duration.ZERO,
                Duration.ofSeconds(1),
                null);
    }

    public AgentSettings withStateDirectory(Path directory) {
        return new AgentSettings(
                initialVersion,
                commandTimeout,
                healthTimeout,
                minHealthyTime,
                healthInterval,
                directory,
                puppet,
                lockWaitInterval);
    }

    public AgentSettings withPuppet(PuppetFiles files, Duration lockWait) {
        return new AgentSettings(
                initialVersion,
                commandTimeout,
                healthTimeout,
                minHealthyTime,
                healthInterval,
                stateDirectory,
                files,
                lockWait);
    }

    private static void requirePositive(Duration value, String name) {
        requireNotNegative(value, name);
        if (value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }

    private static void requireNotNegative(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative: " + value);
        }
    }
}
