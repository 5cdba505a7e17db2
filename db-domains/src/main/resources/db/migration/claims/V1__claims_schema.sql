-- Keyspace `claims` (database oi_claims): claims, reserves, claim payments, claim events.
-- Conventions: see global/V1__global_schema.sql. policy_id points into keyspace `policies`,
-- org_id into `global`; plain ids checked in application code.

CREATE TABLE claim (
    id               BINARY(16)   NOT NULL,
    claim_number     VARCHAR(32)  NOT NULL,
    policy_id        BINARY(16)   NOT NULL,
    org_id           BINARY(16)   NOT NULL,
    loss_date        DATE         NOT NULL,
    reported_at      DATETIME(6)  NOT NULL,
    status           VARCHAR(32)  NOT NULL,
    description      TEXT         NOT NULL,
    closed_at        DATETIME(6)  NULL,
    idempotency_key  VARCHAR(128) NULL,
    version          INT          NOT NULL DEFAULT 0,
    created_at       DATETIME(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    updated_at       DATETIME(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
    PRIMARY KEY (id),
    UNIQUE KEY uk_claim_number (claim_number),
    UNIQUE KEY uk_claim_idempotency_key (idempotency_key),
    KEY ix_claim_policy (policy_id),
    KEY ix_claim_org_status (org_id, status)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='A claim against a policy, opened by a first notice of loss';

CREATE TABLE reserve (
    id        BINARY(16)    NOT NULL,
    claim_id  BINARY(16)    NOT NULL,
    amount    DECIMAL(19,4) NOT NULL,
    currency  CHAR(3)       NOT NULL,
    set_at    DATETIME(6)   NOT NULL,
    reason    VARCHAR(255)  NOT NULL,
    PRIMARY KEY (id),
    KEY ix_reserve_claim_time (claim_id, set_at),
    CONSTRAINT ck_reserve_amount CHECK (amount >= 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Reserve history of a claim: each row sets a new amount; the latest set_at is current';

CREATE TABLE claim_payment (
    id               BINARY(16)    NOT NULL,
    claim_id         BINARY(16)    NOT NULL,
    amount           DECIMAL(19,4) NOT NULL,
    currency         CHAR(3)       NOT NULL,
    payee            VARCHAR(255)  NOT NULL,
    paid_at          DATETIME(6)   NOT NULL,
    idempotency_key  VARCHAR(128)  NOT NULL,
    created_at       DATETIME(6)   NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    PRIMARY KEY (id),
    UNIQUE KEY uk_claim_payment_idempotency_key (idempotency_key),
    KEY ix_claim_payment_claim (claim_id),
    CONSTRAINT ck_claim_payment_amount CHECK (amount > 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='A payment made on a claim';

CREATE TABLE claim_event (
    id           BINARY(16)  NOT NULL,
    claim_id     BINARY(16)  NOT NULL,
    event_type   VARCHAR(64) NOT NULL,
    payload      JSON        NULL,
    occurred_at  DATETIME(6) NOT NULL,
    PRIMARY KEY (id),
    KEY ix_claim_event_claim_time (claim_id, occurred_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Append-only history of a claim: rows are inserted, never updated or deleted';
