import { liveRuleTester, member, role } from './harness';

// The harness's snapshot always holds the bootstrap superuser "postgres" (login, BYPASSRLS).
liveRuleTester('db-role-escalation', {
  kind: 'role',
  valid: [
    { name: 'no memberships', snapshot: { roles: [role('postgres', { oid: 10, superuser: true }), role('alice')] } },
    {
      name: 'an ordinary group chain ending nowhere privileged',
      snapshot: { roles: [role('postgres', { oid: 10, superuser: true }), role('alice'), role('readers', { login: false })], memberships: [member('readers', 'alice')] },
    },
    {
      name: '16+: INHERIT without SET never passes SUPERUSER (attributes are not inherited)',
      snapshot: { roles: [role('postgres', { oid: 10, superuser: true }), role('alice')], memberships: [member('postgres', 'alice', { set: false })] },
    },
    {
      name: '16+: SET must hold on every grant of the chain',
      snapshot: {
        roles: [role('postgres', { oid: 10, superuser: true }), role('alice'), role('ops', { login: false })],
        memberships: [member('ops', 'alice', { set: false }), member('postgres', 'ops')],
      },
    },
    {
      name: 'a role that cannot log in is not reported (its login members are)',
      snapshot: { roles: [role('postgres', { oid: 10, superuser: true }), role('ops', { login: false })], memberships: [member('postgres', 'ops')] },
    },
    {
      name: 'a superuser member of a superuser',
      snapshot: { roles: [role('postgres', { oid: 10, superuser: true }), role('dba', { superuser: true })], memberships: [member('postgres', 'dba')] },
    },
    {
      name: '16+: CREATEROLE alone reaches only the roles it administers',
      snapshot: { roles: [role('postgres', { oid: 10, superuser: true }), role('mgr', { createrole: true }), role('rls_admin', { bypassrls: true, login: false })] },
    },
    {
      name: 'ADMIN OPTION on a superuser role reaches nothing: only a superuser may grant a superuser role',
      snapshot: { roles: [role('postgres', { oid: 10, superuser: true }), role('alice')], memberships: [member('postgres', 'alice', { set: false, inherit: false, admin: true })] },
    },
    {
      name: 'a BYPASSRLS login role is not told it can reach another BYPASSRLS role (db-bypassrls reports it)',
      snapshot: {
        roles: [role('postgres', { oid: 10, superuser: true }), role('etl', { bypassrls: true }), role('rls_admin', { bypassrls: true, login: false })],
        memberships: [member('rls_admin', 'etl')],
      },
    },
  ],
  invalid: [
    {
      name: 'a login role that may SET ROLE to a superuser through a group; the path is shown',
      snapshot: {
        roles: [role('postgres', { oid: 10, superuser: true }), role('alice'), role('ops', { login: false })],
        memberships: [member('ops', 'alice'), member('postgres', 'ops')],
      },
      findings: [
        {
          object: 'alice',
          message:
            /^Login role "alice" can act as superuser "postgres": alice -> ops \(SET ROLE\) -> postgres \(SET ROLE\)\. Unless "alice" is meant to administer the server, cut the path: REVOKE ops FROM alice, or grant it again WITH SET FALSE\.$/,
        },
      ],
    },
    {
      name: 'before 16 SET ROLE follows any chain, whatever INHERIT says',
      snapshot: {
        serverMajor: 15,
        roles: [role('postgres', { oid: 10, superuser: true }), role('alice', { inherit: false }), role('ops', { login: false })],
        memberships: [member('ops', 'alice', { inherit: false, set: false }), member('postgres', 'ops', { set: false })],
      },
      findings: [{ object: 'alice', message: /alice -> ops \(SET ROLE\) -> postgres \(SET ROLE\)\. .* cut the path: REVOKE ops FROM alice\.$/ }],
    },
    {
      name: 'ADMIN OPTION on a BYPASSRLS role: the member can grant it to itself',
      snapshot: {
        roles: [role('postgres', { oid: 10, superuser: true }), role('alice'), role('rls_admin', { login: false, bypassrls: true })],
        memberships: [member('rls_admin', 'alice', { set: false, inherit: false, admin: true })],
      },
      findings: [{ object: 'alice', message: /alice -> rls_admin \(ADMIN OPTION: may grant it to itself\)\. .*REVOKE rls_admin FROM alice, or grant it again without ADMIN OPTION\.$/ }],
    },
    {
      name: 'an ADMIN OPTION held by an inherited group is usable by its members',
      snapshot: {
        roles: [role('postgres', { oid: 10, superuser: true }), role('alice'), role('granters', { login: false }), role('rls_admin', { login: false, bypassrls: true })],
        memberships: [member('granters', 'alice', { set: false }), member('rls_admin', 'granters', { set: false, inherit: false, admin: true })],
      },
      findings: [{ object: 'alice', message: /alice -> granters \(inherits\) -> rls_admin \(ADMIN OPTION: may grant it to itself\)/ }],
    },
    {
      name: 'a BYPASSRLS role reached when no superuser is',
      snapshot: {
        roles: [role('postgres', { oid: 10, superuser: true }), role('app'), role('rls_admin', { login: false, bypassrls: true })],
        memberships: [member('rls_admin', 'app')],
      },
      findings: [{ object: 'app', message: /^Login role "app" can act as "rls_admin", which has BYPASSRLS: app -> rls_admin \(SET ROLE\)\. Unless "app" is meant to bypass row-level security/ }],
    },
    {
      name: 'before 16 CREATEROLE may grant itself a BYPASSRLS role',
      snapshot: { serverMajor: 15, roles: [role('postgres', { oid: 10, superuser: true }), role('mgr', { createrole: true }), role('rls_admin', { bypassrls: true, login: false })] },
      findings: [{ object: 'mgr', message: /mgr -> rls_admin \(CREATEROLE before 16: may grant itself any non-superuser role\)\. .*ALTER ROLE mgr NOCREATEROLE/ }],
    },
    {
      name: 'before 16 CREATEROLE reaches a superuser through a group that may SET ROLE to it',
      snapshot: {
        serverMajor: 15,
        roles: [role('postgres', { oid: 10, superuser: true }), role('mgr', { createrole: true }), role('ops', { login: false })],
        memberships: [member('postgres', 'ops')],
      },
      findings: [{ object: 'mgr', message: /superuser "postgres": mgr -> ops \(CREATEROLE before 16.*\) -> postgres \(SET ROLE\)/ }],
    },
    {
      name: 'the shortest path, one finding per login role, quoted names in the fix',
      snapshot: {
        roles: [role('postgres', { oid: 10, superuser: true }), role('user'), role('a', { login: false }), role('b', { login: false }), role('c', { login: false })],
        memberships: [member('a', 'user'), member('b', 'a'), member('postgres', 'b'), member('c', 'user'), member('postgres', 'c')],
      },
      findings: [{ object: 'user', message: /user -> c \(SET ROLE\) -> postgres \(SET ROLE\)\. .*REVOKE c FROM "user"/ }],
    },
  ],
});
