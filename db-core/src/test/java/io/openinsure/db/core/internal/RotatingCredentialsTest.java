package io.openinsure.db.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import io.openinsure.db.core.BindingConfig;
import io.openinsure.db.core.CircuitOpenException;
import io.openinsure.db.core.ConnectionUnavailableException;
import io.openinsure.db.core.CredentialsProvider;
import io.openinsure.db.core.CredentialsProvider.Credentials;
import io.openinsure.db.core.DatabaseReport;
import io.openinsure.db.core.KeyspaceClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * Credentials that rotate while the client runs, on the embedded MariaDB: the user's password is changed with
 * {@code ALTER USER} under load while the pool keeps opening new connections (its connections are retired every
 * 50 ms). Every password is a sentinel; no log line (at DEBUG, HikariCP's included), exception or report may show any part of it.
 */
@Timeout(120)
class RotatingCredentialsTest {

    private static final String USER = "oi_rotating";
    private static final String SECRET_MARK = "Sntl9q";
    private static int generation;

    private final List<String> texts = new CopyOnWriteArrayList<>();
    private ServerFixture.Logs logs;
    private Level rootLevel;
    private Level hikariLevel;

    private static String password(int n) {
        return SECRET_MARK + "-pw-" + n + "-" + Long.toHexString(System.nanoTime());
    }

    private static void setPassword(String password) {
        ServerFixture.mariaDb(
                "ALTER USER '" + USER + "'@'127.0.0.1' IDENTIFIED BY '" + password + "'",
                "ALTER USER '" + USER + "'@'localhost' IDENTIFIED BY '" + password + "'");
    }

    @BeforeEach
    void userWithAFirstPassword() {
        ServerFixture.healthDatabase();
        List<String> setup = new ArrayList<>();
        for (String host : List.of("127.0.0.1", "localhost")) {
            setup.add("CREATE USER IF NOT EXISTS '" + USER + "'@'" + host + "' IDENTIFIED BY 'x'");
            setup.add("GRANT ALL ON " + ServerFixture.HEALTH_DATABASE + ".* TO '" + USER + "'@'" + host + "'");
        }
        ServerFixture.mariaDb(setup.toArray(String[]::new));
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger hikari = (Logger) LoggerFactory.getLogger("com.zaxxer.hikari");
        rootLevel = root.getLevel();
        hikariLevel = hikari.getLevel();
        root.setLevel(Level.DEBUG);
        hikari.setLevel(Level.DEBUG);
        logs = new ServerFixture.Logs();
    }

    @AfterEach
    void nothingShowedAPassword() {
        logs.close();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(rootLevel);
        ((Logger) LoggerFactory.getLogger("com.zaxxer.hikari")).setLevel(hikariLevel);
        List<String> all = new ArrayList<>(texts);
        for (ILoggingEvent e : logs.events()) {
            all.add(e.getFormattedMessage());
            if (e.getThrowableProxy() != null) {
                all.add(ThrowableProxyUtil.asString(e.getThrowableProxy()));
            }
        }
        assertThat(logs.events()).as("DEBUG was captured").isNotEmpty();
        for (String text : all) {
            assertThat(text).as("a log line, exception or report").doesNotContain(SECRET_MARK);
        }
    }

    private KeyspaceClient open(String name, CredentialsProvider provider) {
        return KeyspaceClient.open(BindingConfig.builder(name)
                .url("mysql://127.0.0.1:" + ServerFixture.mariaDb().port() + "/" + ServerFixture.HEALTH_DATABASE)
                .credentialsProvider(provider)
                .maxPoolSize(4)
                .minIdle(0)
                .connectionTimeout(Duration.ofSeconds(1))
                .circuitProbeInterval(Duration.ofMillis(200))
                .cacheEnabled(false)
                .build());
    }

    /** Readers that record each failure with the time its request started; a churner that retires connections. */
    private final class Load implements AutoCloseable {
        final List<Long> failedRequestStarts = new CopyOnWriteArrayList<>();
        final AtomicInteger ok = new AtomicInteger();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Thread> threads = new ArrayList<>();

        Load(KeyspaceClient client) {
            for (int i = 0; i < 4; i++) {
                threads.add(started("reader-" + i, () -> {
                    while (running.get()) {
                        long started = System.nanoTime();
                        try {
                            assertThat(client.uncached().fetchValue("SELECT v FROM probe WHERE id = 1"))
                                    .isEqualTo("one");
                            ok.incrementAndGet();
                        } catch (RuntimeException e) {
                            failedRequestStarts.add(started);
                            record(e);
                        }
                    }
                }));
            }
            EndpointFailover endpoints = ((HikariKeyspaceClient) client).endpoints();
            threads.add(started("churn", () -> {
                while (running.get()) {
                    endpoints
                            .pooled()
                            .pool
                            .getHikariPoolMXBean()
                            .softEvictConnections(); // every connection is replaced soon
                    sleep(50);
                }
            }));
        }

        private Thread started(String name, Runnable body) {
            Thread t = new Thread(body, name);
            t.setDaemon(true);
            t.start();
            return t;
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) {
                t.join(10_000);
            }
        }
    }

    private void record(Throwable e) {
        StringWriter w = new StringWriter();
        e.printStackTrace(new PrintWriter(w));
        texts.add(w.toString());
        texts.add(String.valueOf(e));
    }

    @Test
    void noRequestFailsOnceTheProviderReturnsTheNewPassword() throws Exception {
        String first = password(++generation);
        String second = password(++generation);
        setPassword(first);
        AtomicReference<Credentials> store = new AtomicReference<>(new Credentials(USER, first));
        try (KeyspaceClient client = open("rotating", store::get);
                Load load = new Load(client)) {
            sleep(700);
            assertThat(load.failedRequestStarts).as("before the rotation").isEmpty();

            setPassword(second); // the server first: new connections with the first password are refused now
            sleep(300);
            store.set(new Credentials(USER, second));
            long providerAnswersNew = System.nanoTime();
            sleep(2_500);
            load.close();

            assertThat(load.failedRequestStarts)
                    .as("requests started after the provider answered the new password")
                    .allSatisfy(started -> assertThat(started).isLessThan(providerAnswersNew));
            int before = load.ok.get();
            assertThat(before).isPositive();
            assertThat(client.uncached().fetchValue("SELECT v FROM probe WHERE id = 1"))
                    .isEqualTo("one");
            assertThat(client.poolStats().maximum()).isEqualTo(4); // one pool throughout
            texts.add(client.report().toString());
            texts.add(client.health().toString());
            texts.add(client.config().toString());
        }
    }

    @Test
    void aCachingProviderIsAskedOnceMoreAfterARefusalAndTheBorrowRetriedSoNoRequestFails() throws Exception {
        String first = password(++generation);
        String second = password(++generation);
        setPassword(first);
        AtomicReference<Credentials> store = new AtomicReference<>(new Credentials(USER, first));
        AtomicInteger refreshes = new AtomicInteger();
        CredentialsProvider cached = new CredentialsProvider() {
            private volatile Credentials cache = store.get();

            @Override
            public Credentials credentials() {
                return cache; // never looks at the store by itself
            }

            @Override
            public Credentials refresh() {
                refreshes.incrementAndGet();
                cache = store.get();
                return cache;
            }
        };
        try (KeyspaceClient client = open("cachedcreds", cached);
                Load load = new Load(client)) {
            sleep(500);
            store.set(new Credentials(USER, second)); // the secret store rotates, then the database
            setPassword(second);
            sleep(2_500);
            load.close();

            assertThat(load.failedRequestStarts).as("failed requests").isEmpty();
            assertThat(refreshes.get()).isPositive();
            assertThat(load.ok.get()).isPositive();
            assertThat(logs.messages())
                    .anySatisfy(m -> assertThat(m)
                            .isEqualTo("openinsure-db [cachedcreds] 127.0.0.1:"
                                    + ServerFixture.mariaDb().port() + "/" + ServerFixture.HEALTH_DATABASE
                                    + " refused the credentials; the provider gave new ones: retrying once"));
        }
    }

    @Test
    void refusalsThatPersistOpenTheCircuitNamingTheBindingAndTheProbeClosesItWithTheNextCredentials() throws Exception {
        String right = password(++generation);
        String wrong = password(++generation);
        setPassword(right);
        AtomicReference<Credentials> store = new AtomicReference<>(new Credentials(USER, wrong));
        try (KeyspaceClient client = open("refused", store::get)) {
            String server = "127.0.0.1:" + ServerFixture.mariaDb().port() + "/" + ServerFixture.HEALTH_DATABASE;
            for (int i = 0; i < 3; i++) {
                Throwable t = catchThrowable(() -> client.uncached().fetchValue("SELECT 1"));
                assertThat(t)
                        .isInstanceOf(ConnectionUnavailableException.class)
                        .isNotInstanceOf(CircuitOpenException.class);
                assertThat(t.getMessage())
                        .startsWith("Keyspace 'refused': no connection available within 1000 ms (pool oi-refused: ")
                        .contains("the server at " + server + " refused the credentials (Access denied for user '"
                                + USER + "'@");
                record(t);
            }
            Throwable open = catchThrowable(() -> client.uncached().fetchValue("SELECT 1"));
            record(open);
            assertThat(open).isInstanceOf(CircuitOpenException.class);
            assertThat(open.getMessage())
                    .startsWith("Keyspace 'refused': circuit open: " + server + " refused the credentials 3 times "
                            + "in a row (last: the server refused the credentials: Access denied for user '" + USER
                            + "'@")
                    .endsWith(
                            "; failing at once instead of waiting on the pool. Check OI_DB_REFUSED_USER, OI_DB_REFUSED_PASSWORD or "
                                    + "OI_DB_REFUSED_PASSWORD_FILE, or the binding's credentials provider. The client probes the server every "
                                    + "200 ms with the credentials it gives then and closes the circuit when they are accepted.");
            DatabaseReport.ClientReport report = client.report();
            texts.add(report.toString());
            assertThat(report.health().circuit()).isEqualTo("open");

            store.set(new Credentials(USER, right));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!"closed".equals(client.health().circuit())) {
                assertThat(System.nanoTime()).as("the probe closes the circuit").isLessThan(deadline);
                sleep(50);
            }
            assertThat(client.uncached().fetchValue("SELECT v FROM probe WHERE id = 1"))
                    .isEqualTo("one");
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
