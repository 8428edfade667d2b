// The pg_hba.conf lexer and parser: the server's tokenizing rules with exact ranges,
// version-dependent features, includes, and hostile input (nothing throws or hangs).

import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseInetAton } from '../../../server/src/core/hba/address';
import { parseHba } from '../../../server/src/core/hba/parse';
import { tokenizeLines } from '../../../server/src/core/hba/tokenize';
import { lintCase } from './harness';

const fields = (text: string, continuation = true) =>
  tokenizeLines(text, continuation).map((l) => l.fields.map((f) => f.tokens.map((t) => (t.quoted ? `"${t.value}"` : t.value))));

const syntax = (code: string, version = 17, files?: Record<string, string>) =>
  lintCase({ code, config: { postgresVersion: version }, files })
    .filter((f) => f.ruleId === 'hba-syntax')
    .map((f) => f.message.split('. PostgreSQL refuses')[0]);

describe('hba tokenizer', () => {
  it('splits fields on blanks and lists on commas, and a comma continues the field past blanks', () => {
    assert.deepEqual(fields('host  db1, db2\tu1,u2 10.0.0.0/8 md5'), [[['host'], ['db1', 'db2'], ['u1', 'u2'], ['10.0.0.0/8'], ['md5']]]);
    assert.deepEqual(fields('host all, all 10.0.0.0/8 md5'), [[['host'], ['all', 'all'], ['10.0.0.0/8'], ['md5']]]);
    assert.deepEqual(fields('host a,\tb ,c, , d'), [[['host'], ['a', 'b'], ['c', 'd']]]);
  });

  it('reads quotes as the server does: "" is a quote, only a leading quote makes a name, # inside quotes is text', () => {
    assert.deepEqual(fields('host "a""b" x"y z"w "#not" all md5 # real'), [[['host'], ['"a"b"'], ['xy zw'], ['"#not"'], ['all'], ['md5']]]);
    assert.deepEqual(fields('"all" ""'), [[['"all"'], ['""']]]);
  });

  it('runs an unclosed quote to the end of the line', () => {
    assert.deepEqual(fields('host "a b\nlocal all all peer'), [[['host'], ['"a b"']], [['local'], ['all'], ['all'], ['peer']]]);
  });

  it('keeps UTF-16 ranges through CJK, emoji and continuations', () => {
    const text = '# 日本🙂\nhost "dä" all \\\r\n10.0.\\\n0.0/8 md5 # x \\\n still comment\nlocal all all peer';
    const lines = tokenizeLines(text, true);
    assert.equal(lines.length, 3);
    const rec = lines[1];
    assert.equal(rec.lineNumber, 2);
    assert.equal(rec.physicalLines, 4);
    const toks = rec.fields.flatMap((f) => f.tokens);
    assert.deepEqual(toks.map((t) => t.value), ['host', 'dä', 'all', '10.0.0.0/8', 'md5']);
    assert.equal(text.slice(toks[1].start, toks[1].end), '"dä"');
    // The address spans a continuation: its range covers the backslash and the line break.
    assert.equal(text.slice(toks[3].start, toks[3].end), '10.0.\\\n0.0/8');
    assert.equal(rec.comment?.body, ' x  still comment');
    assert.equal(lines[2].lineNumber, 6);
  });

  it('does not continue lines before 14', () => {
    assert.deepEqual(fields('host all all \\\n10.0.0.0/8 md5', false), [[['host'], ['all'], ['all'], ['\\']], [['10.0.0.0/8'], ['md5']]]);
  });

  it('drops text after a NUL byte the way fgets chunks do, newline included, and treats a lone CR as a blank', () => {
    // The NUL swallows the rest of its chunk and the newline: the next line joins this one.
    assert.deepEqual(fields('local all\0 junk\nlocal\rall all peer\nlocal all all peer'), [
      [['local'], ['alllocal'], ['all'], ['all'], ['peer']],
      [['local'], ['all'], ['all'], ['peer']],
    ]);
    // Past the first 1023 bytes (the server's line buffer) a NUL only cuts its own chunk.
    const long = 'local all all peer' + ' '.repeat(1100) + '\0x\nlocal all all peer';
    assert.deepEqual(fields(long), [[['local'], ['all'], ['all'], ['peer'], ['local'], ['all'], ['all'], ['peer']]]);
    const cut = 'local all all peer' + ' '.repeat(1000) + '\0' + 'y'.repeat(10) + ' md5\n';
    assert.deepEqual(fields(cut), [[['local'], ['all'], ['all'], ['peer'], ['yyyyyy'], ['md5']]]);
  });

  it('before 14, drops the rest of the line after a NUL byte and never joins lines (13 read each line with one fgets)', () => {
    assert.deepEqual(fields('local all\0 junk\nlocal\rall all peer\nlocal all all peer', false), [
      [['local'], ['all']],
      [['local'], ['all'], ['all'], ['peer']],
      [['local'], ['all'], ['all'], ['peer']],
    ]);
    const cut = 'local all all peer' + ' '.repeat(1000) + '\0' + 'y'.repeat(10) + ' md5\nhost all all \0 x\n';
    assert.deepEqual(fields(cut, false), [[['local'], ['all'], ['all'], ['peer']], [['host'], ['all'], ['all']]]);
  });
});

