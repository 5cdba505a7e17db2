package io.openinsure.db.testkit;

/** Every client meets the contract on embedded MariaDB. */
class MariaDbKeyspaceClientContractTest extends KeyspaceClientContract {
    @Override
    protected TestBackend backend() {
        return TestBackend.MARIADB;
    }
}
