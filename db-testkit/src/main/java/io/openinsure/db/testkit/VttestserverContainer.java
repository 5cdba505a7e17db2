package io.openinsure.db.testkit;

import com.github.dockerjava.api.command.InspectContainerResponse;
import io.openinsure.db.core.ConfigSource;
import io.openinsure.db.core.DatabaseUrl;
import io.openinsure.db.core.DatabaseUrl.TabletType;
import io.openinsure.db.domains.Keyspace;
import io.openinsure.db.domains.Migrator;
import io.openinsure.db.domains.OpenInsureDb;
import io.openinsure.db.domains.RoutingRules;
import io.openinsure.db.testkit.internal.AdminConnections;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.ContainerLaunchException;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.output.Slf4jLogConsumer;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

/**
 * vttestserver (vtcombo: vtgate, vtctld and the vttablets, over MySQL 8.0) with the OpenInsure
 * topology, for tests: the legacy keyspace {@code openinsure} and the five {@code oi_*} keyspaces, one
 * shard each, as {@code vitess-local/docker-compose.yml} runs it. Testcontainers has no Vitess module;
 * this is a plain {@link GenericContainer}.
 *
 * <p>Starting it (about a minute on a warm machine, plus the image pull the first time):
 * <ol>
 *   <li>vttestserver starts with {@code KEYSPACES}, {@code NUM_SHARDS}, and each keyspace's VSchema
 *       copied from {@code vitess-local/vschema/<keyspace>/vschema.json} (packaged in this jar) to
 *       {@code /vt/schema/<keyspace>/vschema.json}, where the image reads it;</li>
 *   <li>once vtgate serves every keyspace, the SDK's Flyway migrations run per keyspace through vtgate
 *       ({@link Migrator} over {@code vitess://…/<keyspace>@primary} admin URLs);</li>
 *   <li>the routing rules ({@code vitess-local/routing_rules.json}, packaged in db-domains) are applied
 *       with {@code vtctldclient ApplyRoutingRules} from a one-shot {@code vitess/vtctldclient} container of
 *       the same version on the same Docker network (the vttestserver image has no vtctldclient and no
 *       flag for routing rules), and the container waits until vtgate routes a legacy table.</li>
 * </ol>
 * Then {@link #url(Keyspace)} hands out {@code vitess://root@host:port/<keyspace>} bindings (vttestserver
 * accepts any user; it runs with {@code mysql_auth_server_impl none}).
 *
 * <p>{@link #shared()} keeps one per JVM; Testcontainers removes it when the JVM exits. Needs a Docker
 * engine: see {@link VitessBackend} for how tests skip without one.
 */
public class VttestserverContainer extends GenericContainer<VttestserverContainer> {

    /** The image, pinned: vtgate's MySQL 8.0 flavour, as PlanetScale runs MySQL 8.0. Same tag as vitess-local/docker-compose.yml. */
    public static final String DEFAULT_IMAGE = "vitess/vttestserver:v22.0.2-mysql80";
    /** The vtctldclient image of the same Vitess release, for {@code ApplyRoutingRules}. */
    public static final String VTCTLDCLIENT_IMAGE = "vitess/vtctldclient:v22.0.2";

    /** vttestserver's {@code PORT}: vtcombo's HTTP port. */
    public static final int BASE_PORT = 33574;
    /** vtcombo's gRPC port (vtctld and vtgate services): {@code PORT + 1}. */
    public static final int GRPC_PORT = BASE_PORT + 1;
    /** vtgate's MySQL protocol port: {@code PORT + 3}. */
    public static final int MYSQL_PORT = BASE_PORT + 3;
    /** The container's name on its Docker network, for vtctldclient. */
    public static final String NETWORK_ALIAS = "vttestserver";
    /** Where vttestserver reads {@code <keyspace>/vschema.json}. */
    public static final String SCHEMA_DIR = "/vt/schema";
    /** Where the VSchemas are packaged in this jar: {@code <keyspace>/vschema.json} below it. */
    public static final String VSCHEMA_RESOURCES = "/io/openinsure/db/testkit/vitess/vschema/";

