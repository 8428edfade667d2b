-- The audit log table of the seeded database (test/fixtures/seed/insecure.sql): the
-- Findings view opens this statement for the live finding about it.
CREATE TABLE app.audit_log (id bigint PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), entry text);
