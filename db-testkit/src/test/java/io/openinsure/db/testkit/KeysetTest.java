package io.openinsure.db.testkit;

import static io.openinsure.db.domains.schema.oi_claims.Tables.CLAIM_EVENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openinsure.db.core.Keyset;
import io.openinsure.db.domains.ClaimsDb;
import io.openinsure.db.domains.Ids;
import io.openinsure.db.domains.schema.oi_claims.tables.records.ClaimEventRecord;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Keyset paging and chunked writes on a real table. */
@OpenInsureDbTest(backend = TestBackend.DEFAULT)
class KeysetTest {

    @Test
    void walksInsertsAndDeletesInBoundedStatements(ClaimsDb claims) {
        UUID claim = Ids.newId();
        List<ClaimEventRecord> events = new ArrayList<>();
        for (int i = 0; i < 2_345; i++) {
            ClaimEventRecord r = new ClaimEventRecord();
            r.setId(Ids.newId());
            r.setClaimId(claim);
            r.setEventType("E" + i);
            r.setOccurredAt(LocalDateTime.of(2026, 1, 1, 0, 0).plusSeconds(i));
            events.add(r);
        }
        assertThat(Keyset.insertInChunks(claims.dsl(), events, 500)).isEqualTo(2_345);

        List<Integer> pageSizes = new ArrayList<>();
        List<UUID> seen = new ArrayList<>();
        long rows = Keyset.forEachPage(
                claims.dsl(), CLAIM_EVENT, CLAIM_EVENT.ID, CLAIM_EVENT.CLAIM_ID.eq(claim), 400, page -> {
                    pageSizes.add(page.size());
                    seen.addAll(page.getValues(CLAIM_EVENT.ID));
                });
        assertThat(rows).isEqualTo(2_345);
        assertThat(pageSizes).containsExactly(400, 400, 400, 400, 400, 345);
        assertThat(seen)
                .doesNotHaveDuplicates()
                .isSorted()
                .containsExactlyElementsOf(
                        events.stream().map(ClaimEventRecord::getId).toList());

        assertThat(Keyset.deleteInChunks(
                        claims.dsl(), CLAIM_EVENT, CLAIM_EVENT.ID, CLAIM_EVENT.CLAIM_ID.eq(claim), 1_000))
                .isEqualTo(2_345);
        assertThat(claims.dsl().fetchCount(CLAIM_EVENT, CLAIM_EVENT.CLAIM_ID.eq(claim)))
                .isZero();
    }

    @Test
    void pageAndChunkSizesAreBounded(ClaimsDb claims) {
        assertThatThrownBy(() -> Keyset.forEachPage(claims.dsl(), CLAIM_EVENT, CLAIM_EVENT.ID, null, 0, p -> {}))
                .hasMessage("pageSize must be between 1 and 100000 but was 0");
        assertThatThrownBy(() -> Keyset.insertInChunks(claims.dsl(), List.of(), 100_001))
                .hasMessage("chunkSize must be between 1 and 100000 but was 100001");
    }
}
