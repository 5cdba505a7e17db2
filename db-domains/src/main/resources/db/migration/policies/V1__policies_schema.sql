-- Keyspace `policies` (database oi_policies): policies, coverages, endorsements, policy events.
-- Conventions: see global/V1__global_schema.sql. org_id and program_id point into keyspace
-- `global`, submission_id and quote_id into `submissions`; plain ids checked in application code.

CREATE TABLE policy (
    id                    BINARY(16)    NOT NULL,
    policy_number         VARCHAR(32)   NOT NULL,
    org_id                BINARY(16)    NOT NULL,
    program_id            BINARY(16)    NOT NULL,
    insured_name          VARCHAR(255)  NOT NULL,
    status                VARCHAR(32)   NOT NULL,
    effective_date        DATE          NOT NULL,
    expiration_date       DATE          NOT NULL,
    premium               DECIMAL(19,4) NOT NULL,
    currency              CHAR(3)       NOT NULL,
    submission_id         BINARY(16)    NULL COMMENT 'null for a renewal or an imported policy',
    quote_id              BINARY(16)    NULL COMMENT 'the bound quote; one policy per quote',
    renewal_of_policy_id  BINARY(16)    NULL,
    cancellation_date     DATE          NULL,
    cancellation_reason   VARCHAR(255)  NULL,
    idempotency_key       VARCHAR(128)  NULL,
    version               INT           NOT NULL DEFAULT 0,
    created_at            DATETIME(6)   NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    updated_at            DATETIME(6)   NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
    PRIMARY KEY (id),
    UNIQUE KEY uk_policy_number (policy_number),
    UNIQUE KEY uk_policy_quote (quote_id),
    UNIQUE KEY uk_policy_idempotency_key (idempotency_key),
    KEY ix_policy_org_status (org_id, status),
    KEY ix_policy_program (program_id),
    KEY ix_policy_submission (submission_id),
    KEY ix_policy_renewal_of (renewal_of_policy_id),
    CONSTRAINT ck_policy_term CHECK (expiration_date > effective_date),
    CONSTRAINT ck_policy_premium CHECK (premium >= 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='An issued policy; renewal_of_policy_id points at the policy it renews';

CREATE TABLE coverage (
    id             BINARY(16)    NOT NULL,
    policy_id      BINARY(16)    NOT NULL,
    coverage_type  VARCHAR(64)   NOT NULL COMMENT 'coverage_type.code in keyspace global',
    limit_amount   DECIMAL(19,4) NOT NULL,
    deductible     DECIMAL(19,4) NOT NULL DEFAULT 0,
    premium        DECIMAL(19,4) NOT NULL,
    created_at     DATETIME(6)   NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    updated_at     DATETIME(6)   NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
    PRIMARY KEY (id),
    UNIQUE KEY uk_coverage_policy_type (policy_id, coverage_type),
    CONSTRAINT ck_coverage_amounts CHECK (limit_amount >= 0 AND deductible >= 0 AND premium >= 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='A coverage of a policy; amounts are in the currency of the policy';

CREATE TABLE endorsement (
    id                  BINARY(16)    NOT NULL,
    policy_id           BINARY(16)    NOT NULL,
    endorsement_number  INT           NOT NULL COMMENT '1, 2, 3 ... per policy',
    effective_date      DATE          NOT NULL,
    premium_change      DECIMAL(19,4) NOT NULL DEFAULT 0,
    description         TEXT          NOT NULL,
    created_at          DATETIME(6)   NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    PRIMARY KEY (id),
    UNIQUE KEY uk_endorsement_policy_number (policy_id, endorsement_number)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='A mid-term change to a policy; premium_change is in the currency of the policy';

CREATE TABLE policy_event (
    id           BINARY(16)  NOT NULL,
    policy_id    BINARY(16)  NOT NULL,
    event_type   VARCHAR(64) NOT NULL,
    payload      JSON        NULL,
    occurred_at  DATETIME(6) NOT NULL,
    PRIMARY KEY (id),
    KEY ix_policy_event_policy_time (policy_id, occurred_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Append-only history of a policy: rows are inserted, never updated or deleted';
