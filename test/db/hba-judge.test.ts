// The server is the judge of pg_hba.conf syntax. A real PostgreSQL (with ssl = on, so
// hostssl records get their real verdict) reads our corpus as its pg_hba.conf through
// pg_hba_file_rules, which parses the file on disk without loading it: every line the
// server marks with an error must get hba-syntax from the linter, with the server's reason
// text, and no line it accepts may get one. It runs on every supported major (13 to 18, one
// per test run: see test/support/postgres.ts), with the linter set to that major.
//
// A server built without LDAP, PAM or GSSAPI (the npm registry's builds) rejects every record
// of that method with "not supported by this build", before it looks at the options: such
// records say nothing about our parser and are left out, with a note (sspi and bsd are
// judged: no Linux build has them). `npm test` in CI also
// runs this judge on Debian's server, which has all three.

import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { defaultConfig } from '../../server/src/core/config';
import { lintHba } from '../../server/src/core/hba/lint';
import { LineIndex } from '../../server/src/core/text';
import { Workspace } from '../../server/src/core/workspace';
import { startCluster, TestCluster } from '../support/postgres';

/** Records the server accepts (with ssl on, on Linux). */
const VALID = [
  'local all all trust',
  'local all all peer',
  'local all all ident',
  'local all postgres md5',
  'host all all 127.0.0.1/32 scram-sha-256',
  'host all all ::1/128 md5',
  'hostssl all all 10.0.0.0/8 cert',
  'hostssl all all 10.0.0.0/8 scram-sha-256 clientcert=verify-ca',
  'hostssl all all 10.0.0.0/8 cert clientcert=verify-full',
  'hostssl all all 10.0.0.0/8 md5 clientname=DN clientcert=verify-full',
  'hostssl all all 10.0.0.0/8 md5 clientname=CN',
  'hostnossl all all 10.0.0.0 255.0.0.0 md5',
  'hostgssenc all all 10.0.0.0/8 gss',
  'hostnogssenc all all samehost reject',
  'host all all samenet password',
  'host all all db.example.com md5',
  'host all all .example.com md5',
  'host "all" "all" all md5',
  'host db1,db2 u1, u2 10.0.0.0/8 md5',
  'host all +admins 10.1.0.0/8 md5',
  'host all all 0.0.0.0/0 reject',
  'host replication repl 10.0.0.0/8 scram-sha-256',
  'host all all 10.0.0.0/8 ldap ldapserver=ldap.example.com ldapbasedn="dc=example,dc=com" ldaptls=1',
  'host all all 10.0.0.0/8 ldap ldapserver=ldap.example.com ldapprefix="cn=" ldapsuffix=",dc=example"',
  'host all all 10.0.0.0/8 ldap ldapurl="ldap://ldap.example.com/dc=example,dc=com?uid?sub"',
  'host all all 10.0.0.0/8 ldap ldapserver=x ldapbasedn=y ldapscheme=foo',
  'host all all 10.0.0.0/8 ldap ldapbasedn=y ldapport=389x',
  'host all all 10.0.0.0/8 radius radiusservers=127.0.0.1 radiussecrets=s',
  'host all all 10.0.0.0/8 radius "radiusservers=127.0.0.1,127.0.0.2" radiussecrets=s radiusports=1812',
  'host all all 10.0.0.0/8 pam pamservice=postgresql',
  'host all all 10.0.0.0/8 gss include_realm=0 krb_realm=EXAMPLE.COM',
  'host all all 10.0.0.0/8 ident map=m',
  'host "/^db.*$" all 10.0.0.0/8 md5',
  'host sameuser all 10.0.0.0/8 md5',
  'host samegroup,samerole all 10.0.0.0/8 md5',
  'host all all 10 255.0.0.0 md5',
  'host all all 10.0.0.0/08 md5',
  'host all all 0x0a.0.0.0/8 md5',
  '"host" all all 10.0.0.0/8 "md5"',
  'host all all 10.0.0.0/8 md5 # a comment',
  'host all all \\\n10.0.0.0/8 md5',
  'host all all 300.1.1.1 md5',
  'host all all fe80::/10 md5',
  'host all all ::ffff:10.0.0.0/104 md5',
  'host @users.txt all 10.0.0.0/8 md5',
  'host all all 10.0.0.0 255.0.255.0 md5',
  'host all, all 10.0.0.0/8 md5 trust',
  'host a"b c"d all 10.0.0.0/8 md5',
  'host "a""b" all 10.0.0.0/8 md5',
  'host ,db1,,db2 all 10.0.0.0/8 md5',
  'host all all 10.0.0.0/8 md5#comment right after',
  'host all all 10.0.0.0/8 ldap ldapurl=ldap://x/',
  'host all all 10.0.0.0/8 ldap ldapurl=ldaps://x/dc=y?uid?sub',
  'host all all "" md5',
  'host all all 256 255.255.255.255 md5',
  'host all all 1.2.3 255.255.255.255 md5',
  'host all all 10.0.0.0/+8 md5',
  'local all all ident map=x',
  'local all all md5 \t# tab comment',
  'hostssl all all 10.0.0.0/8 scram-sha-256 clientcert=verify-full clientname=CN',
  'host all all 10.0.0.0/8 ldap ldapbasedn=x ldapscheme=ldaps ldaptls=1',
];

