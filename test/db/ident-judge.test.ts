// The server is the judge of pg_ident.conf syntax, as it is of pg_hba.conf
// (hba-judge.test.ts): a real PostgreSQL reads our corpus as its pg_ident.conf through
// pg_ident_file_mappings (15+), which parses the file on disk without loading it. Every
// line the server marks with an error must get ident-syntax with the server's reason, no
// line it accepts may get one, and the map, system user and PostgreSQL user we read must be
// the ones the server shows. Before 15 the view does not exist and the suite is skipped.

import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { defaultConfig } from '../../server/src/core/config';
import { lintIdent } from '../../server/src/core/ident/lint';
import { parseIdent, validMappings } from '../../server/src/core/ident/parse';
import { LineIndex } from '../../server/src/core/text';
import { Workspace } from '../../server/src/core/workspace';
import { startCluster, TestCluster } from '../support/postgres';

/** Lines the server accepts. */
const VALID = [
  'admins alice postgres',
  'admins "bob" "postgres"',
  'm /^(.*)@EXAMPLE\\.COM$ \\1',
  'm /^(.*)$ \\1',
  'm "/^(.*)$" "\\1"',
  'm /^admin_[a-z]+$ admin',
  'm /.* postgres',
  'm alice bob extra fields are ignored',
  'm alice bob # a comment',
  'm alice \\\nbob',
  '"map with space" "sys user" "pg user"',
  'm alice +admins',
  'm alice all',
  'm alice "all"',
  'm @sys.txt bob',
  'm a"b c"d x',
  'm alice "unterminated',
  'm /^[[:alpha:]]+$ bob',
  'm 日本 ユーザ',
];

/** Lines the server rejects (with the major they start being accepted, see EARLIER). */
const INVALID = [
  'm',
  'm alice',
  'm alice,bob carol',
  'm alice bob,carol',
  'm,n alice bob',
  'm /(unclosed bob',
  'm /[abc bob',
  'm /a\\ bob',
  'm /* bob',
  'm @missing.txt bob',
  'm @users.txt bob',
  'm a"b c"d',
  'include other.conf',
];

/** Lines whose verdict differs before the major given: the PostgreSQL user as a regex (16). */
const LATER_INVALID: Record<string, number> = {
  'm alice /(bad': 16,
};

