-- Read access for the dashboards. Hover the GRANT: pgwarden folds the migrations up to it
-- and lists who can read what afterwards, with the login roles that inherit it.
CREATE ROLE reporting NOLOGIN;
CREATE ROLE metabase LOGIN IN ROLE reporting;
CREATE ROLE analyst LOGIN IN ROLE reporting;

GRANT SELECT ON app.orders, app.accounts TO reporting;
