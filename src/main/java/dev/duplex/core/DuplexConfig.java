package dev.duplex.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Settings, immutable. Every key has its default in {@code duplex.properties} (server-config/, shipped on
 * the classpath); later sources win: the file named by {@code duplex.config} (system property) or
 * {@code DUPLEX_CONFIG} (environment), then the environment ({@code duplex.chat.rate-limit.messages} is
 * {@code DUPLEX_CHAT_RATE_LIMIT_MESSAGES}), then system properties ({@code -Dduplex.…}). Unknown keys are
 * rejected so that a typo never silently keeps a default.
 */
public final class DuplexConfig {
    private static final String DEFAULTS = "/duplex.properties";

    private final Map<String, String> values;

    private DuplexConfig(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /** The shipped defaults alone. */
    public static DuplexConfig defaults() {
        Properties properties = new Properties();
        try (InputStream in = DuplexConfig.class.getResourceAsStream(DEFAULTS)) {
            if (in == null) {
                throw new IllegalStateException(DEFAULTS + " is missing from the classpath");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> values = new TreeMap<>();
        properties.stringPropertyNames().forEach(key -> values.put(key, properties.getProperty(key).trim()));
        return new DuplexConfig(values);
    }

    /** Defaults, then the optional file, the environment and the system properties. */
    public static DuplexConfig load() {
        return load(System.getenv(), System.getProperties());
    }

    static DuplexConfig load(Map<String, String> environment, Properties system) {
        DuplexConfig config = defaults();
        String file = system.getProperty("duplex.config", environment.get("DUPLEX_CONFIG"));
        if (file != null && !file.isBlank()) {
            config = config.withFile(Path.of(file));
        }
        for (String key : config.values.keySet()) {
            String fromEnvironment = environment.get(environmentName(key));
            if (fromEnvironment != null) {
                config = config.with(key, fromEnvironment);
            }
        }
        for (String key : system.stringPropertyNames()) {
            if (key.startsWith("duplex.") && !key.equals("duplex.config")) {
                config = config.with(key, system.getProperty(key));
            }
        }
        return config;
    }

    /** {@code duplex.chat.rate-limit.messages} becomes {@code DUPLEX_CHAT_RATE_LIMIT_MESSAGES}. */
    public static String environmentName(String key) {
        return key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public DuplexConfig with(String key, String value) {
        if (!values.containsKey(key)) {
            throw new IllegalArgumentException("Unknown setting " + key);
        }
        Map<String, String> copy = new TreeMap<>(values);
        copy.put(key, value.trim());
        return new DuplexConfig(copy);
    }

    private DuplexConfig withFile(Path file) {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read settings file " + file, e);
        }
        DuplexConfig config = this;
        for (String key : properties.stringPropertyNames()) {
            config = config.with(key, properties.getProperty(key));
        }
        return config;
    }

    public String string(String key) {
        String value = values.get(key);
        if (value == null) {
            throw new IllegalArgumentException("Unknown setting " + key);
        }
        return value;
    }

    public int integer(String key) {
        return (int) number(key, Integer.MAX_VALUE);
    }

    public long longValue(String key) {
        return number(key, Long.MAX_VALUE);
    }

    /** A comma-separated list; empty when the value is blank. */
    public List<String> list(String key) {
        String value = string(key);
        return value.isEmpty() ? List.of()
                : Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    public Map<String, String> asMap() {
        return values;
    }

    private long number(String key, long max) {
        String value = string(key);
        try {
            long number = Long.parseLong(value);
            if (number < 0 || number > max) {
                throw new IllegalArgumentException(key + " must be from 0 to " + max + ", not " + value);
            }
            return number;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, not '" + value + "'", e);
        }
    }
}