describe('pg_ident.conf: the server is the judge', function () {
  this.timeout(120_000);
  let cluster: TestCluster;
  let goodIdent: string;

  before(async function () {
    cluster = await startCluster();
    if (cluster.version < 15) {
      cluster.stop();
      this.skip();
    }
    goodIdent = readFileSync(join(cluster.dataDir, 'pg_ident.conf'), 'utf8');
    cluster.writeDataFile('sys.txt', 'alice\n');
    cluster.writeDataFile('users.txt', 'alice, bob\n');
  });

  after(() => {
    if (!cluster || cluster.version < 15) return;
    cluster.writeDataFile('pg_ident.conf', goodIdent);
    cluster.stop();
  });

  function serverRows(text: string): Map<number, { error: string | null; map: string | null; sys: string | null; pg: string | null }> {
    cluster.writeDataFile('pg_ident.conf', text);
    const out = cluster.psql(
      "SELECT line_number::text || E'\\t' || coalesce(error, '') || E'\\t' || coalesce(map_name, '<null>') || E'\\t' || coalesce(sys_name, '<null>') || E'\\t' || coalesce(pg_username, '<null>') FROM pg_ident_file_mappings ORDER BY line_number",
    );
    const rows = new Map<number, { error: string | null; map: string | null; sys: string | null; pg: string | null }>();
    for (const row of out.split('\n').filter((l) => l !== '')) {
      const [n, err, map, sys, pg] = row.split('\t');
      const v = (x: string) => (x === '<null>' ? null : x);
      rows.set(Number(n), { error: err === '' ? null : err, map: v(map), sys: v(sys), pg: v(pg) });
    }
    return rows;
  }

  function lintInput(text: string) {
    const uri = pathToFileURL(join(cluster.dataDir, 'pg_ident.conf')).href;
    return { uri, text, readFile: (p: string) => (existsSync(p) ? readFileSync(p, 'utf8') : undefined), readDir: (p: string) => (existsSync(p) ? readdirSync(p) : undefined) };
  }

  function ourErrors(text: string): Map<number, string> {
    const config = { ...defaultConfig(), postgresVersion: cluster.version };
    const { findings } = lintIdent(lintInput(text), { workspace: new Workspace(), config });
    const lines = new LineIndex(text);
    const ours = new Map<number, string>();
    for (const f of findings) if (f.ruleId === 'ident-syntax') ours.set(lines.positionAt(f.start).line + 1, f.message);
    return ours;
  }

  it('flags exactly the lines the server rejects, with the server\'s reason, and reads the same fields', () => {
    const records = [...VALID, ...INVALID, ...Object.keys(LATER_INVALID)];
    const text = records.join('\n') + '\n';
    const server = serverRows(text);
    const ours = ourErrors(text);
    const parsed = new Map(validMappings(parseIdent(text, { ...lintInput(text), version: cluster.version })).map((m) => [m.line.lineNumber, m]));
    const problems: string[] = [];
    let lineNo = 1;
    for (const r of records) {
      const row = server.get(lineNo);
      const mine = ours.get(lineNo);
      const expectedBad = INVALID.includes(r) || (LATER_INVALID[r] !== undefined && cluster.version >= LATER_INVALID[r]);
      if (!row) problems.push(`line ${lineNo} (${r}): the server returned no row`);
      else if (row.error === null && mine) problems.push(`line ${lineNo} (${r}): the server accepts it but we say: ${mine}`);
      else if (row.error !== null && !mine) problems.push(`line ${lineNo} (${r}): the server says "${row.error}" and we say nothing`);
      else if (row.error !== null && !mine!.startsWith(row.error)) problems.push(`line ${lineNo} (${r}): the server says "${row.error}", we say "${mine}"`);
      else if (row.error === null) {
        const m = parsed.get(lineNo);
        const got = m ? [m.mapToken?.value, m.systemToken?.value, m.pgToken?.value] : [];
        if (JSON.stringify(got) !== JSON.stringify([row.map, row.sys, row.pg])) problems.push(`line ${lineNo} (${r}): the server reads ${JSON.stringify([row.map, row.sys, row.pg])}, we read ${JSON.stringify(got)}`);
      }
      if (row && (row.error !== null) !== expectedBad) problems.push(`line ${lineNo} (${r}): the corpus expects ${expectedBad ? 'an error' : 'no error'}, the server says ${row.error ?? 'ok'}`);
      lineNo += r.split('\n').length;
    }
    assert.deepEqual(problems, []);
    assert.ok(records.length >= 30, `${records.length} lines`);
  });

  it('follows include directives (16+) and reports a missing file like the server', function () {
    if (cluster.version < 16) this.skip();
    cluster.writeDataFile('ident_extra.conf', 'extra carol dave\n');
    const text = 'm alice bob\ninclude ident_extra.conf\ninclude_if_exists nothing_here.conf\ninclude missing_file.conf\n';
    cluster.writeDataFile('pg_ident.conf', text);
    const out = cluster.psql(
      "SELECT line_number::text || E'\\t' || coalesce(error, '') FROM pg_ident_file_mappings WHERE file_name = current_setting('ident_file') ORDER BY line_number",
    );
    const server = out.split('\n').filter((l) => l !== '').map((l) => l.split('\t')).filter(([, e]) => e !== '').map(([n, e]) => [Number(n), e]);
    const ours = [...ourErrors(text)].map(([n, m]) => [n, m.slice(0, String(server[0]?.[1] ?? '').length)]);
    assert.equal(server.length, 1, JSON.stringify(server));
    assert.deepEqual(ours, server);
    // The included file's mapping is read too.
    const maps = validMappings(parseIdent(text, { ...lintInput(text), version: cluster.version })).map((m) => m.mapToken?.value);
    assert.deepEqual(maps, ['m', 'extra']);
  });

  it('leaves a loadable pg_ident.conf behind', () => {
    const rows = serverRows(goodIdent);
    assert.deepEqual([...rows.values()].filter((v) => v.error !== null), []);
  });
});
