-- Saving this file with source.fixAll.pgwarden applies every safe fix; the PUBLIC grantee
-- needs a role name the user must choose, so fix-all leaves it alone.
GRANT SELECT ON TABLE app.orders TO reporting WITH GRANT OPTION;
CREATE ROLE batch_admin SUPERUSER;
GRANT SELECT ON TABLE app.invoices TO PUBLIC;
