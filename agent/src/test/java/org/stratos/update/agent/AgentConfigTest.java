package org.stratos.update.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigTest {

    @TempDir
    Path dir;

    @Test
    void argumentsOverrideEnvironmentWhichOverridesTheFile() throws Exception {
        Path file = properties(
                "broker.url=tcp://from-file:61616", "application.id=shop", "version=1.0", "service.name=php");
        Map<String, String> env =
                Map.of("STRATOS_AGENT_BROKER_URL", "tcp://from-env:61616", "STRATOS_AGENT_VERSION", "1.1");

        AgentConfig config =
                AgentConfig.load(new String[] {"--config=" + file, "--broker.url=tcp://from-args:61616"}, env);

        assertThat(config.get("broker.url")).isEqualTo("tcp://from-args:61616");
        assertThat(config.get("version")).isEqualTo("1.1");
        assertThat(config.get("application.id")).isEqualTo("shop");
    }

    @Test
    void environmentNamesAreUpperCaseWithUnderscores() throws Exception {
        AgentConfig config = AgentConfig.of(
                Map.of(),
                Map.of(
                        "STRATOS_AGENT_HEALTH_MIN_HEALTHY_TIME", "PT10S",
                        "STRATOS_AGENT_CLUSTER_INSTANCE_ID", "shop-1",
                        "STRATOS_AGENT_NOT_A_KEY", "ignored"),
                Map.of(),
                null);

        assertThat(config.duration("health.min-healthy-time")).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.get("cluster-instance.id")).isEqualTo("shop-1");
        assertThat(AgentConfig.envName("network-partition.id")).isEqualTo("STRATOS_AGENT_NETWORK_PARTITION_ID");
    }

    @Test
    void defaultsApplyWhenNothingIsSet() throws Exception {
        AgentConfig config = AgentConfig.of(Map.of(), Map.of(), Map.of(), null);

        assertThat(config.get("broker.url")).isEqualTo("tcp://localhost:61616");
        assertThat(config.duration("update.timeout")).isEqualTo(Duration.ofMinutes(30));
        assertThat(config.duration("health.timeout")).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.duration("health.interval")).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.command("update.command"))
                .containsExactly("puppet", "agent", "--test", "--detailed-exitcodes");
        assertThat(config.exitCodes("update.success-exit-codes")).containsExactly(0, 2);
        assertThat(config.get("state.dir")).isEqualTo("/var/lib/stratos-agent");
        assertThat(config.command("health.command")).isEmpty();
    }

    @Test
    void puppetsFilesAreDebiansForRootUnlessTheCommandOrTheKeysSayOtherwise() throws Exception {
        PuppetFiles debian = AgentConfig.of(Map.of(), Map.of(), Map.of(), null).puppetFiles();
        PuppetFiles fromCommand = AgentConfig.of(
                        Map.of("update.command", "puppet apply --vardir=/srv/p/var --publicdir /srv/p/public site.pp"),
                        Map.of(),
                        Map.of(),
                        null)
                .puppetFiles();
        PuppetFiles fromKeys = AgentConfig.of(
                        Map.of(
                                "update.command",
                                "puppet apply --vardir=/srv/p/var site.pp",
                                "puppet.state-dir",
                                "/srv/state",
                                "puppet.summary-file",
                                "/srv/summary.yaml",
                                "puppet.facts-file",
                                "none"),
                        Map.of(),
                        Map.of(),
                        null)
                .puppetFiles();

        assertThat(debian)
                .isEqualTo(new PuppetFiles(
                        Path.of("/etc/facter/facts.d/stratos.json"),
                        Path.of("/var/cache/puppet/state"),
                        Path.of("/var/cache/puppet/public/last_run_summary.yaml")));
        assertThat(fromCommand)
                .isEqualTo(new PuppetFiles(
                        Path.of("/etc/facter/facts.d/stratos.json"),
                        Path.of("/srv/p/var/state"),
                        Path.of("/srv/p/public/last_run_summary.yaml")));
        assertThat(fromKeys).isEqualTo(new PuppetFiles(null, Path.of("/srv/state"), Path.of("/srv/summary.yaml")));
    }

    @Test
    void aCommandIsSplitOnWhitespaceOrGivenArgumentByArgument() throws Exception {
        AgentConfig split = AgentConfig.of(
                Map.of("update.command", " /usr/bin/puppet  agent --test "), Map.of(), Map.of(), "agent.properties");
        AgentConfig indexed = AgentConfig.of(
                Map.of("update.command", "/usr/bin/puppet agent"),
                Map.of(),
                Map.of("update.command.0", "/opt/my tools/update", "update.command.1", "--to=a b"),
                null);
        AgentConfig fromEnv = AgentConfig.of(
                Map.of(),
                Map.of("STRATOS_AGENT_HEALTH_COMMAND_0", "/bin/check me", "STRATOS_AGENT_HEALTH_COMMAND_1", "-q"),
                Map.of(),
                null);

        assertThat(split.command("update.command")).containsExactly("/usr/bin/puppet", "agent", "--test");
        assertThat(indexed.command("update.command")).containsExactly("/opt/my tools/update", "--to=a b");
        assertThat(fromEnv.command("health.command")).containsExactly("/bin/check me", "-q");
    }

    @Test
    void aHigherLayerReplacesAWholeCommand() throws Exception {
        AgentConfig config = AgentConfig.of(
                Map.of("update.command.0", "/a", "update.command.1", "one", "update.command.2", "two"),
                Map.of(),
                Map.of("update.command", "/b three"),
                null);

        assertThat(config.command("update.command")).containsExactly("/b", "three");
    }

    @Test
    void clusterIdIsDerivedFromTheAliasTheStratosWay() throws Exception {
        AgentConfig config = AgentConfig.of(
                Map.of("application.id", "shop", "alias", "web", "service.name", "php"), Map.of(), Map.of(), null);

        assertThat(config.clusterId()).isEqualTo("shop.web.php.domain");
    }

    @Test
    void anExplicitClusterIdWins() throws Exception {
        AgentConfig config =
                AgentConfig.of(Map.of("alias", "web", "cluster.id", "custom.domain"), Map.of(), Map.of(), null);

        assertThat(config.clusterId()).isEqualTo("custom.domain");
    }

    @Test
    void aMissingRequiredKeyIsNamedWithItsSources() throws Exception {
        AgentConfig config = AgentConfig.of(Map.of(), Map.of(), Map.of(), "/etc/x.properties");

        assertThatThrownBy(() -> config.require("application.id"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("missing required key application.id (--application.id=..., STRATOS_AGENT_APPLICATION_ID,"
                        + " or in /etc/x.properties)");
    }

    @Test
    void unknownKeysAndBadValuesAreRefused() throws Exception {
        assertThatThrownBy(() -> AgentConfig.of(Map.of(), Map.of(), Map.of("broker.uri", "x"), null))
                .hasMessage("unknown key broker.uri in the arguments");
        assertThatThrownBy(() -> AgentConfig.load(new String[] {"broker.url=x"}, Map.of()))
                .hasMessage("arguments must look like --key=value: broker.url=x");
        assertThatThrownBy(() -> AgentConfig.load(new String[] {"--config=" + dir.resolve("none")}, Map.of()))
                .hasMessageContaining("not found");
        AgentConfig bad = AgentConfig.of(
                Map.of(), Map.of(), Map.of("update.timeout", "30 minutes", "update.success-exit-codes", "0,two"), null);
        assertThatThrownBy(() -> bad.duration("update.timeout"))
                .hasMessage("update.timeout is not an ISO-8601 duration (like PT30M): 30 minutes");
        assertThatThrownBy(() -> bad.exitCodes("update.success-exit-codes")).hasMessageContaining("0,two");
    }

    @Test
    void theProgramExitsWithTwoAndOneLineNamingTheMissingKey() throws Exception {
        Path file = properties("application.id=shop", "version=1.0");
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int exitCode = AgentMain.run(
                new String[] {"--config=" + file, "--state.dir=" + dir},
                Map.of(),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(exitCode).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8).lines().toList())
                .containsExactly(
                        "stratos-agent: missing required key service.name (--service.name=..., STRATOS_AGENT_SERVICE_NAME, "
                                + "or in " + file + ")");
    }

    @Test
    void theProgramRefusesABadDurationBeforeConnecting() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int exitCode = AgentMain.run(
                new String[] {
                    "--config=" + properties(),
                    "--application.id=shop",
                    "--service.name=php",
                    "--alias=php",
                    "--version=1",
                    "--state.dir=" + dir,
                    "--update.timeout=PT0S",
                    "--broker.url=tcp://127.0.0.1:1"
                },
                Map.of(),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(exitCode).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo("stratos-agent: update.timeout must be more than zero: PT0S" + System.lineSeparator());
    }

    private Path properties(String... lines) throws Exception {
        Path file = dir.resolve("agent.properties");
        Files.write(file, List.of(lines));
        return file;
    }
}
