// analyzeShadowing indexes records by type, database, user and network, and builds duplicate
// keys only for records whose signature repeats. These tests hold it to the plain definition,
// computed pairwise on random files: a record duplicates the first earlier record with the
// same type, databases, users, address, method and options; otherwise it is shadowed by the
// first earlier record that covers it.

import assert from 'node:assert/strict';
import { HbaRecord, parseHba } from '../../../server/src/core/hba/parse';
import { analyzeShadowing, dbKey, userKey } from '../../../server/src/core/hba/shadow';

/** A deterministic generator over a small vocabulary, so that records often overlap. */
function randomFile(seed: number, n: number): string {
  let s = seed;
  const rnd = (m: number) => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s >>> 8) % m;
  };
  const pick = <T>(a: readonly T[]): T => a[rnd(a.length)];
  const list = (words: readonly string[]) => Array.from({ length: rnd(4) === 0 ? 2 : 1 }, () => pick(words)).join(',');
  const types = ['host', 'hostssl', 'hostnossl', 'hostgssenc', 'hostnogssenc', 'local'];
  const dbs = ['all', 'replication', 'sameuser', 'samerole', 'd1', 'd2', '"all"', '/^d'];
  const users = ['all', 'u1', 'u2', '+g', '"all"', '/^u'];
  const addrs = [
    'all', 'samehost', 'samenet', '10.0.0.0/8', '10.1.0.0/16', '10.1.2.0/24', '10.1.2.3/32', '10.2.0.0/16', '0.0.0.0/0',
    '10.0.0.0 255.0.0.0', '10.0.0.0 255.0.255.0', 'fd00::/8', 'fd00:1::/32', '::/0', 'a.b.example.com', '.b.example.com',
    '.example.com', 'B.Example.COM', 'localhost',
  ];
  const methods = ['md5', 'trust', 'reject', 'scram-sha-256', 'cert', 'ldap ldapserver=x ldapbasedn=y', 'ldap ldapbasedn=y ldapserver=x'];
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    if (i > 0 && rnd(5) === 0) {
      // An earlier record again, its database and user lists reversed and more blanks:
      // a duplicate unless an even earlier record already covers it.
      const words = pick(lines).split(' ');
      lines.push([words[0], ...words.slice(1, 3).map((w) => w.split(',').reverse().join(',')), ...words.slice(3)].join('  '));
      continue;
    }
    const type = pick(types);
    // cert only on hostssl, ldap not on local: those records would be refused.
    let m = pick(methods);
    if (m === 'cert' && type !== 'hostssl') m = 'md5';
    lines.push(type === 'local' ? `local ${list(dbs)} ${list(users)} ${m.startsWith('ldap') ? 'peer' : m}` : `${type} ${list(dbs)} ${list(users)} ${pick(addrs)} ${m}`);
  }
  return lines.join('\n') + '\n';
}

const sortedKeys = (keys: string[]) => [...keys].sort().join('\u0001');

/** The pairwise definition, with the analysis's own covers() as the relation. */
function reference(records: readonly HbaRecord[], version: number) {
  const a = analyzeShadowing(records, version);
  const regex = version >= 16;
  const valid = records.filter((r) => !r.error && r.type);
  const same = (i: HbaRecord, j: HbaRecord) =>
    i.type === j.type &&
    sortedKeys(i.databases.map((t) => dbKey(t, regex))) === sortedKeys(j.databases.map((t) => dbKey(t, regex))) &&
    sortedKeys(i.users.map((t) => userKey(t, regex))) === sortedKeys(j.users.map((t) => userKey(t, regex))) &&
    // With equal types, databases and users, covering both ways means equal addresses.
    a.covers(i, j) &&
    a.covers(j, i) &&
    i.method === j.method &&
    sortedKeys(i.options.map((o) => o.token.value)) === sortedKeys(j.options.map((o) => o.token.value));
  const duplicateOf = new Map<number, number>();
  const shadowedBy = new Map<number, number>();
  valid.forEach((j, k) => {
    const earlier = valid.slice(0, k);
    const dup = earlier.find((i) => !duplicateOf.has(i.index) && same(i, j));
    if (dup) duplicateOf.set(j.index, dup.index);
    else {
      const by = earlier.find((i) => a.covers(i, j));
      if (by) shadowedBy.set(j.index, by.index);
    }
  });
  return { a, duplicateOf, shadowedBy };
}

describe('hba shadowing analysis against the pairwise definition', () => {
  for (const version of [15, 17]) {
    it(`agrees on 300 random files (PostgreSQL ${version})`, () => {
      let shadowed = 0;
      let duplicates = 0;
      for (let seed = 1; seed <= 300; seed++) {
        const text = randomFile(seed, 5 + (seed % 40));
        const parse = parseHba(text, { version });
        const { a, duplicateOf, shadowedBy } = reference(parse.records, version);
        assert.deepEqual([...a.duplicateOf].sort((x, y) => x[0] - y[0]), [...duplicateOf], `duplicates, seed ${seed}:\n${text}`);
        assert.deepEqual([...a.shadowedBy].sort((x, y) => x[0] - y[0]), [...shadowedBy], `shadowing, seed ${seed}:\n${text}`);
        shadowed += shadowedBy.size;
        duplicates += duplicateOf.size;
      }
      // The files exercise both outcomes, not just records that never overlap.
      assert.ok(shadowed > 300 && duplicates > 100, `${shadowed} shadowed, ${duplicates} duplicates`);
    });
  }
});