    private static final Logger LOG = LoggerFactory.getLogger(VttestserverContainer.class);
    private static final String USER = "root";
    private static VttestserverContainer shared;
    private static RuntimeException sharedFailure;

    private Duration readyTimeout = Duration.ofMinutes(3);

    /** vttestserver from {@link #DEFAULT_IMAGE}. */
    public VttestserverContainer() {
        this(DEFAULT_IMAGE);
    }

    /** vttestserver from another image of the same layout (e.g. a mirror of {@link #DEFAULT_IMAGE}). */
    public VttestserverContainer(String image) {
        super(DockerImageName.parse(image));
        withNetwork(Network.newNetwork());
        withNetworkAliases(NETWORK_ALIAS);
        withEnv(environment());
        withExposedPorts(MYSQL_PORT, GRPC_PORT);
        for (Keyspace k : keyspaces()) {
            withCopyToContainer(
                    Transferable.of(resource(VSCHEMA_RESOURCES + k.database() + "/vschema.json"), 0644),
                    SCHEMA_DIR + "/" + k.database() + "/vschema.json");
        }
        waitingFor(Wait.forListeningPort().withStartupTimeout(Duration.ofMinutes(5)));
        withLogConsumer(new Slf4jLogConsumer(LOG).withSeparateOutputStreams());
    }

    /** The keyspaces in {@code KEYSPACES} order: the legacy one first, then the five of the SDK. */
    public static List<Keyspace> keyspaces() {
        List<Keyspace> all = new ArrayList<>();
        all.add(Keyspace.LEGACY);
        Arrays.stream(Keyspace.values()).filter(k -> k != Keyspace.LEGACY).forEach(all::add);
        return List.copyOf(all);
    }

    /** The container's environment, as {@code vitess-local/docker-compose.yml} sets it. */
    public static Map<String, String> environment() {
        return Map.of(
                "PORT",
                String.valueOf(BASE_PORT),
                "KEYSPACES",
                keyspaces().stream().map(Keyspace::database).collect(Collectors.joining(",")),
                "NUM_SHARDS",
                keyspaces().stream().map(k -> "1").collect(Collectors.joining(",")),
                "MYSQL_BIND_HOST",
                "0.0.0.0",
                "VTCOMBO_BIND_HOST",
                "0.0.0.0",
                "MYSQL_MAX_CONNECTIONS",
                "1000");
    }

    /** How long to wait for vtgate to serve every keyspace and to route legacy tables (default 3 minutes). */
    public VttestserverContainer withReadyTimeout(Duration timeout) {
        this.readyTimeout = timeout;
        return self();
    }

    /**
     * The JVM's vttestserver, started (and migrated, and routed) on first call. A failed start is
     * remembered: later calls rethrow it instead of starting another container.
     */
    public static synchronized VttestserverContainer shared() {
        if (sharedFailure != null) {
            throw new IllegalStateException(
                    "vttestserver did not start earlier in this JVM: " + sharedFailure.getMessage(), sharedFailure);
        }
        if (shared == null) {
            VttestserverContainer container = new VttestserverContainer();
            try {
                container.start();
            } catch (RuntimeException e) {
                sharedFailure = e;
                throw e;
            }
            shared = container;
        }
        return shared;
    }

    /** {@code vitess://root@host:port/<keyspace>}: the keyspace's primary through vtgate. */
    public String url(Keyspace keyspace) {
        return "vitess://" + USER + "@" + getHost() + ":" + getMappedPort(MYSQL_PORT) + "/" + keyspace.database();
    }

    /** {@code vitess://root@host:port/<keyspace>@<tablet>}: vttestserver runs a primary, a replica and an rdonly tablet per shard. */
    public String url(Keyspace keyspace, TabletType tablet) {
        return url(keyspace) + "@" + tablet.name().toLowerCase(Locale.ROOT);
    }

    /** vtgate's MySQL port as seen from the host. */
    public int vtgatePort() {
        return getMappedPort(MYSQL_PORT);
    }

