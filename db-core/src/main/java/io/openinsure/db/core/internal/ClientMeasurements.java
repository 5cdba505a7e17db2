package io.openinsure.db.core.internal;

import io.openinsure.db.core.CacheStatus;
import io.openinsure.db.core.ConnectionUnavailableException;
import java.sql.SQLException;
import java.util.concurrent.atomic.LongAdder;

/**
 * Where a client's statements are counted once they end, from jOOQ's path ({@link ExecutionListener}) and the direct
 * typed reads ({@link ClientTypedReads}) alike: the health window ({@link HealthTracker}), the totals of the report
 * and the meters ({@link ClientMetrics}). A statement that lost its connection is a connection failure of the
 * endpoint ({@link EndpointFailover}), not a statement. Thread-safe.
 */
final class ClientMeasurements {

    private final HealthTracker tracker;
    private final ClientMetrics metrics;
    private final EndpointFailover endpoints;
    private final LongAdder failedStatements = new LongAdder();

    ClientMeasurements(HealthTracker tracker, ClientMetrics metrics, EndpointFailover endpoints) {
        this.tracker = tracker;
        this.metrics = metrics;
        this.endpoints = endpoints;
    }

    /** Whether {@code e} means the connection was lost during the statement (SQL state {@code 08…}). */
    static boolean lostConnection(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("08");
    }

    /** A statement ran to its end. */
    void succeeded(Execution execution) {
        statement(execution, System.nanoTime() - execution.startNanos, false);
    }

    /** A statement failed on the server (an SQL error or a timeout). */
    void failed(Execution execution) {
        statement(execution, System.nanoTime() - execution.startNanos, true);
        metrics.error("sql");
    }

    /** A statement was refused client-side (a rule or a limit): not the server's fault, not in the error rate. */
    void refused() {
        metrics.error("refused");
    }

    /** A statement lost its connection: recorded against the endpoint; returns the exception to throw instead. */
    ConnectionUnavailableException connectionLost(SQLException e) {
        return connectionLost(null, e);
    }

    /**
     * A statement lost its connection: recorded against the endpoint that served {@code execution} (the active one when
     * unknown or {@code null}); returns the exception to throw instead.
     */
    ConnectionUnavailableException connectionLost(Execution execution, SQLException e) {
        metrics.error("connection");
        return endpoints.connectionLost(execution == null ? null : execution.endpoint, e);
    }

    private void statement(Execution execution, long nanos, boolean failed) {
        if (execution.endpoint != null && execution.endpoint == endpoints.replica()) {
            endpoints.replicaStatement(nanos, failed);
        }
        statement(nanos, failed, execution.status());
    }

    private void statement(long nanos, boolean failed, CacheStatus status) {
        if (failed) {
            failedStatements.increment();
        }
        tracker.statement(nanos, failed);
        metrics.statement(nanos, failed, status);
    }

    /** Counted by the health tracker, which records every statement once (one shared counter less per statement). */
    long statements() {
        return tracker.recorded();
    }

    long failedStatements() {
        return failedStatements.sum();
    }
}
