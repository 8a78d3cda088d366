package io.opsagent.app.config;

import io.opsagent.core.diagnosis.analyzers.Text;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The settings in force, one layer over the next: built-in defaults &lt; the config file &lt; the environment &lt;
 * command-line flags. In Lambda only the environment is used. Values are looked up by {@link Setting}; a bad value
 * is an {@link IllegalArgumentException} naming the key, the value and where it came from.
 */
public final class Settings {

    /** Where a value came from, for messages and {@code --show-config}. */
    public enum Source { FLAG, ENVIRONMENT, FILE }

    private record Value(String value, Source source, String origin) {
    }

    private final Map<Setting, Value> values;
    private final Map<String, String> environment;

    private Settings(Map<Setting, Value> values, Map<String, String> environment) {
        this.values = values;
        this.environment = environment;
    }

    /** The environment only (Lambda). */
    public static Settings fromEnvironment(Map<String, String> env) {
        return builder().environment(env).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The value in force, if set (blank values count as unset). */
    public Optional<String> get(Setting s) {
        Value v = values.get(s);
        return v == null ? Optional.empty() : Optional.of(v.value);
    }

    public String get(Setting s, String dflt) {
        return get(s).orElse(dflt);
    }

    public boolean isSet(Setting s) {
        return values.containsKey(s);
    }

    /** Where the value in force came from, e.g. "environment" or "/home/u/.opsagent/config.properties:3". */
    public Optional<String> origin(Setting s) {
        Value v = values.get(s);
        return v == null ? Optional.empty() : Optional.of(v.origin);
    }

    /** A true/false setting: true, false, yes, no, 1, 0 (any case). */
    public boolean bool(Setting s, boolean dflt) {
        Optional<String> v = get(s);
        if (v.isEmpty()) return dflt;
        switch (v.get().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on":
                return true;
            case "false", "no", "0", "off":
                return false;
            default:
                throw bad(s, "expected true or false");
        }
    }

    /** A whole number in [min, max]. */
    public int integer(Setting s, int dflt, int min, int max) {
        Optional<String> v = get(s);
        if (v.isEmpty()) return dflt;
        int n;
        try {
            n = Integer.parseInt(v.get());
        } catch (NumberFormatException e) {
            throw bad(s, "expected a whole number");
        }
        if (n < min || n > max) throw bad(s, "expected " + min + ".." + max);
        return n;
    }

    /** A comma-separated list, entries trimmed, empty entries dropped. */
    public List<String> list(Setting s) {
        Optional<String> v = get(s);
        if (v.isEmpty()) return List.of();
        List<String> out = new ArrayList<>();
        for (String part : v.get().split(",")) {
            if (!part.isBlank()) out.add(part.strip());
        }
        return List.copyOf(out);
    }

    /** One of {@code allowed} (lower-cased), or {@code dflt} when unset. */
    public String choice(Setting s, String dflt, String... allowed) {
        Optional<String> v = get(s);
        if (v.isEmpty()) return dflt;
        String c = v.get().toLowerCase(Locale.ROOT);
        if (!Arrays.asList(allowed).contains(c)) throw bad(s, "expected one of " + String.join(", ", allowed));
        return c;
    }

    /** An error naming the setting, its value (masked when secret) and where it came from. */
    public IllegalArgumentException bad(Setting s, String expectation) {
        Value v = values.get(s);
        String shown = v == null ? "(unset)" : s.secret() ? "(secret)" : "'" + v.value + "'";
        return new IllegalArgumentException(s.key() + " " + shown + (v == null ? "" : " from " + v.origin)
                + ": " + expectation);
    }

    /**
     * The settings as an environment map for the adapters' {@code fromEnv} factories: the process environment
     * (AWS_REGION, credentials...) with every OpsAgent setting in force on top.
     */
    public Map<String, String> asEnv() {
        Map<String, String> m = new HashMap<>(environment);
        for (Setting s : Setting.values()) m.remove(s.key()); // blank environment values are unset
        values.forEach((s, v) -> m.put(s.key(), v.value));
        return Collections.unmodifiableMap(m);
    }

    /** An environment variable that is not an OpsAgent setting (AWS_REGION, HOME...). */
    public Optional<String> environment(String name) {
        String v = environment.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v);
    }

