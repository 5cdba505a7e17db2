package io.openinsure.db.testkit;

/** Every client meets the contract on embedded PostgreSQL. */
class PostgresKeyspaceClientContractTest extends KeyspaceClientContract {
    @Override
    protected TestBackend backend() {
        return TestBackend.POSTGRES;
    }
}
