// Editor help for pg_hba.conf: hover, completion, outline and the column formatter.

import assert from 'node:assert/strict';
import { applyEdits } from '../../../server/src/core/fix';
import { hbaComplete, hbaFormat, hbaHover, hbaOutline } from '../../../server/src/core/hba/editor';
import { tokenizeLines } from '../../../server/src/core/hba/tokenize';

const at = (text: string, marker: string) => text.indexOf(marker);
const labels = (text: string, offset: number, version?: number) => hbaComplete(text, offset, version).map((i) => i.label);

describe('hba hover', () => {
  const text = 'hostssl "ALL" +admins 10.1.0.0/16 ldap ldaptls=1\nlocal all all ident\n';
  it('explains types, keywords, names, addresses, methods and options', () => {
    assert.match(hbaHover(text, 2)!, /^\*\*hostssl\*\*: TCP\/IP connections that use TLS/);
    assert.match(hbaHover(text, at(text, '"ALL"') + 1)!, /plain database name here, not the keyword `all`/);
    assert.match(hbaHover(text, at(text, '+admins') + 2)!, /member of `admins`/);
    assert.equal(hbaHover(text, at(text, '10.1') + 3), 'IPv4 network `10.1.0.0/16` (65,536 addresses).');
    assert.match(hbaHover(text, at(text, 'ldap ') + 1)!, /^\*\*ldap\*\*: .*ldaptls=1/);
    assert.match(hbaHover(text, at(text, 'ldaptls') + 2)!, /^\*\*ldaptls\*\*: `1` uses StartTLS/);
    assert.match(hbaHover(text, at(text, 'ident'))!, /On `local` records it means `peer`/);
    assert.match(hbaHover(text, at(text, 'all all') )!, /Every database, but \*\*not\*\* physical replication/);
  });
  it('says nothing between tokens or in comments, and never throws', () => {
    assert.equal(hbaHover('host  all', 5), undefined);
    assert.equal(hbaHover('# host all', 3), undefined);
    assert.equal(hbaHover('\0"\\', 1), undefined);
    assert.equal(hbaHover('', 10), undefined);
  });
});

describe('hba completion', () => {
  it('offers record types, with include directives from 16', () => {
    assert.deepEqual(labels('', 0, 15), ['local', 'host', 'hostssl', 'hostnossl', 'hostgssenc', 'hostnogssenc']);
    assert.ok(labels('ho', 2, 16).includes('include_dir'));
  });
  it('offers database, user and address keywords by position', () => {
    assert.deepEqual(labels('host ', 5), ['all', 'sameuser', 'samerole', 'replication']);
    assert.deepEqual(labels('host all ', 9), ['all']);
    assert.deepEqual(labels('host all all ', 13), ['samehost', 'samenet', 'all', '127.0.0.1/32', '::1/128']);
  });
  it('offers the methods valid for the record type and version', () => {
    const local = labels('local all all ', 14);
    assert.ok(local.includes('peer') && !local.includes('cert') && !local.includes('gss'));
    const host = labels('host all all 10.0.0.0/8 ', 24);
    assert.ok(!host.includes('peer') && !host.includes('cert') && !host.includes('oauth'));
    assert.ok(labels('hostssl all all 10.0.0.0/8 ', 27).includes('cert'));
    assert.ok(labels('host all all 10.0.0.0/8 ', 24, 18).includes('oauth'));
    assert.ok(labels('host all all 10.0.0.0 255.0.0.0 ', 32).includes('scram-sha-256'));
  });
  it('offers the options valid for the method', () => {
    const ldap = hbaComplete('host all all 10.0.0.0/8 ldap ', 29);
    assert.ok(ldap.some((i) => i.label === 'ldaptls' && i.insertText === 'ldaptls='));
    assert.ok(!ldap.some((i) => i.label === 'map' || i.label === 'clientcert'));
    const cert = labels('hostssl all all 10.0.0.0/8 cert ', 32);
    assert.ok(cert.includes('map') && cert.includes('clientcert') && !cert.includes('ldaptls'));
    assert.deepEqual(labels('host all all 10.0.0.0/8 md5 # ', 30), []);
  });
});

describe('hba outline', () => {
  it('lists records and includes with ranges, a continued record once', () => {
    const text = '# head\nlocal all all peer\nhost all all \\\n  10.0.0.0/8 md5\ninclude_if_exists extra.conf\n';
    const items = hbaOutline(text, 16);
    assert.deepEqual(items.map((i) => [i.name, i.kind, i.line]), [
      ['local all all peer', 'record', 2],
      ['host all all 10.0.0.0/8 md5', 'record', 3],
      ['include_if_exists extra.conf', 'include', 5],
    ]);
    assert.equal(text.slice(items[1].start, items[1].end), 'host all all \\\n  10.0.0.0/8 md5');
    assert.equal(text.slice(items[1].selectionStart, items[1].selectionEnd), 'host');
  });
});

describe('hba formatter', () => {
  it('aligns columns without changing what the server reads', () => {
    const text = [
      '# TYPE DATABASE USER ADDRESS METHOD',
      'local all postgres peer',
      'host all all 127.0.0.1/32 scram-sha-256 # loopback',
      'hostssl "my db",app +admins 10.0.0.0 255.0.0.0 cert clientcert=verify-full',
      'host all all \\',
      '   ::1/128 md5',
      '',
    ].join('\n');
    const out = applyEdits(text, hbaFormat(text));
    assert.equal(
      out,
      [
        '# TYPE DATABASE USER ADDRESS METHOD',
        'local   all         postgres                    peer',
        'host    all         all      127.0.0.1/32       scram-sha-256 # loopback',
        'hostssl "my db",app +admins  10.0.0.0 255.0.0.0 cert          clientcert=verify-full',
        'host all all \\',
        '   ::1/128 md5',
        '',
      ].join('\n'),
    );
    const sig = (t: string) => tokenizeLines(t, true).map((l) => l.fields.map((f) => f.tokens.map((k) => [k.value, k.quoted])));
    assert.deepEqual(sig(out), sig(text));
    assert.deepEqual(hbaFormat(out), [], 'formatting twice changes nothing');
  });
});
