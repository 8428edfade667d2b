import { liveRuleTester, emptySnapshot, role } from './harness';

const boot = emptySnapshot().roles[0];

liveRuleTester('db-superuser-login', {
  kind: 'role',
  valid: [
    { name: 'only the bootstrap superuser logs in', snapshot: { roles: [boot, role('alice')] } },
    { name: 'a second superuser that cannot log in', snapshot: { roles: [boot, role('break_glass', { superuser: true, login: false })] } },
  ],
  invalid: [
    {
      name: 'a second login superuser is reported, not the bootstrap one',
      snapshot: { roles: [boot, role('ops_admin', { superuser: true })] },
      findings: [{ object: 'ops_admin', message: /^Role "ops_admin" is a superuser that can log in; 2 superusers can log in \(postgres, ops_admin\)/, fix: 'ALTER ROLE ops_admin NOSUPERUSER;' }],
    },
    {
      name: 'without a login bootstrap superuser, the oldest login superuser is kept',
      snapshot: { roles: [{ ...boot, login: false }, role('a', { superuser: true, oid: 20000 }), role('b', { superuser: true, oid: 20001 }), role('c', { superuser: true, oid: 20002 })] },
      findings: [{ object: 'b' }, { object: 'c' }],
    },
  ],
});
