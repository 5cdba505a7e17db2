-- Keyspace `submissions` (database oi_submissions): submissions, quotes, bind requests.
-- Conventions: see global/V1__global_schema.sql. org_id, program_id and requested_by point into
-- keyspace `global`; they are plain ids checked in application code.

CREATE TABLE submission (
    id                 BINARY(16)   NOT NULL,
    org_id             BINARY(16)   NOT NULL,
    program_id         BINARY(16)   NOT NULL,
    submission_number  VARCHAR(32)  NOT NULL,
    insured_name       VARCHAR(255) NOT NULL,
    insured_state      CHAR(2)      NOT NULL,
    line_of_business   VARCHAR(32)  NOT NULL,
    status             VARCHAR(32)  NOT NULL,
    idempotency_key    VARCHAR(128) NULL,
    version            INT          NOT NULL DEFAULT 0,
    created_at         DATETIME(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    updated_at         DATETIME(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
    PRIMARY KEY (id),
    UNIQUE KEY uk_submission_number (submission_number),
    UNIQUE KEY uk_submission_idempotency_key (idempotency_key),
    KEY ix_submission_org_status (org_id, status),
    KEY ix_submission_program (program_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='A request to insure: who, where, which program';

CREATE TABLE quote (
    id             BINARY(16)    NOT NULL,
    submission_id  BINARY(16)    NOT NULL,
    quote_number   VARCHAR(32)   NOT NULL,
    premium        DECIMAL(19,4) NOT NULL,
    currency       CHAR(3)       NOT NULL,
    rating_inputs  JSON          NULL,
    status         VARCHAR(32)   NOT NULL,
    expires_at     DATETIME(6)   NOT NULL,
    version        INT           NOT NULL DEFAULT 0,
    created_at     DATETIME(6)   NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    updated_at     DATETIME(6)   NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
    PRIMARY KEY (id),
    UNIQUE KEY uk_quote_number (quote_number),
    KEY ix_quote_submission (submission_id),
    CONSTRAINT ck_quote_premium CHECK (premium >= 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='A priced offer for a submission, valid until expires_at (UTC)';

CREATE TABLE bind_request (
    id               BINARY(16)   NOT NULL,
    quote_id         BINARY(16)   NOT NULL,
    submission_id    BINARY(16)   NOT NULL,
    status           VARCHAR(32)  NOT NULL,
    requested_by     BINARY(16)   NOT NULL COMMENT 'app_user.id in keyspace global',
    bound_at         DATETIME(6)  NULL,
    idempotency_key  VARCHAR(128) NOT NULL,
    version          INT          NOT NULL DEFAULT 0,
    created_at       DATETIME(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    updated_at       DATETIME(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
    PRIMARY KEY (id),
    UNIQUE KEY uk_bind_request_idempotency_key (idempotency_key),
    KEY ix_bind_request_quote (quote_id),
    KEY ix_bind_request_submission (submission_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='A request to bind a quote; bound_at is set when the bind succeeds';
