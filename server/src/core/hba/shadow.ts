// Which records no connection can reach. The server takes the first record that matches
// a connection's type, database, user and address and never falls through, so record j
// is dead when an earlier record i covers it on all four, whatever the methods:
// - type: host covers every TCP type, hostnogssenc covers hostssl, hostnossl covers
//   hostgssenc, and each type covers itself; local stands alone;
// - database: `all` covers everything but `replication` (physical replication connections
//   match only that keyword); otherwise equal tokens;
// - user: `all` covers everything; names, +groups, @files and regexes only when equal;
// - address: `all` covers everything; a network covers the networks inside it (same
//   family); host names only when equal or under a `.suffix`; samehost and samenet only
//   when equal.
// Records are indexed by type, database and user token and by network prefix, so a
// 10,000-record file is checked in close to linear time.

import { ConnType, HbaRecord } from './parse';
import { HbaToken } from './tokenize';

export interface ShadowAnalysis {
  /** Record index -> the index of the earlier record it duplicates exactly. */
  duplicateOf: Map<number, number>;
  /** Record index -> the index of the earlier record that covers it. */
  shadowedBy: Map<number, number>;
  /** Whether record i covers record j (both valid). */
  covers(i: HbaRecord, j: HbaRecord): boolean;
}

const COVERING: Record<ConnType, ConnType[]> = {
  local: ['local'],
  host: ['host'],
  hostssl: ['host', 'hostssl', 'hostnogssenc'],
  hostnossl: ['host', 'hostnossl'],
  hostgssenc: ['host', 'hostgssenc', 'hostnossl'],
  hostnogssenc: ['host', 'hostnogssenc'],
};

export function typeCovers(i: ConnType, j: ConnType): boolean {
  return COVERING[j].includes(i);
}

export function dbKey(t: HbaToken, regex: boolean): string {
  if (!t.quoted) {
    if (t.value === 'all' || t.value === 'sameuser' || t.value === 'replication') return 'k:' + t.value;
    if (t.value === 'samerole' || t.value === 'samegroup') return 'k:samerole';
  }
  if (regex && t.value[0] === '/') return 'r:' + t.value;
  return 'n:' + t.value;
}

export function userKey(t: HbaToken, regex: boolean): string {
  if (!t.quoted) {
    if (t.value === 'all') return 'k:all';
    if (t.value[0] === '+') return 'g:' + t.value.slice(1);
  }
  if (regex && t.value[0] === '/') return 'r:' + t.value;
  return 'n:' + t.value;
}

function addrCovers(i: HbaRecord, j: HbaRecord): boolean {
  const a = i.address;
  const b = j.address;
  if (!a || !b) return !a && !b;
  if (a.kind === 'all') return true;
  if (a.kind !== b.kind) return false;
  if (a.kind === 'samehost' || a.kind === 'samenet') return true;
  if (a.kind === 'hostname') {
    const x = a.hostname!.toLowerCase();
    const y = b.hostname!.toLowerCase();
    return x === y || (x.startsWith('.') && y.endsWith(x));
  }
  if (a.family !== b.family) return false;
  const am = a.mask!;
  const bm = b.mask!;
  if (a.prefix !== undefined && b.prefix !== undefined) {
    if (a.prefix > b.prefix) return false;
    for (let k = 0; k < am.length; k++) if ((a.bytes![k] & am[k]) !== (b.bytes![k] & am[k])) return false;
    return true;
  }
  // A non-contiguous mask covers only the same masked network.
  for (let k = 0; k < am.length; k++) {
    if (am[k] !== bm[k] || (a.bytes![k] & am[k]) !== (b.bytes![k] & bm[k])) return false;
  }
  return true;
}

function addrKey(r: HbaRecord): string {
  const a = r.address;
  if (!a) return '-';
  if (a.kind === 'all' || a.kind === 'samehost' || a.kind === 'samenet') return a.kind;
  if (a.kind === 'hostname') return 'h:' + a.hostname!.toLowerCase();
  if (a.family === 4 && a.prefix !== undefined) {
    const b = a.bytes!;
    const v = ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0;
    return `4:${a.prefix === 0 ? 0 : (v & (0xffffffff << (32 - a.prefix))) >>> 0}/${a.prefix}`;
  }
  const masked = a.bytes!.map((b, k) => b & a.mask![k]);
  return `${a.family}:${masked.join('.')}/${a.mask!.join('.')}`;
}

