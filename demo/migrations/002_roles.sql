-- Roles. A second login superuser, a password in the migration and an md5 hash.
CREATE ROLE ops_admin LOGIN SUPERUSER PASSWORD 'demo-ops-admin';
CREATE ROLE legacy LOGIN PASSWORD 'md5adbd8a16ce07f4c5385f43ff39bc54af';
CREATE ROLE etl LOGIN BYPASSRLS;

-- pgwarden-disable-next-line grant-to-public -- the country list is public reference data
GRANT SELECT ON TABLE app.countries TO PUBLIC;
