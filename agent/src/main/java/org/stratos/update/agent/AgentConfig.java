package org.stratos.update.agent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The standalone agent's settings, from (in increasing precedence) defaults, a properties file, environment
 * variables {@code STRATOS_AGENT_<KEY>} (upper case, {@code .} and {@code -} as {@code _}) and {@code --key=value}
 * arguments. Commands ({@code update.command}, {@code health.command}) are one value per layer: written as one
 * string split on whitespace, or as {@code key.0}, {@code key.1}, ... for arguments that contain spaces.
 */
final class AgentConfig {

    static final Path DEFAULT_FILE = Path.of("/etc/stratos/agent.properties");
    static final String ENV_PREFIX = ConfigSources.ENV_PREFIX;
    static final String CONFIG_ARG = "config";

    /** Every key with its default (null: no default). */
    static final Map<String, String> KEYS = keys();

    private static final Set<String> LIST_KEYS = Set.of("update.command", "health.command");
    private static final Pattern INDEXED = Pattern.compile("(update\\.command|health\\.command)\\.(\\d+)");

    private final Map<String, String> values;
    private final String source;

    private AgentConfig(Map<String, String> values, String source) {
        this.values = values;
        this.source = source;
    }

    private static Map<String, String> keys() {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("broker.url", "tcp://localhost:61616");
        keys.put("broker.user", null);
        keys.put("broker.password", null);
        keys.put("broker.manager-user", JmsAgentChannel.DEFAULT_MANAGER_USER);
        keys.put("broker.trust-store", null);
        keys.put("broker.trust-store-password", null);
        keys.put("application.id", null);
        keys.put("service.name", null);
        keys.put("alias", null);
        keys.put("cluster.id", null);
        keys.put("member.id", null);
        keys.put("version", null);
        keys.put("address", null);
        keys.put("cluster-instance.id", null);
        keys.put("network-partition.id", null);
        keys.put("partition.id", null);
        keys.put("update.command", String.join(" ", ProcessUpdateCommand.PUPPET));
        keys.put("update.timeout", "PT30M");
        keys.put("update.success-exit-codes", "0,2");
        keys.put("puppet.facts-file", PuppetFiles.DEBIAN_FACTS_FILE.toString());
        keys.put("puppet.state-dir", null);
        keys.put("puppet.summary-file", null);
        keys.put("puppet.noop-args", String.join(" ", ProcessUpdateCommand.PUPPET_NOOP));
        keys.put("puppet.lock-wait-interval", AgentSettings.DEFAULT_LOCK_WAIT_INTERVAL.toString());
        keys.put("health.url", null);
        keys.put("health.command", null);
        keys.put("health.timeout", "PT5M");
        keys.put("health.min-healthy-time", "PT0S");
        keys.put("health.interval", "PT1S");
        keys.put("state.dir", "/var/lib/stratos-agent");
        return Collections.unmodifiableMap(keys);
    }

    /** Reads the file named by {@code --config=}, {@code STRATOS_AGENT_CONFIG}, or the default file if present. */
    static AgentConfig load(String[] args, Map<String, String> env) throws ConfigException {
        Map<String, String> arguments = ConfigSources.arguments(args);
        String named = arguments.remove(CONFIG_ARG);
        if (named == null) {
            named = env.get(ENV_PREFIX + "CONFIG");
        }
        Path file = named != null ? Path.of(named) : Files.isRegularFile(DEFAULT_FILE) ? DEFAULT_FILE : null;
        return of(
                file == null ? Map.of() : ConfigSources.file(file),
                env,
                arguments,
                file == null ? null : file.toString());
    }

    static AgentConfig of(
            Map<String, String> file, Map<String, String> env, Map<String, String> arguments, String fileName)
            throws ConfigException {
        checkKnown(file, fileName == null ? "the configuration" : fileName);
        checkKnown(arguments, "the arguments");
        Map<String, String> merged = new LinkedHashMap<>();
        KEYS.forEach((key, value) -> {
            if (value != null) {
                merged.put(key, value);
            }
        });
        overlay(merged, file);
        overlay(merged, ConfigSources.environment(env, KEYS.keySet()));
        overlay(merged, arguments);
        return new AgentConfig(merged, fileName);
    }

