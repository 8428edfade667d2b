import { liveRuleTester, member, role } from './harness';

liveRuleTester('db-predefined-role-member', {
  kind: 'role',
  valid: [
    { name: 'no memberships', snapshot: { roles: [role('alice')] } },
    { name: 'a membership in an ordinary group role', snapshot: { roles: [role('alice'), role('readers', { login: false })], memberships: [member('readers', 'alice')] } },
    {
      name: 'monitoring roles are not on the list: pg_monitor, pg_read_all_settings',
      snapshot: { roles: [role('grafana')], memberships: [member('pg_monitor', 'grafana'), member('pg_read_all_settings', 'grafana')] },
    },
    { name: 'a superuser holds it all anyway', snapshot: { roles: [role('admin', { superuser: true })], memberships: [member('pg_read_server_files', 'admin')] } },
    {
      name: "PostgreSQL's own predefined roles nest by design",
      snapshot: { roles: [role('pg_monitor', { predefined: true, login: false })], memberships: [member('pg_read_all_data', 'pg_monitor')] },
    },
    {
      name: '16+: a grant WITH INHERIT FALSE, SET FALSE and no ADMIN OPTION passes no rights',
      snapshot: { roles: [role('etl')], memberships: [member('pg_read_server_files', 'etl', { inherit: false, set: false })] },
    },
  ],
  invalid: [
    {
      name: 'a login role that can run programs on the server',
      snapshot: { roles: [role('etl')], memberships: [member('pg_execute_server_program', 'etl')] },
      findings: [{ object: 'etl', message: /^Role "etl" is a member of pg_execute_server_program, which lets it run any program on the database server .* Use REVOKE pg_execute_server_program FROM etl and/, fix: 'REVOKE pg_execute_server_program FROM etl;' }],
    },
    {
      name: 'a group role: its members inherit it; a keyword name is quoted',
      snapshot: { roles: [role('user', { login: false }), role('backup')], memberships: [member('pg_read_all_data', 'user'), member('pg_write_server_files', 'backup')] },
      findings: [
        { object: 'user', message: /^Role "user" is a member of pg_read_all_data, which lets it \(and every role that inherits from it\) read every table.* REVOKE pg_read_all_data FROM "user" / },
        { object: 'backup', message: /member of pg_write_server_files, which lets it write any file/ },
      ],
    },
    {
      name: 'a group role names the login roles that hold its rights, through INHERIT or SET, not through a grant with neither',
      snapshot: {
        roles: [role('readers', { login: false }), role('bob'), role('carol'), role('dave'), role('admin', { superuser: true })],
        memberships: [
          member('pg_read_all_data', 'readers'),
          member('readers', 'bob'),
          member('readers', 'carol', { inherit: false }),
          member('readers', 'dave', { inherit: false, set: false }),
          member('readers', 'admin'),
        ],
      },
      findings: [{ object: 'readers', message: /^Role "readers" is a member of pg_read_all_data, which lets it \(and the login roles that hold its rights: bob, carol\) read every table/ }],
    },
    {
      name: 'before 16 the same grant without INHERIT still lets the member SET ROLE',
      snapshot: { serverMajor: 15, roles: [role('etl')], memberships: [member('pg_read_server_files', 'etl', { inherit: false, set: false })] },
      findings: [{ object: 'etl', message: /member of pg_read_server_files/ }],
    },
    {
      name: 'a group with many members names five and counts the rest',
      snapshot: {
        roles: [role('loaders', { login: false }), ...['u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7'].map((n) => role(n))],
        memberships: [member('pg_write_server_files', 'loaders'), ...['u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7'].map((n) => member('loaders', n))],
      },
      findings: [{ object: 'loaders', message: /login roles that hold its rights: u1, u2, u3, u4, u5 and 2 more\)/ }],
    },
    {
      name: 'a severity set in pgwarden.json',
      snapshot: { roles: [role('loader')], memberships: [member('pg_read_server_files', 'loader')] },
      config: { rules: { 'db-predefined-role-member': 'error' } },
      findings: [{ object: 'loader', severity: 'error' }],
    },
  ],
});
