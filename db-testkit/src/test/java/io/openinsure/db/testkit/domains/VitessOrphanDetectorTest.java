package io.openinsure.db.testkit.domains;

import io.openinsure.db.testkit.OpenInsureDbTest;
import io.openinsure.db.testkit.TestBackend;

/**
 * The orphan detector's cross-keyspace scenario on Vitess: the same test, with each keyspace behind
 * vtgate. Skipped, with the reason, where Vitess is not available.
 */
@OpenInsureDbTest(backend = TestBackend.VITESS)
class VitessOrphanDetectorTest extends OrphanDetectorTest {}
