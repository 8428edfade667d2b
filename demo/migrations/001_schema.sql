-- Tables for a small billing app. pgwarden flags the table without row-level security,
-- the policy that lets everyone through and the grants that reach every role.
CREATE SCHEMA app;

CREATE TABLE app.accounts (
  id int PRIMARY KEY,
  owner_name text NOT NULL,
  balance numeric NOT NULL DEFAULT 0
);
ALTER TABLE app.accounts ENABLE ROW LEVEL SECURITY;
CREATE POLICY accounts_everyone ON app.accounts USING (true);

CREATE TABLE app.orders (
  id int PRIMARY KEY,
  account_id int NOT NULL REFERENCES app.accounts (id),
  total numeric NOT NULL
);

CREATE TABLE app.countries (code char(2) PRIMARY KEY, name text NOT NULL);

GRANT SELECT ON TABLE app.orders TO PUBLIC;
GRANT ALL ON TABLE app.accounts TO app_rw WITH GRANT OPTION;
