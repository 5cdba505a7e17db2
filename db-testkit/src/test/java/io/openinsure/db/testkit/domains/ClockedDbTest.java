package io.openinsure.db.testkit.domains;

import io.openinsure.db.domains.Ids;
import io.openinsure.db.domains.OpenInsureDb;
import io.openinsure.db.testkit.domains.DomainTestSupport.TestClock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A test with its own {@link OpenInsureDb} per test method on the embedded MariaDB, whose clients read
 * {@link #clock}, and a fresh organization and program id, so no test sees another's rows.
 */
abstract class ClockedDbTest {

    /** {@link DomainTestSupport#START} as the UTC {@code DATETIME(6)} value rows record. */
    static final LocalDateTime NOW = LocalDateTime.ofInstant(DomainTestSupport.START, ZoneOffset.UTC);

    TestClock clock;
    OpenInsureDb db;
    UUID orgId;
    UUID programId;

    @BeforeEach
    void openDb() {
        clock = new TestClock(DomainTestSupport.START);
        db = DomainTestSupport.open(clock);
        orgId = Ids.newId();
        programId = Ids.newId();
    }

    @AfterEach
    void closeDb() {
        db.close();
    }

    static String key() {
        return "key-" + UUID.randomUUID();
    }
}
