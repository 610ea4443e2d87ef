package org.stratos.update.agent;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the three places configuration comes from into plain key/value maps, keys in their properties spelling. */
final class ConfigSources {

    static final String ENV_PREFIX = "STRATOS_AGENT_";

    private static final Pattern INDEXED_ENV = Pattern.compile(ENV_PREFIX + "(UPDATE|HEALTH)_COMMAND_(\\d+)");

    private ConfigSources() {}

    /** {@code broker.url} is {@code STRATOS_AGENT_BROKER_URL}; {@code health.min-healthy-time} is {@code ..._MIN_HEALTHY_TIME}. */
    static String envName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The variables of {@code keys}, and {@code STRATOS_AGENT_UPDATE_COMMAND_<n>} as {@code update.command.<n>}. */
    static Map<String, String> environment(Map<String, String> env, Collection<String> keys) {
        Map<String, String> layer = new LinkedHashMap<>();
        for (String key : keys) {
            String value = env.get(envName(key));
            if (value != null) {
                layer.put(key, value);
            }
        }
        env.forEach((name, value) -> {
            Matcher m = INDEXED_ENV.matcher(name);
            if (m.matches()) {
                layer.put(m.group(1).toLowerCase(Locale.ROOT) + ".command." + m.group(2), value);
            }
        });
        return layer;
    }

    /** {@code --key=value} arguments. */
    static Map<String, String> arguments(String[] args) throws ConfigException {
        Map<String, String> arguments = new LinkedHashMap<>();
        for (String arg : args) {
            int equals = arg.indexOf('=');
            if (!arg.startsWith("--") || equals < 3) {
                throw new ConfigException("arguments must look like --key=value: " + arg);
            }
            arguments.put(arg.substring(2, equals), arg.substring(equals + 1));
        }
        return arguments;
    }

    /** A properties file, read as UTF-8. */
    static Map<String, String> file(Path file) throws ConfigException {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("configuration file " + file + " not found");
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage());
        }
        Map<String, String> values = new LinkedHashMap<>();
        properties.stringPropertyNames().forEach(name -> values.put(name, properties.getProperty(name)));
        return values;
    }
}
