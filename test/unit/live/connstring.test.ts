// Connection strings, service files, PG* defaults, the sslmode -> TLS mapping, the
// SecretStorage fingerprint and loopback detection: pure, no server.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConnStringError,
  describeTarget,
  fingerprint,
  isLoopback,
  parseConnectionString,
  parseConninfo,
  resolveProfile,
  tlsWarning,
} from '../../../server/src/db';
import { parseServiceText } from '../../../server/src/db/connstring';
import { parseQualifiedName } from '../../../server/src/cli/conn-args';

describe('db: connection strings', () => {
  let dir: string;
  let ca: string;
  /** An environment with no PG* variables and a HOME without ~/.postgresql or ~/.pgpass. */
  let env: NodeJS.ProcessEnv;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'pgwarden-conn-'));
    ca = join(dir, 'ca.crt');
    writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nnot checked here\n-----END CERTIFICATE-----\n');
    env = { HOME: dir, USER: 'tester', PGSYSCONFDIR: join(dir, 'etc') };
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  describe('libpq key=value strings', () => {
    it('reads keywords with blanks around "=" and maps dbname to database', () => {
      assert.deepEqual(parseConninfo('host=db.example.com  port = 6543 dbname=app user=alice sslmode=verify-full'), {
        host: 'db.example.com',
        port: 6543,
        database: 'app',
        user: 'alice',
        sslmode: 'verify-full',
      });
    });

    it('keeps a socket directory as the host (pg-connection-string turns it into "base")', () => {
      assert.deepEqual(parseConninfo('host=/var/run/postgresql dbname=app'), { host: '/var/run/postgresql', database: 'app' });
    });

    it('reads single-quoted values with backslash escapes, and escapes in bare values', () => {
      assert.deepEqual(parseConninfo(String.raw`dbname='my db' user='o\'brien' sslrootcert='C:\\certs\\ca.crt'`), {
        database: 'my db',
        user: "o'brien",
        sslrootcert: String.raw`C:\certs\ca.crt`,
      });
      assert.deepEqual(parseConninfo(String.raw`user=a\ b dbname=''`), { user: 'a b', database: '' });
    });

    it('lets hostaddr win over host, as libpq connects to hostaddr', () => {
      assert.equal(parseConninfo('host=db.example.com hostaddr=10.0.0.5').host, '10.0.0.5');
      assert.equal(parseConninfo('hostaddr=10.0.0.5 host=db.example.com').host, '10.0.0.5');
    });

    it('accepts and ignores harmless libpq keywords', () => {
      assert.deepEqual(parseConninfo('application_name=psql connect_timeout=5 dbname=x'), { database: 'x' });
    });

    it('rejects what libpq rejects, with libpq-like messages', () => {
      assert.throws(() => parseConninfo('host'), /missing "=" after "host"/);
      assert.throws(() => parseConninfo("dbname='open"), /unterminated quoted string/);
      assert.throws(() => parseConninfo('colour=blue'), /invalid connection option "colour"/);
      assert.throws(() => parseConninfo('port=70000'), /invalid port number: "70000"/);
      assert.throws(() => parseConninfo('sslmode=maybe'), /invalid sslmode value: "maybe"/);
      assert.throws(() => parseConninfo('host=a,b'), /several hosts/);
    });

    it('refuses a password, and never repeats it in the message', () => {
      for (const s of ['password=Sekr1t-xyz host=h', "password='Sekr1t-xyz'"]) {
        assert.throws(() => parseConninfo(s), (e: Error) => e instanceof ConnStringError && /PGPASSWORD/.test(e.message) && !e.message.includes('Sekr1t'));
      }
    });
  });

  describe('URLs', () => {
    it('parses user, host, port, database and the TLS query parameters', () => {
      const p = parseConnectionString(`postgresql://alice@db.example.com:6543/app?sslmode=verify-ca&sslrootcert=${encodeURIComponent(ca)}&application_name=x`);
      assert.deepEqual(
        { host: p.host, port: p.port, database: p.database, user: p.user, sslmode: p.sslmode, sslrootcert: p.sslrootcert },
        { host: 'db.example.com', port: 6543, database: 'app', user: 'alice', sslmode: 'verify-ca', sslrootcert: ca },
      );
      assert.ok(p.url?.startsWith('postgresql://'));
    });

    it('does not read the certificate files while parsing (pg-connection-string would, and fail)', () => {
      const p = parseConnectionString('postgres://u@h/d?sslrootcert=/nonexistent/ca.crt&sslmode=verify-full');
      assert.equal(p.sslrootcert, '/nonexistent/ca.crt');
    });

    it('decodes percent-encoded names, IPv6 hosts and socket directories', () => {
      assert.deepEqual(
        (({ host, port, database, user }) => ({ host, port, database, user }))(parseConnectionString('postgresql://o%27brien@[::1]:5433/my%20db')),
        { host: '::1', port: 5433, database: 'my db', user: "o'brien" },
      );
      assert.equal(parseConnectionString('postgresql://%2Fvar%2Frun%2Fpostgresql/app').host, '/var/run/postgresql');
      assert.equal(parseConnectionString('postgres:///app?host=/tmp').host, '/tmp');
    });

    it('refuses a password in the URL or its query, without echoing it', () => {
      for (const s of ['postgresql://alice:Sekr1t-xyz@h/app', 'postgresql://alice@h/app?password=Sekr1t-xyz']) {
        assert.throws(() => parseConnectionString(s), (e: Error) => /PGPASSWORD/.test(e.message) && !e.message.includes('Sekr1t'));
      }
    });

    it('rejects unknown query parameters', () => {
      assert.throws(() => parseConnectionString('postgresql://h/app?colour=blue'), /invalid URI query parameter: "colour"/);
    });
  });

  describe('service files', () => {
    const text = '# comment\n[other]\nhost=elsewhere\n\n[prod]\nhost = db.prod.example\nport=6432\ndbname=app\nsslmode=verify-full\nhost=ignored-second\n[next]\nhost=x\n';

    it('reads one INI section; the first value of a key wins', () => {
      assert.deepEqual(parseServiceText(text, 'prod'), { host: 'db.prod.example', port: 6432, database: 'app', sslmode: 'verify-full' });
      assert.equal(parseServiceText(text, 'missing'), undefined);
    });

    it('reports syntax errors with the file and line', () => {
      assert.throws(() => parseServiceText('[prod]\nnonsense\n', 'prod', 'svc.conf'), /syntax error in service file "svc.conf", line 2/);
      assert.throws(() => parseServiceText('[prod]\nservice=x\n', 'prod', 'svc.conf'), /nested service/);
    });

    it('resolves service=NAME from PGSERVICEFILE, with explicit keywords overriding it and PG* variables filling the rest', () => {
      const file = join(dir, 'services.conf');
      writeFileSync(file, text);
      const t = resolveProfile(parseConnectionString('service=prod dbname=other'), { ...env, PGSERVICEFILE: file, PGUSER: 'envuser', PGPORT: '1111', PGSSLROOTCERT: ca });
      assert.deepEqual([t.host, t.port, t.database, t.user, t.sslmode], ['db.prod.example', 6432, 'other', 'envuser', 'verify-full']);
    });

    it('falls back to PGSYSCONFDIR/pg_service.conf, and says when a service is nowhere', () => {
      const etc = join(dir, 'etc');
      mkdirSync(etc, { recursive: true });
      writeFileSync(join(etc, 'pg_service.conf'), '[sys]\nhost=sys.example\nsslmode=disable\n');
      const t = resolveProfile({ name: 'p', service: 'sys' }, env);
      assert.equal(t.host, 'sys.example');
      assert.throws(() => resolveProfile({ name: 'p', service: 'nope' }, env), /definition of service "nope" not found/);
    });

    it('uses PGSERVICE when the profile names no service', () => {
      const file = join(dir, 'services2.conf');
      writeFileSync(file, '[envsvc]\nhost=from-env-service\nsslmode=disable\n');
      assert.equal(resolveProfile({ name: 'p' }, { ...env, PGSERVICEFILE: file, PGSERVICE: 'envsvc' }).host, 'from-env-service');
    });
  });

  describe('defaults like libpq', () => {
    it('fills from PG* variables, then localhost:5432, user from USER, database = user, sslmode prefer', () => {
      const t = resolveProfile({ name: 'p' }, env);
      assert.deepEqual([t.host, t.port, t.user, t.database, t.sslmode], ['localhost', 5432, 'tester', 'tester', 'prefer']);
      const e = resolveProfile({ name: 'p', user: 'explicit' }, { ...env, PGHOST: 'envhost', PGPORT: '7777', PGDATABASE: 'envdb', PGUSER: 'envuser', PGSSLMODE: 'require' });
      assert.deepEqual([e.host, e.port, e.user, e.database, e.sslmode], ['envhost', 7777, 'explicit', 'envdb', 'require']);
    });

    it('explicit profile fields override the connection string', () => {
      const t = resolveProfile({ name: 'p', conninfo: 'host=a port=1 dbname=d sslmode=disable', port: 2 }, env);
      assert.deepEqual([t.host, t.port, t.database], ['a', 2, 'd']);
    });

    it('rejects a bad PGPORT or PGSSLMODE', () => {
      assert.throws(() => resolveProfile({ name: 'p' }, { ...env, PGPORT: 'abc' }), /invalid port number/);
      assert.throws(() => resolveProfile({ name: 'p' }, { ...env, PGSSLMODE: 'on' }), /invalid sslmode/);
    });
  });

  describe('sslmode -> TLS options', () => {
    const at = (sslmode: any, extra: object = {}) => resolveProfile({ name: 'p', host: 'db.example.com', sslmode, ...extra }, env);

    it('disable: no TLS; a Unix socket never uses TLS', () => {
      assert.equal(at('disable').ssl, false);
      assert.equal(resolveProfile({ name: 'p', host: '/tmp', sslmode: 'require' }, env).ssl, false);
    });

    it('allow: plain first, TLS without verification as the second attempt', () => {
      const t = at('allow');
      assert.equal(t.ssl, false);
      assert.equal(t.allowTls?.rejectUnauthorized, false);
    });

    it('prefer and require without a root certificate: TLS without verification', () => {
      for (const m of ['prefer', 'require']) {
        const t = at(m);
        assert.ok(t.ssl && t.ssl.rejectUnauthorized === false, m);
        assert.equal(t.verifiesCertificate, false);
      }
    });

    it('require with sslrootcert verifies the chain but not the host name, as libpq does', () => {
      const t = at('require', { sslrootcert: ca });
      assert.ok(t.ssl && t.ssl.rejectUnauthorized === true && typeof t.ssl.checkServerIdentity === 'function');
      assert.equal(t.ssl && t.ssl.checkServerIdentity?.('other.example', {} as any), undefined);
      assert.deepEqual([t.verifiesCertificate, t.verifiesHostname], [true, false]);
    });

    it('a root.crt in ~/.postgresql counts as sslrootcert', () => {
      mkdirSync(join(dir, '.postgresql'), { recursive: true });
      writeFileSync(join(dir, '.postgresql', 'root.crt'), 'x');
      try {
        assert.equal(at('require').verifiesCertificate, true);
      } finally {
        rmSync(join(dir, '.postgresql'), { recursive: true, force: true });
      }
    });

    it('verify-ca: CA checked, host name not; verify-full: both', () => {
      const ca1 = at('verify-ca', { sslrootcert: ca });
      assert.ok(ca1.ssl && ca1.ssl.rejectUnauthorized === true && Buffer.isBuffer(ca1.ssl.ca) && ca1.ssl.checkServerIdentity);
      const full = at('verify-full', { sslrootcert: ca });
      assert.ok(full.ssl && full.ssl.rejectUnauthorized === true && Buffer.isBuffer(full.ssl.ca) && full.ssl.checkServerIdentity === undefined);
      assert.deepEqual([full.verifiesCertificate, full.verifiesHostname], [true, true]);
    });

    it('verify-ca and verify-full need a root certificate, or sslrootcert=system', () => {
      assert.throws(() => at('verify-full'), /sslmode=verify-full needs a root certificate/);
      assert.throws(() => at('verify-ca', { sslrootcert: join(dir, 'missing.crt') }), /could not read root certificate file/);
      const sys = at('verify-ca', { sslrootcert: 'system' });
      assert.ok(sys.ssl && sys.ssl.ca === undefined && sys.ssl.rejectUnauthorized === true);
      assert.equal(sys.verifiesHostname, true, 'sslrootcert=system implies verify-full');
    });
  });

  describe('fingerprint, loopback, warnings', () => {
    const base = { name: 'a', host: 'db.example.com', port: 5432, database: 'app', user: 'alice', sslmode: 'require' as const };

    it('depends on host, port, database, user and TLS settings, never on the profile name', () => {
      const f = fingerprint(resolveProfile(base, env));
      assert.match(f, /^[0-9a-f]{64}$/);
      assert.equal(fingerprint(resolveProfile({ ...base, name: 'renamed' }, env)), f);
      for (const change of [{ host: 'other' }, { port: 5433 }, { database: 'x' }, { user: 'bob' }, { sslmode: 'prefer' as const }, { sslrootcert: ca }]) {
        assert.notEqual(fingerprint(resolveProfile({ ...base, ...change }, env)), f, JSON.stringify(change));
      }
    });

    it('knows loopback hosts', () => {
      for (const h of ['localhost', '127.0.0.1', '127.1.2.3', '::1', '[::1]', '::ffff:127.0.0.1', '/var/run/postgresql', 'LOCALHOST']) assert.equal(isLoopback(h), true, h);
      for (const h of ['10.0.0.1', 'db.example.com', '::2', '0.0.0.0', 'localhost.example.com']) assert.equal(isLoopback(h), false, h);
    });

    it('warns for a remote host without a verified certificate, not for loopback or verify-full', () => {
      assert.match(tlsWarning(resolveProfile(base, env)) ?? '', /does not verify the server's certificate \(sslmode=require\)/);
      assert.match(tlsWarning(resolveProfile({ ...base, sslmode: 'verify-ca', sslrootcert: ca }, env)) ?? '', /not the host name/);
      assert.equal(tlsWarning(resolveProfile({ ...base, sslmode: 'verify-full', sslrootcert: ca }, env)), undefined);
      assert.equal(tlsWarning(resolveProfile({ ...base, host: '127.0.0.1', sslmode: 'disable' }, env)), undefined);
    });

    it('describes a target without any secret', () => {
      assert.equal(describeTarget(resolveProfile(base, env)), 'alice@db.example.com:5432/app (sslmode=require)');
    });
  });

  describe('qualified names for --table', () => {
    it('folds unquoted parts and keeps quoted ones', () => {
      assert.deepEqual(parseQualifiedName('App.Orders'), { schema: 'app', name: 'orders' });
      assert.deepEqual(parseQualifiedName('"My Schema"."a.b""c"'), { schema: 'My Schema', name: 'a.b"c' });
      for (const bad of ['orders', 'a.b.c', 'a.', '.b', '"open.x', '']) assert.equal(parseQualifiedName(bad), undefined, bad);
    });
  });
});
