package org.stratos.update.agent;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent as a program: {@code java -jar stratos-update-agent-<version>-standalone.jar [--key=value...]}. Exit code 2
 * for a configuration error (one line on stderr naming the key), 1 when it cannot start, otherwise it runs until
 * stopped (SIGTERM: a running update is stopped, the connection closed). See {@code docs/agent.md}.
 */
public final class AgentMain {

    static final String LOGBACK_CONFIG = "logback.configurationFile";

    private AgentMain() {}

    public static void main(String[] args) {
        // before the first logger exists, or logback configures itself from whatever it finds
        if (System.getProperty(LOGBACK_CONFIG) == null) {
            System.setProperty(LOGBACK_CONFIG, "agent-logback.xml");
        }
        int exitCode = run(args, System.getenv(), System.err);
        if (exitCode != 0) {
            System.exit(exitCode);
        }
    }

    /** Returns at once on an error; otherwise only after a shutdown began. */
    static int run(String[] args, Map<String, String> env, PrintStream err) {
        StandaloneAgent agent;
        try {
            agent = StandaloneAgent.start(AgentConfig.load(args, env));
        } catch (ConfigException | IllegalArgumentException e) {
            err.println("stratos-agent: " + e.getMessage());
            return 2;
        } catch (AgentException e) {
            err.println("stratos-agent: " + e.getMessage());
            return 1;
        }
        Logger log = LoggerFactory.getLogger(AgentMain.class);
        agent.member()
                .activation()
                .thenRun(() -> log.info(
                        "InstanceActivatedEvent published, {} ms after JVM start",
                        sinceJvmStart().toMillis()));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            log.info("Stopping");
                            agent.close();
                            stopped.countDown();
                        },
                        "stratos-agent-stop"));
        awaitUninterruptibly(stopped);
        return 0;
    }

    /**
     * Time since the process started, from /proc: {@code ProcessHandle}'s start instant is only accurate to the
     * second (it adds the boot time, which Linux gives in whole seconds), and the management beans cost start-up
     * time of their own. Linux reports the start in clock ticks of 1/100 s.
     */
    static Duration sinceJvmStart() {
        long now = System.currentTimeMillis();
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long startTicks = Long.parseLong(fields[19]); // field 22 of proc(5); fields[0] is field 3
            double uptimeSeconds =
                    Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
            return Duration.ofMillis(Math.round(uptimeSeconds * 1000) - startTicks * 10);
        } catch (IOException | RuntimeException e) {
            return Duration.ofMillis(now - ManagementFactory.getRuntimeMXBean().getStartTime());
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
