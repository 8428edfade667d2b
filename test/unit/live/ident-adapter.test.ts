// The live pg_ident adapter as a pure function: the server's pg_ident_file_mappings rows
// rebuilt as text for the ident rules, and as maps for the pg_hba rules (records with map=).

import assert from 'node:assert/strict';
import { defaultConfig } from '../../../server/src/core/config';
import { auditHba, auditIdent, HbaRow, identFactsOfRows, identTexts, IdentRow } from '../../../server/src/core/live/hba';

const FILE = '/var/lib/postgresql/data/pg_ident.conf';
const row = (line: number, map: string, sys: string, pg: string, error: string | null = null): IdentRow => ({ line, file: FILE, map, sys, pg, error });
const hbaRow = (line: number, user: string, address: string, options: string[]): HbaRow => ({
  line, file: '/var/lib/postgresql/data/pg_hba.conf', type: 'hostssl', database: ['all'], user: [user], address, netmask: '255.255.255.0', method: 'cert', options, error: null,
});

describe('live pg_ident adapter', () => {
  it('rebuilds each mapping on its own line, quoting what the view unquoted', () => {
    assert.deepEqual([...identTexts([row(2, 'krb', '/^(.*)@EXAMPLE\\.COM$', '\\1'), row(4, 'm', 'alice', 'my role')])], [
      [FILE, '\nkrb "/^(.*)@EXAMPLE\\.COM$" "\\1"\n\nm alice "my role"\n'],
    ]);
  });

  it('runs the ident rules with the server\'s superusers, on the server\'s lines', () => {
    const found = auditIdent([row(1, 'ok', 'alice', 'bob'), row(3, 'admins', '/.*', 'root_admin')], defaultConfig(), undefined, ['root_admin']);
    assert.deepEqual(found.map((f) => [f.ruleId, f.line, f.object, f.objectKind, f.file]), [['ident-any-superuser', 3, 'admins /.* root_admin', 'hba', FILE]]);
  });

  it('gives no maps when a line has an error: the server then has none (or the old ones)', () => {
    assert.equal(identFactsOfRows([row(1, 'm', 'a', 'b'), { ...row(2, 'x', 'y', 'z'), error: 'missing entry at end of line' }]), undefined);
    assert.deepEqual(identFactsOfRows([row(1, 'm', 'a', 'b')]), [{ map: 'm', system: { value: 'a', quoted: false }, pg: { value: 'b', quoted: false } }]);
  });

  it('judges a pg_hba record with map= through the server\'s maps', () => {
    const hba = [hbaRow(1, 'all', '203.0.113.0', ['map=clients']), hbaRow(2, 'all', '198.51.100.0', ['map=admins'])];
    const ident = [row(1, 'clients', '/^(.*)$', 'app_\\1'), row(2, 'admins', 'alice', 'postgres')];
    const remote = (rows?: IdentRow[]) => auditHba(hba, defaultConfig(), undefined, { ident: rows }).filter((f) => f.ruleId === 'hba-superuser-remote').map((f) => f.line);
    assert.deepEqual(remote(ident), [2]);
    // Without the server's maps (before 15, or not readable) both records count.
    assert.deepEqual(remote(undefined), [1, 2]);
  });
});