    /** "KEY=value (origin)" lines for every setting in force, secrets masked: what {@code --show-config} prints. */
    public List<String> describe() {
        List<String> out = new ArrayList<>();
        for (Setting s : Setting.values()) {
            Value v = values.get(s);
            if (v != null) out.add(s.key() + "=" + (s.secret() ? "****" : v.value) + "  (" + v.origin + ")");
        }
        return out;
    }

    /** Assembles the layers. */
    public static final class Builder {
        private final Map<Setting, Value> values = new EnumMap<>(Setting.class);
        private final Map<Setting, Value> fromFile = new EnumMap<>(Setting.class);
        private final Map<Setting, Value> fromEnv = new EnumMap<>(Setting.class);
        private final Map<Setting, Value> fromFlags = new EnumMap<>(Setting.class);
        private Map<String, String> environment = Map.of();
        private final java.util.Set<Setting> overridden = java.util.EnumSet.noneOf(Setting.class);

        /** The process environment (the OPSAGENT_* variables in it are settings). */
        public Builder environment(Map<String, String> env) {
            this.environment = Map.copyOf(env);
            fromEnv.clear();
            for (Setting s : Setting.values()) {
                String v = env.get(s.key());
                if (v != null && !v.isBlank()) fromEnv.put(s, new Value(v.strip(), Source.ENVIRONMENT, "environment"));
            }
            return this;
        }

        /**
         * A config file of {@code KEY=value} lines ({@code #} comments, blank lines ignored). An unknown key or a
         * line without {@code =} is an error naming the file and line; a missing file is an error unless
         * {@code optional}.
         */
        public Builder file(Path file, boolean optional) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                if (optional) return this;
                throw new IllegalArgumentException("config file " + file + " does not exist");
            } catch (IOException e) {
                throw new IllegalArgumentException("config file " + file + " cannot be read: " + e.getMessage());
            }
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (line.isEmpty() || line.startsWith("#")) continue;
                int eq = line.indexOf('=');
                String where = file + ":" + (i + 1);
                if (eq <= 0) throw new IllegalArgumentException(where + ": expected KEY=value, got '" + clip(line) + "'");
                String key = line.substring(0, eq).strip();
                String value = line.substring(eq + 1).strip();
                Setting s = Setting.byKey(key).orElseThrow(() -> new IllegalArgumentException(where
                        + ": unknown setting '" + clip(key) + "'" + suggestion(key) + " (docs/configuration.md lists them)"));
                if (!value.isEmpty()) fromFile.put(s, new Value(value, Source.FILE, where));
            }
            return this;
        }

        /** A command-line flag's value (null = not given). */
        public Builder flag(Setting s, String value, String flagName) {
            if (value != null && !value.isBlank()) fromFlags.put(s, new Value(value.strip(), Source.FLAG, flagName));
            return this;
        }

        /**
         * Ignores {@code settings} from the config file and the environment (flags still apply): e.g. a
         * {@code --dump} flag replaces a context configured in the file, instead of conflicting with it.
         */
        public Builder ignoreLowerLayers(Setting... settings) {
            overridden.addAll(Arrays.asList(settings));
            return this;
        }

        public Settings build() {
            values.clear();
            values.putAll(fromFile);
            values.putAll(fromEnv);
            overridden.forEach(values::remove);
            values.putAll(fromFlags);
            return new Settings(new EnumMap<>(values.isEmpty() ? new EnumMap<>(Setting.class) : values), environment);
        }

        private static String suggestion(String key) {
            String k = key.toUpperCase(Locale.ROOT);
            String best = null;
            int bestD = Integer.MAX_VALUE;
            for (Setting s : Setting.values()) {
                int d = Text.distance(k, s.key());
                if (d < bestD) {
                    bestD = d;
                    best = s.key();
                }
            }
            return bestD <= 3 ? "; did you mean " + best + "?" : "";
        }

        private static String clip(String s) {
            return s.length() > 60 ? s.substring(0, 60) + "…" : s;
        }
    }
}