/**
 * The records of one (type, database key, user key) bucket, by address. Every part is
 * created on first use: most buckets of a real file hold one or two records, and a Map per
 * bucket and kind would be most of the analysis's memory and time.
 */
interface AddrIndex {
  /** Records for every address (`all`), and local records. */
  any?: number[];
  /** Networks by family and prefix length, in the order they first appeared. */
  prefixList?: PrefixNets[];
  /** Host names, samehost, samenet and non-contiguous masks, by addrKey. */
  exact?: Map<string, number[]>;
  /** `.suffix` host names (lower case) and their records. */
  suffixes?: Map<string, number[]>;
}

/**
 * One prefix length's networks in a bucket. The first network is held inline; a Map is
 * made only when a second network of that length arrives.
 */
interface PrefixNets {
  family: number;
  prefix: number;
  key0: string | number;
  list0: number[];
  more?: Map<string | number, number[]>;
}

function netList(p: PrefixNets, key: string | number): number[] | undefined {
  if (p.key0 === key) return p.list0;
  return p.more?.get(key);
}

/** The network of an IPv4 address (as an unsigned 32-bit number) under a prefix length. */
const v4Net = (v: number, p: number): number => (p === 0 ? 0 : (v & (0xffffffff << (32 - p))) >>> 0);

/** A hex key of the network of a 16-byte address under a prefix length. */
function v6Net(bytes: number[], p: number): string {
  let k = '';
  for (let i = 0; i < 16; i++) {
    const bits = Math.max(0, Math.min(8, p - 8 * i));
    k += ((bytes[i] & ((0xff << (8 - bits)) & 0xff)) + 256).toString(16);
  }
  return k;
}

/**
 * Keys of one address's networks by prefix length: a number for IPv4 (no allocation),
 * a hex string for IPv6, computed once per prefix length.
 */
