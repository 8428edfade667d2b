-- The first GRANT is suppressed by the comment above it; the second is reported.
-- pgwarden-disable-next-line grant-to-public -- public reference data, reviewed
GRANT SELECT ON TABLE app.countries TO PUBLIC;
GRANT SELECT ON TABLE app.customers TO PUBLIC;