describe('hba parser', () => {
  it('reads inet_aton address forms as glibc does', () => {
    assert.deepEqual(parseInetAton('10'), [0, 0, 0, 10]);
    assert.deepEqual(parseInetAton('10.1'), [10, 0, 0, 1]);
    assert.deepEqual(parseInetAton('0x0a.010.0.1'), [10, 8, 0, 1]);
    assert.equal(parseInetAton('08.0.0.1'), undefined);
    assert.equal(parseInetAton('1.2.3.4.5'), undefined);
    assert.equal(parseInetAton('300.1.1.1'), undefined);
  });

  it('reports version-dependent syntax', () => {
    assert.deepEqual(syntax('include other.conf\n', 15), ['invalid connection type "include"']);
    assert.deepEqual(syntax('host all all 10.0.0.0/8 oauth\n', 17), ['invalid authentication method "oauth"']);
    assert.deepEqual(syntax('host all all 10.0.0.0/8 oauth issuer=https://x scope=openid\n', 18), []);
    assert.deepEqual(syntax('host all all 10.0.0.0/8 oauth issuer=https://x\n', 18), ['authentication method "oauth" requires argument "scope" to be set']);
    assert.deepEqual(syntax('hostssl all all 10.0.0.0/8 md5 clientcert=1\n', 13), []);
    assert.deepEqual(syntax('hostssl all all 10.0.0.0/8 md5 clientcert=1\n', 14), ['invalid value for clientcert: "1"']);
    assert.deepEqual(syntax('hostssl all all 10.0.0.0/8 md5 clientname=CN\n', 13), ['unrecognized authentication option name: "clientname"']);
    assert.deepEqual(syntax('host all all 10.0.0.0/8 md5 map=x\n', 18), ['authentication option "map" is only valid for authentication methods ident, peer, gssapi, sspi, cert, and oauth']);
    assert.deepEqual(syntax('host /^(db all 10.0.0.0/8 md5\n', 16), ['invalid regular expression "^(db": parentheses () not balanced']);
    assert.deepEqual(syntax('host /^(db all 10.0.0.0/8 md5\n', 15), []);
  });

  it('follows include, include_if_exists and include_dir relative to the including file', () => {
    const files = {
      '/etc/pg/a.conf': 'host all all 10.0.0.0/8 md5\n',
      '/etc/pg/conf.d/1.conf': 'local all all peer\n',
      '/etc/pg/conf.d/2.conf': 'host all all 10.0.0.0/8 bogus\n',
      '/etc/pg/conf.d/.hidden.conf': 'garbage\n',
      '/etc/pg/conf.d/notes.txt': 'garbage\n',
    };
    assert.deepEqual(syntax('include a.conf\ninclude_if_exists nothere.conf\n', 16, files), []);
    assert.deepEqual(syntax('include nothere.conf\n', 16, files), ['could not open file "/etc/pg/nothere.conf": No such file or directory']);
    assert.deepEqual(syntax('include_dir conf.d\n', 16, files), ['included file "/etc/pg/conf.d/2.conf" line 1: invalid authentication method "bogus"']);
    assert.deepEqual(syntax('include_dir missing.d\n', 16, files), ['could not open directory "/etc/pg/missing.d": No such file or directory']);
    const parsed = parseHba('include_dir conf.d\n', { version: 16, uri: 'file:///etc/pg/pg_hba.conf', readFile: (p) => (files as Record<string, string>)[p], readDir: () => Object.keys(files).filter((p) => p.startsWith('/etc/pg/conf.d/')).map((p) => p.slice(15)) });
    assert.deepEqual(parsed.records.map((r) => `${r.file}:${r.line.lineNumber}`), ['/etc/pg/conf.d/1.conf:1', '/etc/pg/conf.d/2.conf:1']);
  });

  it('reports an include cycle once, on the include line, without hanging', () => {
    const files = { '/etc/pg/pg_hba.conf': 'include b.conf\n', '/etc/pg/b.conf': 'local all all peer\ninclude pg_hba.conf\n' };
    const found = lintCase({ code: 'include b.conf\nlocal all all peer\n', config: { postgresVersion: 17 }, files }).filter((f) => f.ruleId === 'hba-syntax');
    assert.equal(found.length, 1);
    assert.equal(found[0].start, 8);
    assert.match(found[0].message, /^included file "\/etc\/pg\/b.conf" line 2: include cycle "\/etc\/pg\/pg_hba.conf" -> "\/etc\/pg\/b.conf" -> "\/etc\/pg\/pg_hba.conf"/);
    const self = lintCase({ code: 'include pg_hba.conf\n', config: { postgresVersion: 17 }, files: { '/etc/pg/pg_hba.conf': 'include pg_hba.conf\n' } });
    assert.equal(self.filter((f) => f.ruleId === 'hba-syntax').length, 1);
  });

  it('expands @files and reports a missing one with the version\'s text', () => {
    const files = { '/etc/pg/users.txt': 'alice, bob\n# comment\ncarol' };
    const parsed = parseHba('host all @users.txt 10.0.0.0/8 md5\n', { version: 15, uri: 'file:///etc/pg/pg_hba.conf', readFile: (p) => (files as Record<string, string>)[p] });
    assert.deepEqual(parsed.records[0].users.map((t) => t.value), ['alice', 'bob', 'carol']);
    assert.deepEqual(syntax('host all @nobody.txt 10.0.0.0/8 md5\n', 15, files), ['could not open secondary authentication file "@nobody.txt" as "/etc/pg/nobody.txt": No such file or directory']);
    assert.deepEqual(syntax('host all @nobody.txt 10.0.0.0/8 md5\n', 16, files), ['could not open file "/etc/pg/nobody.txt": No such file or directory']);
    assert.deepEqual(syntax('host all @loop.txt 10.0.0.0/8 md5\n', 16, { '/etc/pg/loop.txt': '@loop.txt\n' }), ['could not open file "/etc/pg/loop.txt": maximum nesting depth exceeded']);
  });

  it('refuses a pg_hba.conf with no records', () => {
    assert.deepEqual(syntax('# only comments\n\n'), ['configuration file "pg_hba.conf" contains no entries']);
  });
});

