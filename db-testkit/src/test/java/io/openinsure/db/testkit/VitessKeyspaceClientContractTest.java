package io.openinsure.db.testkit;

/**
 * Every client meets the contract on Vitess (vttestserver through vtgate). Skipped, with the reason and
 * how to run it, where neither Docker nor a running vtgate ({@code OI_TEST_VITESS_URL}) is available.
 */
@RequiresVitess
class VitessKeyspaceClientContractTest extends KeyspaceClientContract {
    @Override
    protected TestBackend backend() {
        return TestBackend.VITESS;
    }
}
