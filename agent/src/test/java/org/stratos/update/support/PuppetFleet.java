package org.stratos.update.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/**
 * Real member agents running real Puppet, for tests: N agent processes started from the agent jar, each the agent of
 * one member with Puppet directories of its own, applying the example module in {@code config/puppet} with
 * {@code puppet apply --detailed-exitcodes} (Debian's {@code puppet}, 7.23). Agents and Puppet talk to nothing else:
 * the broker is the caller's (an embedded one, {@code TestBroker}, or the manager's).
 *
 * <pre>{@code
 * try (PuppetFleet fleet = PuppetFleet.builder(tempDir, "tcp://127.0.0.1:61616")
 *         .application("shop", "php", "shop.php.php.domain")
 *         .members(3).version("1.0")
 *         .sudo(true)                                    // each run as `sudo -n puppet apply ...`
 *         .moduleParameter("pages", "30")                // class { 'stratos_app': pages => 30 } on every member
 *         .moduleParameters(i -> i == 2 ? Map.of("settle_seconds", "300") : Map.of())
 *         .agentSetting("broker.manager-user", "mgr")    // any key of docs/agent.md, for every member
 *         .agentSettings(i -> Map.of("broker.password", passwords.get(i)))   // and for one member
 *         .start()) {
 *     fleet.awaitActivated(Duration.ofSeconds(60));      // every agent announced itself
 *     PuppetMember member = fleet.member(0);
 *     member.memberId();                                 // "shop.php.php.domain-m0" unless memberIds(...) says otherwise
 *     member.installedVersion();                         // what the module wrote: <home>/app/VERSION
 *     member.hieraData(Map.of("stratos_app::settle_seconds", "60"))   // this member's Hiera data, from its next run
 * }
 * }</pre>
 *
 * <p>What {@link #start} does, member by member, under {@code <workDir>/<memberId>/}:
 * <ol>
 * <li>provisions it the way an image would be: writes the fact file {@code puppet/var/facts.d/stratos.json}
 * ({@code stratos_version} = the fleet's version) and runs Puppet once, with the module's base parameters only
 * ({@code base_dir}, and those of {@link Builder#moduleParameter}), so {@code app/} holds that version;</li>
 * <li>gives its Puppet a Hiera configuration of its own, {@code puppet/conf/hiera.yaml}, reading
 * {@code puppet/conf/data/member.yaml} (empty until {@link PuppetMember#hieraData} writes it): the way an operator sets
 * class parameters of one member without touching the command;</li>
 * <li>writes {@code agent.properties}: the broker, the member's identity, {@code state.dir=state},
 * {@code puppet.facts-file} (the same file: Puppet reads {@code $vardir/facts.d}, so each member's runs see only its
 * own facts, where a real member would use {@code /etc/facter/facts.d}), {@code puppet.lock-wait-interval=PT0.2S}, and
 * the update command (see {@link PuppetMember#puppetApply});</li>
 * <li>starts {@code java -Xmx32m … -jar agent/target/stratos-update-agent-*-standalone.jar --config=agent.properties}
 * with its
 * output in {@code agent.log}.</li>
 * </ol>
 * The jar exists after {@code mvn package}: use the fleet from {@code *IT} classes (failsafe runs them after
 * packaging). A missing {@code puppet} (or {@code sudo}, when asked for) fails with a message naming the Debian
 * package. {@link #close} stops every agent (SIGTERM, as systemd would; SIGKILL after 15 s).
 */
public final class PuppetFleet implements AutoCloseable {

    /** The example Puppet environment in the repository ({@code manifests/site.pp}, {@code modules/stratos_app}). */
    public static final Path EXAMPLE_ENVIRONMENT = AgentJar.repositoryPath("config/puppet");

    private static final Duration PROVISION_TIMEOUT = Duration.ofMinutes(3);

    private final List<PuppetMember> members;

    private PuppetFleet(List<PuppetMember> members) {
        this.members = members;
    }

    public static Builder builder(Path workDir, String brokerUrl) {
        return new Builder(workDir, brokerUrl);
    }

    public List<PuppetMember> members() {
        return members;
    }

    public PuppetMember member(int index) {
        return members.get(index);
    }

    /** Waits until every agent has published {@code InstanceActivatedEvent} (it says so in its log). */
    public void awaitActivated(Duration timeout) {
        members.forEach(member -> member.awaitActivated(timeout));
    }

    @Override
    public void close() {
        members.forEach(PuppetMember::stop);
    }

    /** Fails, naming the Debian package, when {@code puppet} is not installed. */
    public static void requirePuppet() {
        requireCommand("puppet", "puppet");
    }

    /**
     * Fails when a machine-wide {@code stratos.json} fact file exists: Puppet run as root (or through sudo) reads
     * {@code /etc/facter/facts.d} besides each member's own {@code $vardir/facts.d}, so such a file (left by an agent
     * run with the default {@code puppet.facts-file}) would decide every member's version.
     */
    static void requireNoMachineWideFacts() {
        for (String dir : List.of("/etc/facter/facts.d", "/etc/puppetlabs/facter/facts.d")) {
            Path file = Path.of(dir, "stratos.json");
            if (Files.exists(file)) {
                throw new IllegalStateException(file + " exists: every Puppet run as root reads it, so the members "
                        + "of this fleet would not see their own facts. An agent started with the default "
                        + "puppet.facts-file wrote it (give test agents a fact file of their own); remove it.");
            }
        }
    }

