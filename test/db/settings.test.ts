// db-settings on a real server: pg_settings judged by the same judgement as
// postgresql.conf, read as three roles, to show what each may see. The cluster's chosen
// settings sit in postgresql.auto.conf (where the test harness writes them, as ALTER
// SYSTEM does) and in postgresql.conf (appended and reloaded); one postmaster setting is
// changed in the file and waits for a restart (pending_restart).
//
// - an ordinary role sees every row but the superuser-only ones (primary_conninfo,
//   shared_preload_libraries, ...), and no sourcefile/sourceline: the audit lists the
//   hidden settings as skipped and says that the findings cannot name a file;
// - pg_monitor (which includes pg_read_all_settings) sees what a superuser sees;
// - a superuser sees everything, with the server's file and line.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { audit, connect, DbFinding } from '../../server/src/db';
import { startCluster, TestCluster } from '../support/postgres';
import { target } from './helpers';

const AUTO_CONF = [
  "shared_preload_libraries = 'passwordcheck, auth_delay'",
  "log_min_error_statement = 'fatal'",
  "primary_conninfo = 'host=10.0.0.1 user=replicator password=Secret-Rep-1 sslmode=verify-full'",
  "authentication_timeout = '5min'",
  'log_connections = on',
  'log_disconnections = on',
  "log_statement = 'ddl'",
  "idle_in_transaction_session_timeout = '10min'",
  'log_replication_commands = on',
].join('\n');

/** The lines appended to postgresql.conf: a reloadable one, and a restart-only one now pending. */
const FILE_LINES = ['log_hostname = on', 'unix_socket_permissions = 0770'];

const settingFindings = (fs: DbFinding[]) => fs.filter((f) => f.ruleId === 'db-settings');
const objects = (fs: DbFinding[]) => settingFindings(fs).map((f) => f.object).sort();

/** The superuser-only settings the judgement reads (GUC_SUPERUSER_ONLY in guc_tables.c). */
const HIDDEN = ['ssl_min_protocol_version', 'ssl_ciphers', 'ssl_passphrase_command', 'log_directory', 'data_directory', 'primary_conninfo', 'shared_preload_libraries'];

describe('db: db-settings judges pg_settings as each role may see it', function () {
  this.timeout(120_000);
  let c: TestCluster;
  let fileLine: number;
  before(async () => {
    c = await startCluster({ ssl: true, conf: AUTO_CONF });
    const conf = readFileSync(join(c.dataDir, 'postgresql.conf'), 'utf8');
    const text = conf.endsWith('\n') ? conf : conf + '\n';
    fileLine = text.split('\n').length;
    c.writeDataFile('postgresql.conf', text + FILE_LINES.join('\n') + '\n');
    c.reload();
    c.psql(`CREATE ROLE plain LOGIN PASSWORD 'Plain-Settings-1';
            CREATE ROLE monitor LOGIN PASSWORD 'Monitor-Settings-1' IN ROLE pg_monitor;`);
    // The reload is asynchronous: wait until the server shows the file's line.
    for (let i = 0; i < 100 && c.psql(`SELECT setting FROM pg_settings WHERE name = 'log_hostname'`).trim() !== 'on'; i++) await new Promise((r) => setTimeout(r, 50));
  });
  after(() => c?.stop());

  const run = async (user?: { name: string; password: string }) => {
    const s = await connect(target(c.port, user ? { user: user.name } : {}), async () => user?.password ?? c.password);
    try {
      return await audit(s);
    } finally {
      await s.close();
    }
  };

  // What the server runs, whoever looks: the chosen weak values, the defaults the
  // judgement finds weak, and the socket mode still 0777 until a restart.
  const SEEN_BY_ALL = ['authentication_timeout', 'log_hostname', 'log_line_prefix', 'log_min_error_statement', 'unix_socket_permissions'];

  it('as a superuser: every judgement, with the file and line that set the value', async () => {
    const r = await run();
    const found = settingFindings(r.findings);
    const expected = [...SEEN_BY_ALL, 'primary_conninfo', 'ssl_ciphers'];
    if (c.version < 18) expected.push('data_checksums');
    assert.deepEqual(objects(r.findings), expected.sort());
    assert.ok(!r.skipped.some((x) => x.startsWith('db-settings')), r.skipped.join('; '));
    assert.ok(!r.notes.some((x) => x.startsWith('db-settings')), r.notes.join('; '));
    const by = (o: string) => found.find((f) => f.object === o)!;
    const autoLine = readFileSync(join(c.dataDir, 'postgresql.auto.conf'), 'utf8').split('\n').findIndex((l) => l.startsWith('log_min_error_statement')) + 1;
    assert.deepEqual([by('log_min_error_statement').severity, by('log_min_error_statement').file, by('log_min_error_statement').line], ['warning', join(c.dataDir, 'postgresql.auto.conf'), autoLine]);
    assert.match(by('log_min_error_statement').message, new RegExp(`^log_min_error_statement fatal: statements that fail with an error are not logged.* The server's value comes from ALTER SYSTEM \\(.*postgresql\\.auto\\.conf line ${autoLine}\\)\\. \\(the conf-logging judgement\\)$`));
    assert.deepEqual([by('log_hostname').severity, by('log_hostname').file, by('log_hostname').line], ['info', join(c.dataDir, 'postgresql.conf'), fileLine]);
    assert.match(by('unix_socket_permissions').message, /^unix_socket_permissions 0777 .* comes from the built-in default; a changed value waits for a restart \(pending_restart\)\./);
    assert.match(by('primary_conninfo').message, /holds the replication password/);
    assert.ok(!found.some((f) => f.message.includes('Secret-Rep-1')), 'a finding never repeats the password');
    assert.match(by('authentication_timeout').message, /^authentication_timeout 300s/);
    assert.equal(by('ssl_ciphers').severity, 'info');
  });

  it('as pg_monitor (pg_read_all_settings): what the superuser sees', async () => {
    const su = await run();
    const r = await run({ name: 'monitor', password: 'Monitor-Settings-1' });
    assert.deepEqual(objects(r.findings), objects(su.findings));
    assert.deepEqual(settingFindings(r.findings).map((f) => [f.object, f.file, f.line]), settingFindings(su.findings).map((f) => [f.object, f.file, f.line]));
    assert.ok(!r.skipped.some((x) => x.startsWith('db-settings')), r.skipped.join('; '));
  });

  it('as an ordinary role: superuser-only settings and the source files are hidden, and the audit says so', async () => {
    const r = await run({ name: 'plain', password: 'Plain-Settings-1' });
    const expected = [...SEEN_BY_ALL];
    if (c.version < 18) expected.push('data_checksums');
    assert.deepEqual(objects(r.findings), expected.sort());
    assert.ok(settingFindings(r.findings).every((f) => f.file === undefined && f.line === undefined));
    const skipped = r.skipped.filter((x) => x.startsWith('db-settings'));
    assert.deepEqual(skipped, [`db-settings: ${HIDDEN.join(', ')} are visible only to superusers and pg_read_all_settings; their judgements did not run`]);
    assert.ok(r.notes.includes('db-settings findings do not say which file and line set a value: pg_settings shows sourcefile and sourceline only to superusers and pg_read_all_settings'), r.notes.join('; '));
    const min = settingFindings(r.findings).find((f) => f.object === 'log_min_error_statement')!;
    assert.match(min.message, /comes from a configuration file \(which one, and whether it is ALTER SYSTEM's, is visible only to superusers and pg_read_all_settings\)/);
  });
});
