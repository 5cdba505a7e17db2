package io.openinsure.db.domains;

import static io.openinsure.db.domains.schema.oi_billing.Tables.BILLING_ACCOUNT;
import static io.openinsure.db.domains.schema.oi_billing.Tables.INVOICE;
import static io.openinsure.db.domains.schema.oi_billing.Tables.PAYMENT;
import static io.openinsure.db.domains.schema.oi_claims.Tables.CLAIM;
import static io.openinsure.db.domains.schema.oi_global.Tables.ORGANIZATION;
import static io.openinsure.db.domains.schema.oi_global.Tables.PROGRAM;
import static io.openinsure.db.domains.schema.oi_policies.Tables.POLICY;
import static io.openinsure.db.domains.schema.oi_submissions.Tables.QUOTE;
import static io.openinsure.db.domains.schema.oi_submissions.Tables.SUBMISSION;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.jooq.Record2;
import org.jooq.Result;
import org.jooq.Table;
import org.jooq.TableField;

/**
 * Finds rows whose parent in another keyspace is missing. Keyspaces cannot have foreign keys
 * between them (Vitess cannot enforce them), so references are plain id columns checked in
 * application code; this detector finds what slipped through (a failed flow, a manual fix, a
 * restore of one keyspace).
 *
 * <p>Walks each child table by primary key in pages (keyset pagination, never one huge result),
 * and asks the parent keyspace which of the page's references exist. Read-only. Thread-safe.
 */
public final class OrphanDetector {

    /** Default number of child rows read per query. */
    public static final int DEFAULT_PAGE_SIZE = 1_000;

    /** A reference from a child column to a parent table, possibly in another keyspace. */
    public record Relation(
            Keyspace childKeyspace,
            TableField<?, UUID> childId,
            TableField<?, UUID> reference,
            Keyspace parentKeyspace,
            TableField<?, UUID> parentId) {

        /** E.g. {@code claims.claim.policy_id -> policies.policy.id}. */
        @Override
        public String toString() {
            return childKeyspace.bindingName() + "." + reference.getTable().getName() + "." + reference.getName()
                    + " -> " + parentKeyspace.bindingName() + "."
                    + parentId.getTable().getName() + "." + parentId.getName();
        }
    }

    /** One row whose parent is missing. */
    public record Orphan(Relation relation, UUID childId, UUID missingParentId) {
        @Override
        public String toString() {
            return relation.childKeyspace().bindingName() + "."
                    + relation.childId().getTable().getName() + " " + childId + ": "
                    + relation.reference().getName() + " " + missingParentId + " not found in "
                    + relation.parentKeyspace().bindingName()
                    + "." + relation.parentId().getTable().getName();
        }
    }

    /** The references the OpenInsure schema keeps across (and, without foreign keys, within) keyspaces. */
    public static final List<Relation> RELATIONS = List.of(
            new Relation(Keyspace.GLOBAL, PROGRAM.ID, PROGRAM.ORG_ID, Keyspace.GLOBAL, ORGANIZATION.ID),
            new Relation(Keyspace.SUBMISSIONS, SUBMISSION.ID, SUBMISSION.ORG_ID, Keyspace.GLOBAL, ORGANIZATION.ID),
            new Relation(Keyspace.SUBMISSIONS, SUBMISSION.ID, SUBMISSION.PROGRAM_ID, Keyspace.GLOBAL, PROGRAM.ID),
            new Relation(Keyspace.POLICIES, POLICY.ID, POLICY.ORG_ID, Keyspace.GLOBAL, ORGANIZATION.ID),
            new Relation(Keyspace.POLICIES, POLICY.ID, POLICY.PROGRAM_ID, Keyspace.GLOBAL, PROGRAM.ID),
            new Relation(Keyspace.POLICIES, POLICY.ID, POLICY.QUOTE_ID, Keyspace.SUBMISSIONS, QUOTE.ID),
            new Relation(Keyspace.CLAIMS, CLAIM.ID, CLAIM.POLICY_ID, Keyspace.POLICIES, POLICY.ID),
            new Relation(Keyspace.CLAIMS, CLAIM.ID, CLAIM.ORG_ID, Keyspace.GLOBAL, ORGANIZATION.ID),
            new Relation(Keyspace.BILLING, BILLING_ACCOUNT.ID, BILLING_ACCOUNT.POLICY_ID, Keyspace.POLICIES, POLICY.ID),
            new Relation(Keyspace.BILLING, INVOICE.ID, INVOICE.POLICY_ID, Keyspace.POLICIES, POLICY.ID),
            new Relation(Keyspace.BILLING, PAYMENT.ID, PAYMENT.INVOICE_ID, Keyspace.BILLING, INVOICE.ID));

    private final OpenInsureDb db;
    private final int pageSize;

    public OrphanDetector(OpenInsureDb db) {
        this(db, DEFAULT_PAGE_SIZE);
    }

    public OrphanDetector(OpenInsureDb db, int pageSize) {
        this.db = Objects.requireNonNull(db, "db");
        if (pageSize < 1 || pageSize > 10_000) {
            throw new IllegalArgumentException("pageSize must be between 1 and 10000 but was " + pageSize);
        }
        this.pageSize = pageSize;
    }

    /** Checks every relation in {@link #RELATIONS}. */
    public List<Orphan> scan() {
        List<Orphan> orphans = new ArrayList<>();
        for (Relation r : RELATIONS) {
            orphans.addAll(scan(r));
        }
        return orphans;
    }

    /** Orphans per relation, for reports ({@code relation -> count}); relations without orphans included. */
    public Map<String, Integer> summary() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        RELATIONS.forEach(r -> counts.put(r.toString(), 0));
        scan().forEach(o -> counts.merge(o.relation().toString(), 1, Integer::sum));
        return counts;
    }

    /** Checks one relation. */
    public List<Orphan> scan(Relation relation) {
        List<Orphan> orphans = new ArrayList<>();
        Table<?> child = relation.childId().getTable();
        UUID after = null;
        while (true) {
            var query = db.client(relation.childKeyspace())
                    .dsl()
                    .select(relation.childId(), relation.reference())
                    .from(child)
                    .where(relation.reference().isNotNull());
            Result<Record2<UUID, UUID>> page = (after == null
                            ? query
                            : query.and(relation.childId().gt(after)))
                    .orderBy(relation.childId())
                    .limit(pageSize)
                    .fetch();
            if (page.isEmpty()) {
                return orphans;
            }
            Set<UUID> referenced = new HashSet<>(page.getValues(relation.reference()));
            Set<UUID> present = new HashSet<>(db.client(relation.parentKeyspace())
                    .dsl()
                    .select(relation.parentId())
                    .from(relation.parentId().getTable())
                    .where(relation.parentId().in(referenced))
                    .fetch(relation.parentId()));
            for (Record2<UUID, UUID> row : page) {
                if (!present.contains(row.value2())) {
                    orphans.add(new Orphan(relation, row.value1(), row.value2()));
                }
            }
            after = page.get(page.size() - 1).value1();
        }
    }
}
