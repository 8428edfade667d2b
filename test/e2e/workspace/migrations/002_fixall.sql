-- Saving this file with source.fixAll.pgwarden applies only safe fixes: logging connections
-- again changes nothing the server accepts, so fix-all turns it on. The other fixes can lock
-- a role or an application out (or need a role name chosen), so fix-all leaves them alone.
GRANT SELECT ON TABLE app.orders TO reporting WITH GRANT OPTION;
CREATE ROLE batch_admin SUPERUSER;
GRANT SELECT ON TABLE app.invoices TO PUBLIC;
ALTER SYSTEM SET log_connections = off;
