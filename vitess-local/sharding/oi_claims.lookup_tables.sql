-- Lookup tables behind the secondary vindexes of sharding/oi_claims.sharded.vschema.json.
-- Not applied anywhere yet: this would become the next claims migration (V<n>__claims_lookup_vindexes.sql)
-- in the same deploy that reshards oi_claims; see vitess-local/README.md, "Growth path".
-- Vitess keeps them in step with `claim` itself (consistent_lookup*, owner = claim); the application
-- never writes them. Each is sharded by its `from` column, so a lookup reads one shard.

CREATE TABLE claim_policy_lookup (
    policy_id    BINARY(16)    NOT NULL,
    keyspace_id  VARBINARY(16) NOT NULL,
    PRIMARY KEY (policy_id, keyspace_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='consistent_lookup: policy_id -> keyspace ids of its claims (non-unique)';

CREATE TABLE claim_number_lookup (
    claim_number  VARCHAR(32)   NOT NULL,
    keyspace_id   VARBINARY(16) NOT NULL,
    PRIMARY KEY (claim_number)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='consistent_lookup_unique: claim_number -> keyspace id; keeps uk_claim_number unique across shards';

CREATE TABLE claim_idempotency_lookup (
    idempotency_key  VARCHAR(128)  NOT NULL,
    keyspace_id      VARBINARY(16) NOT NULL,
    PRIMARY KEY (idempotency_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='consistent_lookup_unique (ignore_nulls): claim.idempotency_key -> keyspace id; keeps it unique across shards';