    @Override
    protected void containerIsStarted(InspectContainerResponse info) {
        super.containerIsStarted(info);
        long t0 = System.nanoTime();
        awaitKeyspacesServing();
        migrate();
        applyRoutingRules();
        awaitLegacyRouting();
        LOG.info(
                "vttestserver ready at {}:{} ({} keyspaces migrated and routed) in {} ms",
                getHost(),
                vtgatePort(),
                keyspaces().size(),
                (System.nanoTime() - t0) / 1_000_000);
    }

    /** Until {@code SHOW TABLES} answers in every keyspace: vtgate is up and each keyspace's primary tablet serves. */
    private void awaitKeyspacesServing() {
        for (Keyspace k : keyspaces()) {
            retry("vtgate to serve keyspace " + k.database(), () -> {
                try (Connection c = AdminConnections.open(DatabaseUrl.parse(url(k)));
                        Statement st = c.createStatement()) {
                    st.executeQuery("SHOW TABLES").close();
                }
            });
        }
    }

    private void migrate() {
        OpenInsureDb.Builder builder = OpenInsureDb.builder().configSource(ConfigSource.empty());
        for (Keyspace k : keyspaces()) {
            builder.binding(k, b -> b.url(url(k)).adminUrl(url(k, TabletType.PRIMARY)));
        }
        Map<Keyspace, Integer> applied = Migrator.migrate(builder.resolve());
        LOG.info("vttestserver migrations applied through vtgate: {}", applied);
    }

    private void applyRoutingRules() {
        byte[] rules = resource(RoutingRules.RESOURCE);
        String rulesFile = "/rules/routing_rules.json";
        retry("vtctldclient ApplyRoutingRules", () -> {
            try (GenericContainer<?> vtctldclient = new GenericContainer<>(DockerImageName.parse(VTCTLDCLIENT_IMAGE))
                    .withNetwork(getNetwork())
                    .withCopyToContainer(Transferable.of(rules, 0644), rulesFile)
                    .withCommand(
                            "vtctldclient",
                            "--server",
                            NETWORK_ALIAS + ":" + GRPC_PORT,
                            "ApplyRoutingRules",
                            "--rules-file=" + rulesFile)
                    .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(Duration.ofMinutes(2)))) {
                try {
                    vtctldclient.start();
                } catch (ContainerLaunchException e) {
                    throw new IllegalStateException(
                            "vtctldclient ApplyRoutingRules failed: " + vtctldclient.getLogs(), e);
                }
            }
        });
    }

    /** Until vtgate routes a legacy table name ({@code openinsure.organization} to {@code oi_global}): vtgate reloads rules asynchronously. */
    private void awaitLegacyRouting() {
        retry("vtgate to route legacy tables by routing_rules.json", () -> {
            try (Connection c = AdminConnections.open(DatabaseUrl.parse(url(Keyspace.LEGACY)));
                    Statement st = c.createStatement()) {
                st.executeQuery("SELECT COUNT(*) FROM organization").close();
            }
        });
    }

    private interface Attempt {
        void run() throws SQLException;
    }

    private void retry(String what, Attempt attempt) {
        long deadline = System.nanoTime() + readyTimeout.toNanos();
        RuntimeException lastRuntime = null;
        SQLException lastSql = null;
        while (System.nanoTime() < deadline) {
            try {
                attempt.run();
                return;
            } catch (SQLException e) {
                lastSql = e;
            } catch (RuntimeException e) {
                lastRuntime = e;
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
        }
        Exception last = lastSql != null ? lastSql : lastRuntime;
        throw new IllegalStateException(
                "vttestserver (" + getDockerImageName() + "): timed out after " + readyTimeout.toSeconds()
                        + " s waiting for " + what + (last == null ? "" : ": " + last.getMessage()),
                last);
    }

    /** A resource of this jar (VSchemas, routing rules), read whole. */
    static byte[] resource(String path) {
        try (InputStream in = VttestserverContainer.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing from the class path: " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + path, e);
        }
    }
}