describe('hba parser on hostile input', function () {
  this.timeout(60_000);

  const survives = (text: string, version = 17) => {
    const t0 = Date.now();
    const found = lintCase({ code: text, config: { postgresVersion: version } });
    for (const f of found) {
      assert.ok(f.start >= 0 && f.end >= f.start && f.end <= text.length, `range ${f.start}-${f.end} outside the text`);
    }
    return { found, ms: Date.now() - t0 };
  };

  it('survives binary data', () => {
    let bin = '';
    for (let i = 0; i < 20000; i++) bin += String.fromCharCode((i * 7919) % 65536);
    survives(bin);
  });

  it('survives a 1 MB file and a 10,000-character line', () => {
    const big = 'host all all 10.0.0.0/8 md5 # padding padding padding\n'.repeat(20000);
    assert.ok(big.length > 1_000_000);
    survives(big);
    const long = `host ${'d,'.repeat(5000)}x all 10.0.0.0/8 md5\nhost all all ${'a'.repeat(10000)} md5\n`;
    const { found } = survives(long);
    assert.ok(found.every((f) => f.ruleId !== 'hba-syntax'));
  });

  it('survives unbalanced quotes and a continuation at the end of the file', () => {
    assert.deepEqual(syntax('host "all all 10.0.0.0/8 md5\n'), ['end-of-line before role specification']);
    survives('host all all 10.0.0.0/8 md5 \\');
    survives('\\');
    survives('"');
    survives('\\\n\\\n\\');
  });

  it('never throws on arbitrary text (property)', () => {
    const alphabet = fc.constantFrom('host', 'local', 'all', ' ', '\t', ',', '"', '#', '\\', '\n', '\r', '10.0.0.0/8', '::1', '/', '@x', '+g', 'md5', 'trust', 'map=x', 'include', '日', '🙂', '\0');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 60 }), fc.constantFrom(13, 14, 15, 16, 17, 18), (parts, version) => {
        survives(parts.join(''), version);
      }),
      { numRuns: 500 },
    );
  });
});