class NetworkKeys {
  private readonly v: number;
  private cache: string[] | undefined;
  constructor(private readonly bytes: number[]) {
    this.v = bytes.length === 4 ? ((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0 : 0;
  }
  at(p: number): string | number {
    if (this.bytes.length === 4) return v4Net(this.v, p);
    const cache = (this.cache ??= []);
    let k = cache[p];
    if (k === undefined) cache[p] = k = v6Net(this.bytes, p);
    return k;
  }
}

const push = <K>(m: Map<K, number[]>, k: K, v: number) => {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
};

/** Upper bound on candidates verified for one record, so adversarial files stay fast. */
const MAX_CANDIDATES = 2000;
/** Records with more database x user combinations than this are checked linearly. */
const MAX_KEYS = 256;

const TYPE_NUMBER: Record<ConnType, number> = { local: 0, host: 1, hostssl: 2, hostnossl: 3, hostgssenc: 4, hostnogssenc: 5 };

export function analyzeShadowing(records: readonly HbaRecord[], version: number): ShadowAnalysis {
  const regex = version >= 16;
  const valid = records.filter((r) => !r.error && r.type);
  // Per-record keys, indexed by the record's position (HbaRecord.index).
  // Keys are interned to small integers once, so the index works on integer Map keys.
  const ids = new Map<string, number>();
  const id = (k: string): number => {
    let v = ids.get(k);
    if (v === undefined) ids.set(k, (v = ids.size));
    return v;
  };
  const ALL = id('k:all');
  const REPLICATION = id('k:replication');
  const dbIds = (r: HbaRecord) => r.databases.map((t) => id(dbKey(t, regex)));
  const userIds = (r: HbaRecord) => r.users.map((t) => id(userKey(t, regex)));
  const dbKeyList: Array<number[] | undefined> = [];
  const userKeyList: Array<number[] | undefined> = [];
  for (const r of valid) {
    dbKeyList[r.index] = dbIds(r);
    userKeyList[r.index] = userIds(r);
  }
  const dbKeys = { get: (i: number) => (i >= 0 ? dbKeyList[i] : undefined) };
  const userKeys = { get: (i: number) => (i >= 0 ? userKeyList[i] : undefined) };

  const covers = (i: HbaRecord, j: HbaRecord): boolean => {
    if (!typeCovers(i.type!, j.type!)) return false;
    const idb = dbKeys.get(i.index) ?? dbIds(i);
    const jdb = dbKeys.get(j.index) ?? dbIds(j);
    const iAll = idb.includes(ALL);
    for (const k of jdb) if (!(idb.includes(k) || (iAll && k !== REPLICATION))) return false;
    const iu = userKeys.get(i.index) ?? userIds(i);
    const ju = userKeys.get(j.index) ?? userIds(j);
    if (!iu.includes(ALL)) for (const k of ju) if (!iu.includes(k)) return false;
    return addrCovers(i, j);
  };

  // The key space is fixed now (covers interns keys of records outside `records` only),
  // so (type, database key, user key) is one exact integer bucket key.
  const K = ids.size;
  const bucketKey = (t: ConnType, d: number, u: number) => (TYPE_NUMBER[t] * K + d) * K + u;

  const idList = (l: number[]): string => (l.length === 1 ? String(l[0]) : [...l].sort((a, b) => a - b).join(','));
  // NUL cannot occur in a token (the server's strings end there), so it separates safely.
  const dupKey = (r: HbaRecord, rAddrKey: string) => {
    let k = `${r.type}\u0000${idList(dbKeys.get(r.index)!)}\u0000${idList(userKeys.get(r.index)!)}\u0000${rAddrKey}\u0000${r.method}\u0000`;
    if (r.options.length === 1) k += r.options[0].token.value;
    else if (r.options.length > 1) k += r.options.map((o) => o.token.value).sort().join('\u0001');
    return k;
  };

  // Duplicates: equal dupKeys have equal signatures (a number from the same fields), so
  // the key string is built only for records whose signature an earlier record has, and
  // for that earlier record; a file of distinct records builds none.
  const sigFirst = new Map<number, number>();
  const keyed: boolean[] = [];
  // The signature of the record being checked (cur).
  const signature = (r: HbaRecord): number => {
    let h = TYPE_NUMBER[r.type!] + 1;
    let sum = 0;
    for (const d of dbKeys.get(r.index)!) sum = (sum + Math.imul(d + 1, 0x9e3779b1)) | 0;
    h = Math.imul(h ^ sum, 0x01000193);
    sum = 0;
    for (const u of userKeys.get(r.index)!) sum = (sum + Math.imul(u + 1, 0x85ebca6b)) | 0;
    h = Math.imul(h ^ sum, 0x01000193);
    const a = r.address;
    if (a && a.kind === 'ip' && a.family === 4 && a.prefix !== undefined) {
      const b = a.bytes!;
      h = Math.imul(h ^ v4Net(((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0, a.prefix), 0x01000193);
      h = Math.imul(h ^ a.prefix, 0x01000193);
    } else if (a && a.kind !== 'all') {
      // Host names and the rest: a hash of the address key, which equal keys share.
      const k = curAddrKey();
      for (let i = 0; i < k.length; i++) h = Math.imul(h ^ k.charCodeAt(i), 0x01000193);
    }
    h = Math.imul(h ^ (r.method?.length ?? 0), 0x01000193);
    return Math.imul(h ^ r.options.length, 0x01000193);
  };

  const duplicateOf = new Map<number, number>();
  const shadowedBy = new Map<number, number>();
  const seen = new Map<string, number>();
  const index = new Map<number, AddrIndex>();
  const wide: HbaRecord[] = [];

  // The candidates of the record being checked, verified list by list as they are found.
  let best = Infinity;
  let budget = MAX_CANDIDATES;
  let cur: HbaRecord;
  // The address key of the record being checked, made only when an exact-address list or a
  // duplicate check needs it (networks are matched by number).
  let curKey: string | undefined;
  const curAddrKey = (): string => (curKey ??= addrKey(cur));
  const check = (l: number[]) => {
    for (const idx of l) {
      if (idx >= best || budget-- <= 0) break;
      if (covers(records[idx], cur)) {
        best = idx;
        break;
      }
    }
  };

  const lookup = (ix: AddrIndex | undefined, j: HbaRecord, jNet: NetworkKeys | undefined) => {
    if (!ix) return;
    if (ix.any) check(ix.any);
    const a = j.address;
    if (!a) return;
    if (jNet && ix.prefixList && a.prefix !== undefined) {
      for (const p of ix.prefixList) {
        if (p.family !== a.family || p.prefix > a.prefix) continue;
        const l = netList(p, jNet.at(p.prefix));
        if (l) check(l);
      }
    }
    if (ix.exact) {
      const ek = ix.exact.get(curAddrKey());
      if (ek) check(ek);
    }
    if (ix.suffixes && a.kind === 'hostname') {
      const h = a.hostname!.toLowerCase();
      // A `.suffix` matches when h ends with it, so it starts at one of h's dots: look those
      // up rather than scan every suffix, and verify in record order as a scan would.
      let found: number[] | undefined;
      for (let d = h.indexOf('.'); d >= 0; d = h.indexOf('.', d + 1)) {
        const l = ix.suffixes.get(h.slice(d));
        if (l) for (const idx of l) (found ??= []).push(idx);
      }
      if (found) {
        found.sort((x, y) => x - y);
        for (const idx of found) check([idx]);
      }
    }
  };

  const addTo = (key: number, r: HbaRecord, rNet: NetworkKeys | undefined) => {
    let ix = index.get(key);
    if (!ix) index.set(key, (ix = {}));
    const a = r.address;
    if (!a || a.kind === 'all') (ix.any ??= []).push(r.index);
    else if (a.kind === 'ip' && a.prefix !== undefined) {
      const list = (ix.prefixList ??= []);
      const net = rNet!.at(a.prefix);
      let p: PrefixNets | undefined;
      for (const q of list) {
        if (q.family === a.family && q.prefix === a.prefix) {
          p = q;
          break;
        }
      }
      if (!p) list.push({ family: a.family!, prefix: a.prefix, key0: net, list0: [r.index] });
      else if (p.key0 === net) p.list0.push(r.index);
      else push((p.more ??= new Map()), net, r.index);
    } else {
      push((ix.exact ??= new Map()), curAddrKey(), r.index);
      if (a.kind === 'hostname' && a.hostname!.startsWith('.')) push((ix.suffixes ??= new Map()), a.hostname!.toLowerCase(), r.index);
    }
  };

  const add = (r: HbaRecord, rNet: NetworkKeys | undefined) => {
    const dbs = dbKeys.get(r.index)!;
    const us = userKeys.get(r.index)!;
    if (dbs.length * us.length > MAX_KEYS) {
      wide.push(r);
      return;
    }
    // Each distinct (database, user) pair once, in the order of first appearance.
    for (let x = 0; x < dbs.length; x++) {
      if (dbs.indexOf(dbs[x]) < x) continue;
      for (let y = 0; y < us.length; y++) {
        if (us.indexOf(us[y]) < y) continue;
        addTo(bucketKey(r.type!, dbs[x], us[y]), r, rNet);
      }
    }
  };

  for (const j of valid) {
    cur = j;
    curKey = undefined;
    const jNet = j.address?.kind === 'ip' && j.address.prefix !== undefined ? new NetworkKeys(j.address.bytes!) : undefined;
    let dup: number | undefined;
    const sig = signature(j);
    const first = sigFirst.get(sig);
    if (first === undefined) sigFirst.set(sig, j.index);
    else {
      if (!keyed[first]) {
        // The first record of a signature is the first of its key too: no earlier record has it.
        keyed[first] = true;
        const f = records[first];
        seen.set(dupKey(f, addrKey(f)), first);
      }
      const dk = dupKey(j, curAddrKey());
      dup = seen.get(dk);
      if (dup === undefined) seen.set(dk, j.index);
    }
    if (dup !== undefined) {
      duplicateOf.set(j.index, dup);
    } else {
      best = Infinity;
      budget = MAX_CANDIDATES;
      const jdb0 = dbKeys.get(j.index)![0];
      const ju0 = userKeys.get(j.index)![0];
      const dbAlso = jdb0 !== ALL && jdb0 !== REPLICATION;
      const userAlso = ju0 !== ALL;
      for (const t of COVERING[j.type!]) {
        lookup(index.get(bucketKey(t, jdb0, ju0)), j, jNet);
        if (userAlso) lookup(index.get(bucketKey(t, jdb0, ALL)), j, jNet);
        if (dbAlso) {
          lookup(index.get(bucketKey(t, ALL, ju0)), j, jNet);
          if (userAlso) lookup(index.get(bucketKey(t, ALL, ALL)), j, jNet);
        }
      }
      for (const w of wide) {
        if (w.index >= best) break;
        if (covers(w, j)) {
          best = w.index;
          break;
        }
      }
      if (best !== Infinity) shadowedBy.set(j.index, best);
    }
    add(j, jNet);
  }
  return { duplicateOf, shadowedBy, covers };
}