    static void requireCommand(String command, String debianPackage) {
        boolean found = Stream.of(
                        System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":"))
                .map(dir -> Path.of(dir, command))
                .anyMatch(Files::isExecutable);
        if (!found) {
            throw new IllegalStateException("'" + command + "' is not installed: these tests need Debian's package "
                    + debianPackage + " (apt-get install -y " + debianPackage + "; .ci/run installs it)");
        }
    }

    /** The agent jar that {@code mvn package} builds ({@link AgentJar#find}). */
    public static Path agentJar() {
        return AgentJar.find();
    }

    /** Builds a fleet; every setting has a default but the work directory and the broker. */
    public static final class Builder {

        private final Path workDir;
        private final String brokerUrl;
        private String applicationId = "shop";
        private String serviceName = "php";
        private String clusterId = "shop.php.php.domain";
        private int count = 1;
        private String version = "1.0";
        private IntFunction<String> memberIds;
        private boolean sudo;
        private final Map<String, String> moduleParameters = new LinkedHashMap<>();
        private IntFunction<Map<String, String>> memberModuleParameters = i -> Map.of();
        private final Map<String, String> agentSettings = new LinkedHashMap<>();
        private IntFunction<Map<String, String>> memberAgentSettings = i -> Map.of();

        private Builder(Path workDir, String brokerUrl) {
            this.workDir = workDir;
            this.brokerUrl = brokerUrl;
        }

        public Builder application(String applicationId, String serviceName, String clusterId) {
            this.applicationId = applicationId;
            this.serviceName = serviceName;
            this.clusterId = clusterId;
            return this;
        }

        public Builder members(int count) {
            this.count = count;
            return this;
        }

        /** The version every member runs at first (provisioned, and the agents' configured {@code version}). */
        public Builder version(String version) {
            this.version = version;
            return this;
        }

        /** Member ids by index; by default the cluster id followed by {@code -m<index>}. */
        public Builder memberIds(IntFunction<String> memberIds) {
            this.memberIds = memberIds;
            return this;
        }

        /** Runs every update as {@code sudo -n puppet apply …}: sudo's env_reset drops the FACTER_ variables. */
        public Builder sudo(boolean sudo) {
            this.sudo = sudo;
            return this;
        }

        /** A parameter of {@code class stratos_app} for every member, as a Puppet literal: {@code "30"}, {@code "'x'"}. */
        public Builder moduleParameter(String name, String puppetValue) {
            moduleParameters.put(name, puppetValue);
            return this;
        }

        /** Parameters of one member's update runs only (not of its provisioning), by member index. */
        public Builder moduleParameters(IntFunction<Map<String, String>> parameters) {
            this.memberModuleParameters = parameters;
            return this;
        }

        /** An agent setting (a key of docs/agent.md) for every member; wins over the fleet's own. */
        public Builder agentSetting(String key, String value) {
            agentSettings.put(key, value);
            return this;
        }

        /**
         * Agent settings of one member only, by member index (its own {@code broker.password}, say); win over those of
         * {@link #agentSetting}.
         */
        public Builder agentSettings(IntFunction<Map<String, String>> settings) {
            this.memberAgentSettings = settings;
            return this;
        }

        /** Provisions every member (their Puppet runs in parallel), then starts the agents; does not wait for them. */
        public PuppetFleet start() {
            requirePuppet();
            requireNoMachineWideFacts();
            if (sudo) {
                requireCommand("sudo", "sudo");
            }
            Path jar = agentJar();
            List<PuppetMember> members = new ArrayList<>();
            try {
                for (int i = 0; i < count; i++) {
                    String memberId = memberIds != null ? memberIds.apply(i) : clusterId + "-m" + i;
                    Map<String, String> parameters = new LinkedHashMap<>(moduleParameters);
                    Map<String, String> updateParameters = new LinkedHashMap<>(parameters);
                    updateParameters.putAll(memberModuleParameters.apply(i));
                    members.add(
                            new PuppetMember(workDir.resolve(memberId), memberId, sudo, parameters, updateParameters));
                }
                List<Process> provisioning = new ArrayList<>();
                for (PuppetMember member : members) {
                    provisioning.add(member.startProvisioning(version));
                }
                for (int i = 0; i < members.size(); i++) {
                    members.get(i).finishProvisioning(provisioning.get(i), PROVISION_TIMEOUT);
                }
                for (int i = 0; i < members.size(); i++) {
                    PuppetMember member = members.get(i);
                    Map<String, String> settings = new LinkedHashMap<>();
                    settings.put("broker.url", brokerUrl);
                    settings.put("application.id", applicationId);
                    settings.put("service.name", serviceName);
                    settings.put("cluster.id", clusterId);
                    settings.put("version", version);
                    settings.putAll(agentSettings);
                    settings.putAll(memberAgentSettings.apply(i));
                    member.configure(settings, jar);
                    member.start();
                }
                return new PuppetFleet(members);
            } catch (IOException | RuntimeException e) {
                members.forEach(PuppetMember::stop);
                throw new IllegalStateException("could not start the Puppet fleet: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                members.forEach(PuppetMember::stop);
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting the Puppet fleet", e);
            }
        }
    }

    static void awaitFile(Path file, String text, Duration timeout, Process process) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("process ended with " + process.exitValue() + ": " + read(file));
            }
            return read(file).contains(text);
        });
    }

    static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }
}
