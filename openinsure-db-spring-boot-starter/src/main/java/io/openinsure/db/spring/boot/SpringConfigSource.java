package io.openinsure.db.spring.boot;

import io.openinsure.db.core.ConfigSource;
import io.openinsure.db.core.Setting;
import io.openinsure.db.core.Settings;
import io.openinsure.db.domains.Keyspace;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertyResolver;

/**
 * The SDK's {@link ConfigSource} over Spring's {@link Environment}: an SDK key ({@code OI_DB_POLICIES_POOL_MAX_SIZE})
 * is answered by the SDK's own keys first (system property, environment variable) when
 * {@code openinsure.db.sdk-environment} is on, then by {@code openinsure.db.policies.pool.max-size}, then by
 * {@code openinsure.db.defaults.pool.max-size}. Values stay text: the SDK parses and checks them.
 */
final class SpringConfigSource implements ConfigSource {

    private static final List<String> GROUPS = List.of("pool", "cache", "health", "circuit");

    private final Environment environment;
    private final Binder binder;
    private final ConfigSource sdk;

    private SpringConfigSource(Environment environment, ConfigSource sdk) {
        this.environment = environment;
        this.binder = Binder.get(environment);
        this.sdk = sdk;
    }

    /** Reads {@code openinsure.db.*} from {@code environment}, and the SDK's own keys first when {@code sdkKeys}. */
    static SpringConfigSource of(Environment environment, boolean sdkKeys) {
        return new SpringConfigSource(environment, sdkKeys ? ConfigSource.defaults() : ConfigSource.empty());
    }

    /** Like {@link #of(Environment, boolean)}, with {@code openinsure.db.sdk-environment} read from the environment. */
    static SpringConfigSource of(Environment environment) {
        boolean sdkKeys =
                environment.getProperty(OpenInsureDbProperties.PREFIX + ".sdk-environment", Boolean.class, true);
        return of(environment, sdkKeys);
    }

    @Override
    public Optional<String> get(String key) {
        Optional<String> fromSdk = sdk.get(key);
        if (fromSdk.isPresent()) {
            return fromSdk;
        }
        for (String property : propertyNames(key)) {
            Optional<String> value = Optional.ofNullable(
                            binder.bind(property, Bindable.of(String.class)).orElse(null))
                    .filter(v -> !v.isBlank())
                    .map(String::strip);
            if (value.isPresent()) {
                return value;
            }
        }
        return Optional.empty();
    }

    /**
     * Where the value of an SDK key comes from, in words a person can act on, e.g. {@code the property
     * 'openinsure.db.policies.pool.max-size' (class path resource [application.properties] - 3:41)} or {@code the
     * environment variable OI_DB_POLICIES_URL}; empty when nothing sets it.
     */
    Optional<String> describeOrigin(String key) {
        if (sdk.get(key).isPresent()) {
            String property = ConfigSource.propertyKey(key);
            if (System.getProperty(property) != null
                    && !System.getProperty(property).isBlank()) {
                return Optional.of("the system property " + property);
            }
            return Optional.of("the environment variable " + key);
        }
        for (String property : propertyNames(key)) {
            ConfigurationPropertyName name = ConfigurationPropertyName.of(property);
            for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
                ConfigurationProperty found = source.getConfigurationProperty(name);
                if (found != null
                        && found.getValue() != null
                        && !String.valueOf(found.getValue()).isBlank()) {
                    return Optional.of("the property '" + property + "'"
                            + (found.getOrigin() != null ? " (" + found.getOrigin() + ")" : ""));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The {@code openinsure.db.*} properties that can answer an SDK key, most specific first:
     * {@code OI_DB_POLICIES_POOL_MAX_SIZE} → {@code openinsure.db.policies.pool.max-size},
     * {@code openinsure.db.defaults.pool.max-size}; {@code OI_DB_URL} → {@code openinsure.db.url}. Empty for keys
     * the SDK does not know.
     */
    static List<String> propertyNames(String key) {
        String prefix = OpenInsureDbProperties.PREFIX + ".";
        for (Setting<?> setting : Settings.all()) {
            if (setting.scope() == Setting.Scope.GLOBAL && setting.name().equals(key)) {
                return List.of(prefix + path(setting));
            }
        }
        for (Keyspace keyspace : Keyspace.values()) {
            String binding = keyspace.bindingName();
            for (Setting<?> setting : Settings.all()) {
                if (setting.scope() == Setting.Scope.BINDING
                        && setting.key(binding).equals(key)) {
                    String path = path(setting);
                    return isSharable(setting)
                            ? List.of(prefix + binding + "." + path, prefix + "defaults." + path)
                            : List.of(prefix + binding + "." + path);
                }
            }
        }
        return List.of();
    }

    /**
     * The property path of a setting below {@code openinsure.db.<binding>.} (or below {@code openinsure.db.} for a
     * shared one): {@code POOL_MAX_SIZE} → {@code pool.max-size}, {@code MAX_ROWS} → {@code max-rows},
     * {@code OI_DB_URL} → {@code url}, {@code DATABASE_URL} → {@code database-url}.
     */
    static String path(Setting<?> setting) {
        if (setting == Settings.SHARED_URL) {
            return "url";
        }
        String name = setting.name().toLowerCase(Locale.ROOT);
        for (String group : GROUPS) {
            if (name.startsWith(group + "_")) {
                return group + "." + name.substring(group.length() + 1).replace('_', '-');
            }
        }
        return name.replace('_', '-');
    }

    /** Whether a binding setting may also be given once for all bindings (everything but the connection strings). */
    static boolean isSharable(Setting<?> setting) {
        return setting.scope() == Setting.Scope.BINDING
                && setting != Settings.URL
                && setting != Settings.DIRECT_URL
                && setting != Settings.ADMIN_URL
                && setting != Settings.REPLICA_URL;
    }

    /** Whether {@code resolver} has an {@code openinsure.db.*} connection string or an SDK one (for apps choosing a default). */
    static boolean hasConnectionString(PropertyResolver resolver, ConfigSource sdk) {
        for (Setting<?> setting : Settings.all()) {
            boolean url = setting == Settings.URL
                    || setting == Settings.DIRECT_URL
                    || setting == Settings.SHARED_URL
                    || setting == Settings.DATABASE_URL;
            if (!url) {
                continue;
            }
            if (setting.scope() == Setting.Scope.GLOBAL) {
                if (sdk.get(setting.name()).isPresent()
                        || hasText(resolver, OpenInsureDbProperties.PREFIX + "." + path(setting))) {
                    return true;
                }
                continue;
            }
            for (Keyspace keyspace : Keyspace.values()) {
                String binding = keyspace.bindingName();
                if (sdk.get(setting.key(binding)).isPresent()
                        || hasText(resolver, OpenInsureDbProperties.PREFIX + "." + binding + "." + path(setting))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean hasText(PropertyResolver resolver, String property) {
        String value = resolver.getProperty(property);
        return value != null && !value.isBlank();
    }
}