/**
 * Records whose verdict is the opposite of their list before the major given here: the
 * features that came with it (continuation lines and clientname in 14).
 */
const EARLIER: Record<string, number> = {
  'hostssl all all 10.0.0.0/8 md5 clientname=DN clientcert=verify-full': 14,
  'hostssl all all 10.0.0.0/8 md5 clientname=CN': 14,
  'host all all \\\n10.0.0.0/8 md5': 14,
  'hostssl all all 10.0.0.0/8 scram-sha-256 clientcert=verify-full clientname=CN': 14,
  // 13 still took clientcert=1/0/no-verify, and verify-ca with cert.
  'hostssl all all 10.0.0.0/8 cert clientcert=verify-ca': 14,
  'hostssl all all 10.0.0.0/8 md5 clientcert=1': 14,
  'hostssl all all 10.0.0.0/8 md5 clientcert=no-verify': 14,
  'hostssl all all 10.0.0.0/8 cert map=x clientcert=verify-ca': 14,
};

/** Records the server rejects. */
const INVALID = [
  'hosts all all 10.0.0.0/8 md5',
  'HOST all all 10.0.0.0/8 md5',
  'include other.conf',
  'host all all',
  'hostssl appdb',
  'local',
  'host,local all all 10.0.0.0/8 md5',
  'host all all 10.0.0.0/33 md5',
  'host all all 300.1.1.1/32 md5',
  'host all all db.example.com/32 md5',
  'host all all ::1 255.255.255.255 md5',
  'host all all 10.0.0.0/8 255.0.0.0 md5',
  'local all all 127.0.0.1/32 trust',
  'host all all 10.0.0.0/8 scram-sha256',
  'host all all 10.0.0.0/8 sspi',
  'host all all 10.0.0.0/8 bsd',
  'host all all 10.0.0.0/8 oauth',
  'host all all 10.0.0.0/8 peer',
  'host all all 10.0.0.0/8 cert',
  'host all all 10.0.0.0/8 md5 clientcert=verify-full',
  'local all all md5 clientcert=verify-full',
  'hostssl all all 10.0.0.0/8 cert clientcert=verify-ca',
  'host all all 10.0.0.0/8 md5 foo',
  'host all all 10.0.0.0/8 md5 foo=bar',
  'host all all 10.0.0.0/8 md5 map=x',
  'host all all 10.0.0.0/8 ldap ldapserver=x',
  'host all all 10.0.0.0/8 radius',
  'host all all 10.0.0.0/8 radius radiusservers=127.0.0.1',
  'host all all 10.0.0.0/8 radius "radiusservers=127.0.0.1,127.0.0.2" "radiussecrets=a,b,c"',
  'hostssl all all 10.0.0.0/8 md5 clientcert=1',
  'hostssl all all 10.0.0.0/8 md5 clientcert=no-verify',
  'hostssl all all 10.0.0.0/8 md5 clientname=XX',
  'host all all 10.0.0.0/8 md5 clientname=CN',
  'host all all 10.0.0.0 md5',
  'host all all 10.0.0.0',
  'host all all 10.0.0.0/8',
  'host all, all 10.0.0.0/8 md5',
  'host all all 10.0.0.0/8 md5,trust',
  'host all all 10.0.0.0/8,10.1.0.0/16 md5',
  'host all all 10.0.0.0 255.0.0.0,255.255.0.0 md5',
  'local all all gss',
  'host all all 10.0.0.0/8 ldap ldapprefix=a ldapbasedn=b',
  'host all all 10.0.0.0/8 ldap ldapbasedn=b ldapsearchattribute=uid ldapsearchfilter=x',
  'host all all 10.0.0.0/8 ldap ldapbasedn=b ldapport=abc',
  'host all all 10.0.0.0/8 ldap ldapurl=foo://x',
  'host all all 10.0.0.0/8 md5 krb_realm=X',
  'host all all 10.0.0.0/8 md5 pamservice=x',
  'host all all 10.0.0.0/8 md5 compat_realm=1',
  'host all all 10.0.0.0/8 md5 upn_username=1',
  'host all all 10.0.0.0/8 md5 ldaptls=1',
  'host all all 10.0.0.0/8 radius radiusservers=127.0.0.1 radiussecrets=s radiusports=abc',
  'host all all 10.0.0.0/8 radius "radiusservers=127.0.0.1,127.0.0.2,127.0.0.3" radiussecrets=s "radiusports=1,2"',
  'host @missing.txt all 10.0.0.0/8 md5',
  'host all all 10.0.0.0/8 md5 "unterminated',
  'host all all "10.0.0.0/8 md5',
  'hostssl all all 10.0.0.0/8 cert map=x clientcert=verify-ca',
  'host all all -1.0.0.0/8 md5',
  'host all all 10.0.0.0/-1 md5',
  'host all all 1.2.3.4.5/32 md5',
  'host all all 08.0.0.0/8 md5',
  'host all all 10.0.0.0/8 "md5 trust"',
  'host all all 10.0.0.0/8 MD5',
  'host all all 10.0.0.0/8 md5 \\\n  map=x',
  'host ,db1,,db2, all 10.0.0.0/8 md5',
  'host all all 10.0.0.0/8 ldap ldapurl=ldapi://x/dc=y',
  'host all all 10.0.0.0/8 ldap "ldapurl=ldap://x/dc=y?uid" ldapsearchfilter=x',
  'host all all 10.0.0.0/8 ldap ldapurl=ldap://x/dc=y ldapprefix=a',
  'host all all 10.0.0.0/8 ldap ldapurl=ldap://x',
  'host all all 10.0.0.0/8 md5 "map"',
  'host all all 10.0.0.0/8 md5 =x',
  'host all all "/8" md5',
  'host all all 10.0.0.0/ md5',
  'host all all 10.0.0.0/8 radius radiusservers=127.0.0.1 "radiussecrets=a,,b"',
  'host all all 10.0.0.0/8 radius radiusservers=127.0.0.1 radiussecrets=s "radiusidentifiers=a,b"',
];