    /** The value, or null when absent or blank. */
    String get(String key) {
        String value = values.get(key);
        return value == null || value.isBlank() ? null : value.trim();
    }

    String require(String key) throws ConfigException {
        String value = get(key);
        if (value == null) {
            throw new ConfigException("missing required key " + key + " (--" + key + "=..., " + envName(key)
                    + (source == null ? ", or " + DEFAULT_FILE : ", or in " + source) + ")");
        }
        return value;
    }

    Duration duration(String key) throws ConfigException {
        String value = require(key);
        try {
            Duration duration = Duration.parse(value);
            if (duration.isNegative()) {
                throw new ConfigException(key + " must not be negative: " + value);
            }
            return duration;
        } catch (DateTimeParseException e) {
            throw new ConfigException(key + " is not an ISO-8601 duration (like PT30M): " + value);
        }
    }

    /** A duration that must be more than zero. */
    Duration positiveDuration(String key) throws ConfigException {
        Duration duration = duration(key);
        if (duration.isZero()) {
            throw new ConfigException(key + " must be more than zero: " + get(key));
        }
        return duration;
    }

    /** A command as argv: {@code key.0..N} if given, else {@code key} split on whitespace; empty when unset. */
    List<String> command(String key) {
        List<String> argv = new ArrayList<>();
        for (int i = 0; get(key + "." + i) != null; i++) {
            argv.add(values.get(key + "." + i)); // not trimmed: spaces may matter inside one argument
        }
        if (argv.isEmpty() && get(key) != null) {
            argv.addAll(List.of(get(key).split("\\s+")));
        }
        return argv;
    }

    Set<Integer> exitCodes(String key) throws ConfigException {
        Set<Integer> codes = new TreeSet<>();
        try {
            for (String code : require(key).split("[,\\s]+")) {
                codes.add(Integer.parseInt(code));
            }
        } catch (NumberFormatException e) {
            throw new ConfigException(key + " must list exit codes like 0,2: " + get(key));
        }
        return codes;
    }

    /**
     * Puppet's files for the update command: {@code puppet.facts-file} ({@code none}: no fact file),
     * {@code puppet.state-dir} and {@code puppet.summary-file}, each derived from the command's own Puppet options when
     * not set (see {@link PuppetFiles#forCommand}).
     */
    PuppetFiles puppetFiles() {
        String facts = get("puppet.facts-file");
        PuppetFiles derived = PuppetFiles.forCommand(
                command("update.command"), facts == null || facts.equals("none") ? null : Path.of(facts));
        String stateDir = get("puppet.state-dir");
        String summary = get("puppet.summary-file");
        return new PuppetFiles(
                derived.factsFile(),
                stateDir != null ? Path.of(stateDir) : derived.stateDir(),
                summary != null ? Path.of(summary) : derived.summaryFile());
    }

    /** {@code cluster.id}, or derived the Stratos way from application id, alias and service name. */
    String clusterId() throws ConfigException {
        String clusterId = get("cluster.id");
        if (clusterId != null) {
            return clusterId;
        }
        if (get("alias") == null) {
            require("cluster.id");
        }
        return require("application.id") + "." + get("alias") + "." + require("service.name") + ".domain";
    }

    static String envName(String key) {
        return ConfigSources.envName(key);
    }

    private static void overlay(Map<String, String> merged, Map<String, String> layer) {
        for (String list : LIST_KEYS) {
            if (layer.keySet().stream().anyMatch(k -> k.equals(list) || k.startsWith(list + "."))) {
                merged.keySet().removeIf(k -> k.equals(list) || k.startsWith(list + "."));
            }
        }
        merged.putAll(layer);
    }

    private static void checkKnown(Map<String, String> layer, String where) throws ConfigException {
        for (String key : layer.keySet()) {
            if (!KEYS.containsKey(key) && !INDEXED.matcher(key).matches()) {
                throw new ConfigException("unknown key " + key + " in " + where);
            }
        }
    }
}
