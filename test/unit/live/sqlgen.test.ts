// The REVOKE text offered to the user: quoted identifiers, one alternative per way to
// remove the privilege. Pure.

import assert from 'node:assert/strict';
import { revokeEffective, revokeObjectPrivilege } from '../../../server/src/db';

describe('db: generated REVOKE statements', () => {
  it('a direct grant: one REVOKE from the role', () => {
    assert.deepEqual(revokeEffective('alice', { schema: 'app', table: 'secrets', privilege: 'SELECT', via: [] }), ['REVOKE SELECT ON "app"."secrets" FROM "alice";']);
  });

  it('through memberships: revoke from the grantee, or end the first membership', () => {
    assert.deepEqual(revokeEffective('alice', { schema: 'app', table: 'orders', privilege: 'SELECT', via: ['app_rw', 'app_reader'] }), [
      '-- Takes SELECT from "app_reader" and all its members:\nREVOKE SELECT ON "app"."orders" FROM "app_reader";',
      `-- Ends "alice"'s membership in "app_rw" (and everything it inherits from there):\nREVOKE "app_rw" FROM "alice";`,
    ]);
  });

  it('through PUBLIC: only the PUBLIC grant can go', () => {
    assert.deepEqual(revokeEffective('bob', { schema: 'public', table: 'settings', privilege: 'UPDATE', via: ['PUBLIC'] }), [
      '-- Takes UPDATE from every role:\nREVOKE UPDATE ON "public"."settings" FROM PUBLIC;',
    ]);
  });

  it('through a predefined role, and for a superuser', () => {
    const pre = revokeEffective('analyst', { schema: 'app', table: 't', privilege: 'SELECT', via: ['pg_read_all_data'] });
    assert.deepEqual(pre, ['-- "pg_read_all_data" holds SELECT on every table.', `-- Ends "analyst"'s membership in "pg_read_all_data" (and everything it inherits from there):\nREVOKE "pg_read_all_data" FROM "analyst";`]);
    assert.match(revokeEffective('root', { schema: 'a', table: 'b', privilege: 'DELETE', via: [] }, true)[0], /ALTER ROLE "root" NOSUPERUSER;$/);
  });

  it('quotes hostile names so they stay names', () => {
    const [sql] = revokeEffective('x"; DROP ROLE y; --', { schema: 'we"ird', table: 'a b', privilege: 'SELECT', via: [] });
    assert.equal(sql, 'REVOKE SELECT ON "we""ird"."a b" FROM "x""; DROP ROLE y; --";');
  });

  // The object arrives in quote_ident form; it is split into its names and every name is
  // re-quoted, the same text the role tree's REVOKE action writes.
  it('object privileges from roleDetails, columns included', () => {
    const base = { grantable: false, grantor: 'o', viaPublic: false };
    assert.equal(revokeObjectPrivilege('alice', { ...base, objectType: 'schema', object: 'app', privilege: 'USAGE' }), 'REVOKE USAGE ON SCHEMA "app" FROM "alice";');
    assert.equal(revokeObjectPrivilege('alice', { ...base, objectType: 'function', object: 'app.f(integer)', privilege: 'EXECUTE', viaPublic: true }), 'REVOKE EXECUTE ON FUNCTION "app"."f"(integer) FROM PUBLIC;');
    assert.equal(revokeObjectPrivilege('alice', { ...base, objectType: 'column', object: 'app."t.x"."a.b"', privilege: 'SELECT' }), 'REVOKE SELECT ("a.b") ON TABLE "app"."t.x" FROM "alice";');
    assert.equal(revokeObjectPrivilege('alice', { ...base, objectType: 'default', object: 'on tables in schema app created by o', privilege: 'SELECT' }), undefined);
  });

  it('object privileges: no statement for a name or argument list it will not copy, or an unknown privilege', () => {
    const base = { grantable: false, grantor: 'o', viaPublic: false };
    assert.equal(revokeObjectPrivilege('alice', { ...base, objectType: 'function', object: 'app.f(integer); DROP TABLE t', privilege: 'EXECUTE' }), undefined);
    assert.equal(revokeObjectPrivilege('alice', { ...base, objectType: 'table', object: 'app.t; DROP TABLE t', privilege: 'SELECT' }), undefined);
    assert.equal(revokeObjectPrivilege('alice', { ...base, objectType: 'table', object: 'app."t', privilege: 'SELECT' }), undefined);
    assert.equal(revokeObjectPrivilege('alice', { ...base, objectType: 'table', object: 'app.t', privilege: 'SELECT; DROP TABLE t' }), undefined);
  });
});