describe('pg_hba.conf: the server is the judge', function () {
  this.timeout(120_000);
  let cluster: TestCluster;
  let goodHba: string;

  before(async () => {
    cluster = await startCluster({ ssl: true });
    goodHba = readFileSync(join(cluster.dataDir, 'pg_hba.conf'), 'utf8');
    cluster.writeDataFile('users.txt', 'alice, bob\n# a comment\ncarol\n');
  });

  after(() => {
    if (!cluster) return;
    cluster.writeDataFile('pg_hba.conf', goodHba);
    cluster.stop();
  });

  it('has a corpus of at least 60 records', () => {
    assert.ok(VALID.length + INVALID.length >= 60, `${VALID.length + INVALID.length} records`);
    assert.ok(INVALID.length >= 40 && VALID.length >= 30);
  });

  function serverVerdicts(text: string): Map<number, string | null> {
    cluster.writeDataFile('pg_hba.conf', text);
    const out = cluster.psql(
      "SELECT line_number::text || E'\\t' || CASE WHEN type IS NULL AND error IS NULL THEN '<row is NULL>' ELSE coalesce(error, '') END FROM pg_hba_file_rules ORDER BY line_number",
    );
    const verdicts = new Map<number, string | null>();
    for (const row of out.split('\n').filter((l) => l !== '')) {
      const [n, err] = row.split('\t');
      verdicts.set(Number(n), err === '' ? null : err);
    }
    return verdicts;
  }

  function ourVerdicts(text: string): Map<number, string> {
    const uri = pathToFileURL(join(cluster.dataDir, 'pg_hba.conf')).href;
    const config = { ...defaultConfig(), postgresVersion: cluster.version };
    const { findings } = lintHba(
      { uri, text, readFile: (p) => (existsSync(p) ? readFileSync(p, 'utf8') : undefined), readDir: (p) => (existsSync(p) ? readdirSync(p) : undefined) },
      { workspace: new Workspace(), config },
    );
    const lines = new LineIndex(text);
    const ours = new Map<number, string>();
    for (const f of findings) if (f.ruleId === 'hba-syntax') ours.set(lines.positionAt(f.start).line + 1, f.message);
    return ours;
  }

  /**
   * Methods that are a build option on Linux, which this server may lack, from its own verdict
   * on a record of each (sspi and bsd are never built here, so their verdicts are judged).
   */
  const NOT_BUILT = /^invalid authentication method "(ldap|pam|gss)": not supported by this build$/;

  it('flags exactly the lines the server rejects, with the server\'s reason', () => {
    const records = [...VALID, ...INVALID];
    const notBuilt = new Set<string>();
    let judged = 0;
    // The corpus as one file: each record on its own line(s), in a mixed order.
    const text = records.map((r, i) => (i % 2 ? r : `${r}`)).join('\n') + '\n';
    const server = serverVerdicts(text);
    const ours = ourVerdicts(text);
    const problems: string[] = [];
    let lineNo = 1;
    for (const r of records) {
      const verdict = server.get(lineNo);
      const mine = ours.get(lineNo);
      const expectedBad = INVALID.includes(r) !== (EARLIER[r] !== undefined && cluster.version < EARLIER[r]);
      const missing = verdict ? NOT_BUILT.exec(verdict) : null;
      if (missing) {
        notBuilt.add(missing[1]);
        lineNo += r.split('\n').length;
        continue;
      }
      judged++;
      if (verdict === undefined) problems.push(`line ${lineNo} (${r}): the server returned no row`);
      else if (verdict === null && mine) problems.push(`line ${lineNo} (${r}): the server accepts it but we say: ${mine}`);
      else if (verdict !== null && !mine) problems.push(`line ${lineNo} (${r}): the server says "${verdict}" and we say nothing`);
      else if (verdict !== null && verdict !== '<row is NULL>' && !mine!.startsWith(verdict)) {
        problems.push(`line ${lineNo} (${r}): the server says "${verdict}", we say "${mine}"`);
      }
      if (verdict !== undefined && (verdict !== null) !== expectedBad) problems.push(`line ${lineNo} (${r}): the corpus expects ${expectedBad ? 'an error' : 'no error'}, the server says ${verdict ?? 'ok'}`);
      lineNo += r.split('\n').length;
    }
    if (notBuilt.size) console.log(`      (PostgreSQL ${cluster.version} here is built without ${[...notBuilt].join(', ')}: ${records.length - judged} records not judged)`);
    assert.deepEqual(problems, []);
    assert.ok(judged >= 60, `only ${judged} records judged`);
  });

  it('reports a continuation at the end of the file like the server (before 14, a backslash is an option)', () => {
    const text = 'local all all peer\nhost all all 10.0.0.0/8 md5 \\';
    const server = serverVerdicts(text);
    const bad = 'authentication option not in name=value format: \\';
    assert.deepEqual([...server.entries()], [[1, null], [2, cluster.version >= 14 ? null : bad]]);
    assert.deepEqual([...ourVerdicts(text).entries()].map(([l, m]) => [l, m.slice(0, bad.length)]), cluster.version >= 14 ? [] : [[2, bad]]);
  });

  it('flags an unknown option on the first line of a continued record (before 14, the short line)', () => {
    const text = 'local all all peer\nhost all all \\\n  10.0.0.0/8 md5 \\\n  foo=bar\n';
    const server = serverVerdicts(text);
    const expected = cluster.version >= 14 ? 'unrecognized authentication option name: "foo"' : 'end-of-line before authentication method';
    assert.equal(server.get(2), expected);
    assert.equal(ourVerdicts(text).get(2)?.slice(0, expected.length), expected);
  });

  it('agrees on line endings, lone CRs, NUL bytes and non-ASCII names', () => {
    const texts = [
      'local all all peer\r\nhost all all \\\r\n10.0.0.0/8 md5\r\nhost all all 10.0.0.0/8 bogus\r\n',
      'local\rall all peer\nhost all\rall 10.0.0.0/8\rmd5\n',
      'local all all peer\0 garbage here\nhost all all\0 10.0.0.0/8 md5\n',
      'host "dä" "🙂" 10.0.0.0/8 md5\nhost 日本 all 10.0.0.0/8 scram-sha-256 ldaptls=1\n',
      '# a comment \\\nhost all all all trust\nlocal all all peer\n',
      // fgets fills the server's 1024-byte line buffer: a NUL cuts only the chunk it is in.
      `local all all peer${' '.repeat(200)}\0x\nlocal all all peer\n`,
      `local all all peer${' '.repeat(100)}\0${'y'.repeat(60)} peer\n`,
      `local all all peer${' '.repeat(1000)}\0${'y'.repeat(10)} md5\n`,
      `local all all peer${' '.repeat(2000)}\0${'y'.repeat(3000)}=1 md5\n`,
    ];
    const problems: string[] = [];
    for (const text of texts) {
      const server = serverVerdicts(text);
      const ours = ourVerdicts(text);
      for (const [line, verdict] of server) {
        if ((verdict !== null) !== ours.has(line)) problems.push(`${JSON.stringify(text)} line ${line}: server ${verdict ?? 'accepts'}, we ${ours.get(line) ?? 'accept'}`);
      }
      for (const line of ours.keys()) if (!server.has(line)) problems.push(`${JSON.stringify(text)} line ${line}: no server row, we say ${ours.get(line)}`);
    }
    assert.deepEqual(problems, []);
  });

  it('leaves a loadable pg_hba.conf behind', () => {
    const verdicts = serverVerdicts(goodHba);
    assert.ok(verdicts.size > 0);
    assert.deepEqual([...verdicts.values()].filter((v) => v !== null), []);
  });
});
