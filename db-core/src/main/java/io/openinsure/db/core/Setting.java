package io.openinsure.db.core;

import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * One configuration setting, declared once: its key, default, bounds and description.
 *
 * <p>A binding-scoped setting's key is {@code OI_DB_<BINDING>_<SUFFIX>} (e.g. {@code OI_DB_POLICIES_POOL_MAX_SIZE});
 * a global setting's key is its name (e.g. {@code DATABASE_URL}). The system-property form is the
 * key in lower case with dots ({@link ConfigSource#propertyKey(String)}). All settings are listed in
 * {@link Settings#all()}, from which the README's settings table is checked.
 *
 * @param <T> the value type
 */
public final class Setting<T> {

    /** Whether a setting exists once per binding or once per process. */
    public enum Scope {
        BINDING,
        GLOBAL
    }

    /** A value check: returns {@code null} when fine, else what was expected (e.g. "between 1 and 500"). */
    @FunctionalInterface
    interface Check<T> {
        String problem(T value);
    }

    private final String name;
    private final Scope scope;
    private final String type;
    private final T defaultValue;
    private final String defaultText;
    private final String description;
    private final boolean secret;
    private final Function<String, T> parser;
    private final Check<T> check;
    private final Function<? super T, String> formatter;

    Setting(
            String name,
            Scope scope,
            String type,
            T defaultValue,
            String defaultText,
            String description,
            boolean secret,
            Function<String, T> parser,
            Check<T> check) {
        this(name, scope, type, defaultValue, defaultText, description, secret, parser, check, Settings::format);
    }

    Setting(
            String name,
            Scope scope,
            String type,
            T defaultValue,
            String defaultText,
            String description,
            boolean secret,
            Function<String, T> parser,
            Check<T> check,
            Function<? super T, String> formatter) {
        this.name = name;
        this.scope = scope;
        this.type = type;
        this.defaultValue = defaultValue;
        this.defaultText = defaultText;
        this.description = description;
        this.secret = secret;
        this.parser = parser;
        this.check = check;
        this.formatter = formatter;
    }

    /** The suffix (binding scope, e.g. {@code POOL_MAX_SIZE}) or the full key (global scope, e.g. {@code DATABASE_URL}). */
    public String name() {
        return name;
    }

    public Scope scope() {
        return scope;
    }

    /** The environment-variable key for a binding ({@code OI_DB_POLICIES_URL}); the name for a global setting. */
    public String key(String binding) {
        if (scope == Scope.GLOBAL) {
            return name;
        }
        return "OI_DB_" + binding.toUpperCase(Locale.ROOT) + "_" + name;
    }

    /** The key as documented: {@code OI_DB_<BINDING>_POOL_MAX_SIZE} or {@code DATABASE_URL}. */
    public String documentedKey() {
        return scope == Scope.GLOBAL ? name : "OI_DB_<BINDING>_" + name;
    }

    /** Value type and accepted range, in words. */
    public String type() {
        return type;
    }

    /** The default, or {@code null} when there is none. */
    public T defaultValue() {
        return defaultValue;
    }

    /** The default as documented (may explain a derived default). */
    public String defaultText() {
        return defaultText;
    }

    public String description() {
        return description;
    }

    /** Secret values (passwords) are never logged or shown. */
    public boolean isSecret() {
        return secret;
    }

    /**
     * Parses and checks a raw value.
     *
     * @throws ConfigurationException naming the key and what was expected
     */
    T parse(String raw, String binding) {
        String key = key(binding);
        T value;
        try {
            value = parser.apply(raw);
        } catch (ConfigurationException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ConfigurationException(
                    binding,
                    key,
                    DatabaseUrl.prefix(binding, key) + "expected " + type + " but was '" + (secret ? "****" : raw)
                            + "'.");
        }
        return check(value, binding);
    }

    /**
     * Checks a value given in code or parsed.
     *
     * @throws ConfigurationException naming the key and what was expected
     */
    T check(T value, String binding) {
        Objects.requireNonNull(value, () -> key(binding) + " must not be null");
        String problem = problem(value);
        if (problem != null) {
            String key = key(binding);
            throw new ConfigurationException(
                    binding,
                    key,
                    DatabaseUrl.prefix(binding, key)
                            + name.toLowerCase(Locale.ROOT).replace('_', ' ') + " must be " + problem + " but was "
                            + (secret ? "****" : format(value)) + ".");
        }
        return value;
    }

    /** What was expected when {@code value} is out of bounds (e.g. "between 1s and 1h"), else {@code null}. */
    String problem(T value) {
        return check == null ? null : check.problem(value);
    }

    /** The value the way it is written in settings ({@code 1s}, {@code 50MB}). */
    String format(T value) {
        return formatter.apply(value);
    }

    @Override
    public String toString() {
        return documentedKey();
    }
}
