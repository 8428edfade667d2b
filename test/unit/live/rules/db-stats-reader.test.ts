import { liveRuleTester, member, role } from './harness';

const predefined = [role('pg_read_all_stats', { login: false, predefined: true, oid: 3375 }), role('pg_monitor', { login: false, predefined: true, oid: 3373 })];
const monitorHolds = member('pg_read_all_stats', 'pg_monitor');
const statements = { name: 'pg_stat_statements', schema: 'public', version: '1.11', defaultVersion: '1.11', relocatable: true };

liveRuleTester('db-stats-reader', {
  kind: 'role',
  valid: [
    { name: 'a monitoring agent in pg_monitor', snapshot: { roles: [...predefined, role('postgres_exporter')], memberships: [monitorHolds, member('pg_monitor', 'postgres_exporter')] } },
    { name: 'a role named for what it does', snapshot: { roles: [...predefined, role('datadog')], memberships: [monitorHolds, member('pg_monitor', 'datadog')] } },
    { name: 'a group role (its login members are judged)', snapshot: { roles: [...predefined, role('ops', { login: false })], memberships: [monitorHolds, member('pg_monitor', 'ops')] } },
    { name: 'a superuser reads everything anyway', snapshot: { roles: [...predefined, role('dba', { superuser: true })], memberships: [member('pg_read_all_stats', 'dba')] } },
    { name: 'a 16+ grant with neither INHERIT nor SET passes nothing', snapshot: { roles: [...predefined, role('app')], memberships: [member('pg_read_all_stats', 'app', { inherit: false, set: false })] } },
    { name: 'no pg_read_all_stats role (the snapshot has none)', snapshot: { roles: [role('app')] } },
    { name: 'a CREATEROLE role before 16 could grant it to itself, but holds nothing', snapshot: { serverMajor: 15, roles: [...predefined, role('carol', { createrole: true })] } },
  ],
  invalid: [
    {
      name: 'an application role in pg_monitor, with pg_stat_statements installed',
      snapshot: { roles: [...predefined, role('app'), role('metrics_reader')], memberships: [monitorHolds, member('pg_monitor', 'app'), member('pg_monitor', 'metrics_reader')], extensions: [statements] },
      findings: [
        {
          object: 'app',
          message: /^Login role "app" holds pg_read_all_stats \(app -> pg_monitor -> pg_read_all_stats\), so it reads the text of every role's statements: pg_stat_activity\.query for the sessions now, and pg_stat_statements \(installed here\) .* REVOKE pg_monitor FROM app; if it is, turn this rule off/,
        },
      ],
    },
    {
      name: 'through a group, without pg_stat_statements',
      snapshot: { roles: [...predefined, role('ops', { login: false }), role('alice')], memberships: [member('pg_read_all_stats', 'ops'), member('ops', 'alice')] },
      findings: [{ object: 'alice', message: /\(alice -> ops -> pg_read_all_stats\), so it reads the text of every role's running statements \(pg_stat_activity\.query\), and of every past one once pg_stat_statements is installed.* REVOKE ops FROM alice;/ }],
    },
  ],
});
