-- Keyspace `global` (database oi_global): organizations, their users and programs, and the
-- reference data every other keyspace points at by code.
--
-- Conventions for every keyspace (MySQL 8 dialect; runs on MariaDB 11.4 and Vitess/PlanetScale):
--   * ids are application-generated UUIDv7 values in BINARY(16) (io.openinsure.db.domains.Ids);
--     never auto-increment, so a keyspace can be sharded later without Vitess sequences;
--   * no FK constraints, within or across keyspaces: a pointer to another row is a plain
--     BINARY(16) column with an index, and integrity is checked in application code;
--   * money is DECIMAL(19,4) next to a CHAR(3) ISO 4217 currency code;
--   * times are DATETIME(6) holding UTC (clients run with time_zone = '+00:00');
--   * statuses are VARCHAR, not ENUM, so a new status needs no schema change;
--   * mutable aggregates carry `version` for optimistic locking;
--   * no triggers, no stored routines, one statement per CREATE.

CREATE TABLE organization (
    id          BINARY(16)   NOT NULL,
    slug        VARCHAR(63)  NOT NULL,
    name        VARCHAR(255) NOT NULL,
    status      VARCHAR(32)  NOT NULL DEFAULT 'ACTIVE',
    version     INT          NOT NULL DEFAULT 0,
    created_at  DATETIME(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    updated_at  DATETIME(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
    PRIMARY KEY (id),
    UNIQUE KEY uk_organization_slug (slug)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='A customer organization (carrier, MGA, agency) that owns programs and users';

CREATE TABLE app_user (
    id            BINARY(16)   NOT NULL,
    org_id        BINARY(16)   NOT NULL,
    email         VARCHAR(320) NOT NULL,
    display_name  VARCHAR(255) NOT NULL,
    role          VARCHAR(32)  NOT NULL DEFAULT 'MEMBER',
    status        VARCHAR(32)  NOT NULL DEFAULT 'ACTIVE',
    version       INT          NOT NULL DEFAULT 0,
    created_at    DATETIME(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    updated_at    DATETIME(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
    PRIMARY KEY (id),
    UNIQUE KEY uk_app_user_org_email (org_id, email)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='A person who signs in; email is unique per organization';

CREATE TABLE program (
    id                BINARY(16)   NOT NULL,
    org_id            BINARY(16)   NOT NULL,
    code              VARCHAR(64)  NOT NULL,
    name              VARCHAR(255) NOT NULL,
    line_of_business  VARCHAR(32)  NOT NULL,
    states            JSON         NOT NULL,
    status            VARCHAR(32)  NOT NULL DEFAULT 'ACTIVE',
    version           INT          NOT NULL DEFAULT 0,
    created_at        DATETIME(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    updated_at        DATETIME(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
    PRIMARY KEY (id),
    UNIQUE KEY uk_program_org_code (org_id, code),
    KEY ix_program_line_of_business (line_of_business)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='An insurance program of an organization: one line of business, written in the states listed (JSON array of us_state codes)';

CREATE TABLE line_of_business (
    code  VARCHAR(32)  NOT NULL,
    name  VARCHAR(128) NOT NULL,
    PRIMARY KEY (code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Reference data: lines of business';

CREATE TABLE us_state (
    code  CHAR(2)     NOT NULL,
    name  VARCHAR(64) NOT NULL,
    PRIMARY KEY (code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Reference data: US states and DC (USPS codes)';

CREATE TABLE coverage_type (
    code              VARCHAR(64)  NOT NULL,
    line_of_business  VARCHAR(32)  NOT NULL,
    name              VARCHAR(128) NOT NULL,
    PRIMARY KEY (code),
    KEY ix_coverage_type_line_of_business (line_of_business)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Reference data: coverage types, each belonging to one line of business';
