package org.stratos.update.support;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One member of a {@link PuppetFleet}: its agent process and its Puppet, all under {@link #home()}:
 * {@code app/} (what the module manages), {@code puppet/{var,conf,log,run,public}} (Puppet's directories; the fact
 * file is {@code puppet/var/facts.d/stratos.json}), {@code state/} (the agent's), {@code agent.properties} and
 * {@code agent.log}.
 */
public final class PuppetMember {

    private static final Duration STOP_GRACE = Duration.ofSeconds(15);

    private final Path home;
    private final String memberId;
    private final boolean sudo;
    private final Map<String, String> baseParameters;
    private final Map<String, String> updateParameters;
    private List<String> javaCommand;
    private Process process;

    PuppetMember(
            Path home,
            String memberId,
            boolean sudo,
            Map<String, String> baseParameters,
            Map<String, String> updateParameters) {
        this.home = home;
        this.memberId = memberId;
        this.sudo = sudo;
        this.baseParameters = Map.copyOf(baseParameters);
        this.updateParameters = Map.copyOf(updateParameters);
    }

    public String memberId() {
        return memberId;
    }

    public Path home() {
        return home;
    }

    /** What the module manages: {@code VERSION}, {@code config.ini}, {@code release.json}, {@code pages/}. */
    public Path appDir() {
        return home.resolve("app");
    }

    public Path vardir() {
        return home.resolve("puppet/var");
    }

    /** The external fact file the agent writes and this member's Puppet reads. */
    public Path factsFile() {
        return vardir().resolve("facts.d/stratos.json");
    }

    /** Puppet's last run summary of this member. */
    public Path summaryFile() {
        return home.resolve("puppet/public/last_run_summary.yaml");
    }

    public Path agentLog() {
        return home.resolve("agent.log");
    }

    /** The running agent process (null once stopped). */
    public Process process() {
        return process;
    }

    /** What {@code app/VERSION} says (the version Puppet last applied), or null when there is none. */
    public String installedVersion() {
        Path file = appDir().resolve("VERSION");
        return Files.exists(file) ? PuppetFleet.read(file).strip() : null;
    }

    /**
     * The command line of this member's Puppet run: {@code puppet apply --detailed-exitcodes} with the member's own
     * directories and {@code --execute "class { 'stratos_app': base_dir => '<home>/app', … }"} (no shell: the
     * agent runs it argument by argument), behind {@code sudo -n} when the fleet uses sudo.
     */
    public List<String> puppetApply() {
        return puppetApply(updateParameters, sudo);
    }

    /**
     * Runs Puppet once the way a scheduled run (cron, or the daemon) would: the member's command, with an environment
     * that has no {@code FACTER_} or {@code STRATOS_} variables, so it sees only what the fact file says.
     *
     * @return Puppet's detailed exit code
     */
    public int runPuppetAsScheduled(Duration timeout) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(puppetApply(updateParameters, false))
                .redirectErrorStream(true)
                .redirectOutput(home.resolve("scheduled-run.log").toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("FACTER_") || name.startsWith("STRATOS_"));
        return waitFor(builder.start(), timeout, "scheduled puppet run");
    }

    /** {@code puppet agent --disable "<reason>"} with this member's directories: Puppet's own disable lock. */
    public void disablePuppet(String reason) throws IOException, InterruptedException {
        puppetAgent("--disable", reason);
    }

    /** Whether Puppet is disabled ({@code puppet agent --disable}): its disable lock exists. */
    public boolean puppetDisabled() {
        return Files.exists(vardir().resolve("state/agent_disabled.lock"));
    }

    /** {@code puppet agent --enable}. */
    public void enablePuppet() throws IOException, InterruptedException {
        puppetAgent("--enable");
    }

    /**
     * Takes Puppet's run lock ({@code agent_catalog_run.lock}) the way a running {@code puppet agent} holds it: a
     * Ruby process that locks it through Puppet's own {@code Puppet::Util::Pidlock} and keeps it until
     * {@link RunLock#close()}.
     */
    public RunLock holdRunLock() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ruby", "-e", """
                require 'puppet'
                Puppet.initialize_settings(ARGV)
                require 'puppet/util/pidlock'
                lock = Puppet::Util::Pidlock.new(Puppet[:agent_catalog_run_lockfile])
                abort('puppet run lock is taken already') unless lock.lock
                $stdout.puts 'locked'
                $stdout.flush
                $stdin.read
                lock.unlock
                """, "--"));
        command.addAll(puppetDirectories());
        Path log = home.resolve("run-lock.log");
        Process holder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        PuppetFleet.awaitFile(log, "locked", Duration.ofSeconds(60), holder);
        return new RunLock(holder);
    }

    /** A held run lock; closing it releases the lock and ends the process that held it. */
    public static final class RunLock implements AutoCloseable {

        private final Process holder;

        private RunLock(Process holder) {
            this.holder = holder;
        }

        public long pid() {
            return holder.pid();
        }

        @Override
        public void close() throws IOException, InterruptedException {
            try (OutputStream stdin = holder.getOutputStream()) {
                stdin.flush(); // closing stdin ends $stdin.read: the holder unlocks and exits
            }
            if (!holder.waitFor(30, TimeUnit.SECONDS)) {
                holder.destroyForcibly();
            }
        }
    }

    /**
     * This member's Hiera data ({@code puppet/conf/data/member.yaml}), replacing what was there: keys are
     * {@code stratos_app::<parameter>}, values YAML ({@code "['1.0', '1.1']"}, {@code "300"}). Every later Puppet run of
     * the member reads it (Puppet's automatic parameter lookup), the agent's and a scheduled one; an empty map removes
     * it. A parameter the command gives ({@link PuppetFleet.Builder#moduleParameter}) wins over Hiera.
     */
    public void hieraData(Map<String, String> data) throws IOException {
        Path file = hieraDataFile();
        if (data.isEmpty()) {
            Files.deleteIfExists(file);
            return;
        }
        StringBuilder yaml = new StringBuilder("---\n");
        data.forEach((key, value) -> yaml.append(key).append(": ").append(value).append('\n'));
        Path written = file.resolveSibling(file.getFileName() + ".new");
        Files.writeString(written, yaml);
        Files.move(written, file, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Kills the agent process at once (SIGKILL, as {@code kill -9}): no goodbye, no report of a run under way. */
    public void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Whether the agent process runs. */
    public boolean running() {
        return process != null && process.isAlive();
    }

    /** Waits for this agent's {@code InstanceActivatedEvent} (the agent logs it). */
    public void awaitActivated(Duration timeout) {
        PuppetFleet.awaitFile(agentLog(), "InstanceActivatedEvent published", timeout, process);
    }

    /** Stops the agent (SIGTERM, as systemd does, then SIGKILL after 15 s) and starts it again with the same files. */
    public void restart() throws IOException {
        stop();
        start();
    }

    /** Stops the agent process, if running: SIGTERM, and SIGKILL after 15 s. */
    public void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    @Override
    public String toString() {
        return memberId + " (" + home + ")";
    }

    Process startProvisioning(String version) throws IOException {
        Files.createDirectories(factsFile().getParent());
        Files.createDirectories(hieraDataFile().getParent());
        Files.writeString(home.resolve("puppet/conf/hiera.yaml"), """
                ---
                # this member's own Hiera data (PuppetMember#hieraData): class parameters of stratos_app
                version: 5
                defaults:
                  datadir: data
                  data_hash: yaml_data
                hierarchy:
                  - name: "this member"
                    path: "member.yaml"
                """);
        Files.writeString(factsFile(), "{\"stratos_version\": \"" + version + "\", \"stratos_rollback\": false}\n");
        return new ProcessBuilder(puppetApply(baseParameters, false))
                .redirectErrorStream(true)
                .redirectOutput(home.resolve("provision.log").toFile())
                .start();
    }

    void finishProvisioning(Process puppet, Duration timeout) throws IOException, InterruptedException {
        int exit = waitFor(puppet, timeout, "provisioning puppet run");
        if (exit != 0 && exit != 2) {
            throw new IOException("provisioning " + memberId + " failed, puppet exited with " + exit + ":\n"
                    + PuppetFleet.read(home.resolve("provision.log")));
        }
    }

    void configure(Map<String, String> fleetSettings, Path jar) throws IOException {
        Properties properties = new Properties();
        properties.setProperty("member.id", memberId);
        properties.setProperty("state.dir", home.resolve("state").toString());
        properties.setProperty("puppet.facts-file", factsFile().toString());
        properties.setProperty("puppet.lock-wait-interval", "PT0.2S");
        List<String> command = puppetApply();
        for (int i = 0; i < command.size(); i++) {
            properties.setProperty("update.command." + i, command.get(i));
        }
        fleetSettings.forEach(properties::setProperty);
        Path config = home.resolve("agent.properties");
        try (var out = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
            properties.store(out, "agent of " + memberId + " (PuppetFleet)");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        javaCommand = List.of(
                java,
                "-Xmx32m",
                "-Xmn4m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Xss256k",
                "-jar",
                jar.toAbsolutePath().toString(),
                "--config=" + config);
    }

    void start() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(javaCommand)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(agentLog().toFile()));
        // the agent's configuration is its file: nothing from the test's environment
        builder.environment().keySet().removeIf(name -> name.startsWith("STRATOS_AGENT_"));
        process = builder.start();
    }

    private List<String> puppetApply(Map<String, String> parameters, boolean withSudo) {
        List<String> command = new ArrayList<>();
        if (withSudo) {
            command.addAll(List.of("sudo", "-n"));
        }
        command.addAll(List.of("puppet", "apply", "--detailed-exitcodes"));
        command.addAll(puppetDirectories());
        command.add("--modulepath="
                + PuppetFleet.EXAMPLE_ENVIRONMENT.resolve("modules").toAbsolutePath());
        String classParameters = parameters.entrySet().stream()
                .map(p -> ", " + p.getKey() + " => " + p.getValue())
                .collect(Collectors.joining());
        command.add("--execute=class { 'stratos_app': base_dir => '" + appDir().toAbsolutePath() + "'" + classParameters
                + " }");
        return command;
    }

    private Path hieraDataFile() {
        return home.resolve("puppet/conf/data/member.yaml");
    }

    private List<String> puppetDirectories() {
        Path puppet = home.resolve("puppet").toAbsolutePath();
        return List.of(
                "--vardir=" + puppet.resolve("var"),
                "--confdir=" + puppet.resolve("conf"),
                "--logdir=" + puppet.resolve("log"),
                "--rundir=" + puppet.resolve("run"),
                "--publicdir=" + puppet.resolve("public"));
    }

    private void puppetAgent(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("puppet", "agent"));
        command.addAll(List.of(arguments));
        command.addAll(puppetDirectories());
        Path log = home.resolve("puppet-agent.log");
        int exit = waitFor(
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start(),
                Duration.ofMinutes(1),
                String.join(" ", command));
        if (exit != 0) {
            throw new IOException(String.join(" ", command) + " exited with " + exit + ": " + PuppetFleet.read(log));
        }
    }

    private static int waitFor(Process process, Duration timeout, String what) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new UncheckedIOException(new IOException(what + " did not end within " + timeout));
        }
        return process.exitValue();
    }
}
