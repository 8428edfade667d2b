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

interface AddrIndex {
  any: number[];
  /** family:prefix:network -> records. */
  /** Networks by family and prefix length: family * 256 + prefix -> network key -> records. */
  nets: Map<number, Map<string | number, number[]>>;
  prefixList: Array<{ family: number; prefix: number; nets: Map<string | number, number[]> }>;
  exact: Map<string, number[]>;
  suffixes: Array<[string, number]>;
}

/**
 * Keys of one address's networks by prefix length: a number for IPv4 (no allocation),
 * a hex string for IPv6.
 */
function networkKeys(bytes: number[]): (prefix: number) => string | number {
  if (bytes.length === 4) {
    const v = ((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0;
    return (p) => (p === 0 ? 0 : (v & (0xffffffff << (32 - p))) >>> 0);
  }
  const cache: string[] = [];
  return (p) => {
    let k = cache[p];
    if (k === undefined) {
      k = '';
      for (let i = 0; i < 16; i++) {
        const bits = Math.max(0, Math.min(8, p - 8 * i));
        k += ((bytes[i] & ((0xff << (8 - bits)) & 0xff)) + 256).toString(16);
      }
      cache[p] = k;
    }
    return k;
  };
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

  const sorted = <T>(l: T[]): T[] => (l.length < 2 ? l : [...l].sort());
  // NUL cannot occur in a token (the server's strings end there), so it separates safely.
  const dupKey = (r: HbaRecord, rAddrKey: string) =>
    `${r.type}\u0000${sorted(dbKeys.get(r.index)!).join(',')}\u0000${sorted(userKeys.get(r.index)!).join(',')}\u0000${rAddrKey}\u0000${r.method}\u0000${
      r.options.length ? sorted(r.options.map((o) => o.token.value)).join('\u0001') : ''
    }`;

  const duplicateOf = new Map<number, number>();
  const shadowedBy = new Map<number, number>();
  const seen = new Map<string, number>();
  // type -> database key -> user key -> addresses: nested maps avoid building a key string per lookup.
  const index = new Map<string, Map<number, Map<number, AddrIndex>>>();
  const getIx = (t: string, d: number, u: number) => index.get(t)?.get(d)?.get(u);
  const wide: HbaRecord[] = [];

  const lookup = (ix: AddrIndex | undefined, j: HbaRecord, jAddrKey: string, jNet: ((p: number) => string | number) | undefined, out: number[][]) => {
    if (!ix) return;
    if (ix.any.length) out.push(ix.any);
    const a = j.address;
    if (!a) return;
    if (jNet && a.prefix !== undefined) {
      for (const p of ix.prefixList) {
        if (p.family !== a.family || p.prefix > a.prefix) continue;
        const l = p.nets.get(jNet(p.prefix));
        if (l) out.push(l);
      }
    }
    const ek = ix.exact.get(jAddrKey);
    if (ek) out.push(ek);
    if (a.kind === 'hostname') {
      const h = a.hostname!.toLowerCase();
      for (const [suffix, idx] of ix.suffixes) if (h.endsWith(suffix)) out.push([idx]);
    }
  };

  const add = (r: HbaRecord, rAddrKey: string, rNet: ((p: number) => string | number) | undefined) => {
    const dbs = dbKeys.get(r.index)!;
    const us = userKeys.get(r.index)!;
    if (dbs.length * us.length > MAX_KEYS) {
      wide.push(r);
      return;
    }
    for (const d of new Set(dbs)) {
      for (const u of new Set(us)) {
        let byDb = index.get(r.type!);
        if (!byDb) index.set(r.type!, (byDb = new Map()));
        let byUser = byDb.get(d);
        if (!byUser) byDb.set(d, (byUser = new Map()));
        let ix = byUser.get(u);
        if (!ix) byUser.set(u, (ix = { any: [], nets: new Map(), prefixList: [], exact: new Map(), suffixes: [] }));
        const a = r.address;
        if (!a || a.kind === 'all') ix.any.push(r.index);
        else if (a.kind === 'ip' && a.prefix !== undefined) {
          const pk = a.family! * 256 + a.prefix;
          let nets = ix.nets.get(pk);
          if (!nets) {
            nets = new Map();
            ix.nets.set(pk, nets);
            ix.prefixList.push({ family: a.family!, prefix: a.prefix, nets });
          }
          push(nets, rNet!(a.prefix), r.index);
        } else {
          push(ix.exact, rAddrKey, r.index);
          if (a.kind === 'hostname' && a.hostname!.startsWith('.')) ix.suffixes.push([a.hostname!.toLowerCase(), r.index]);
        }
      }
    }
  };

  for (const j of valid) {
    const jAddrKey = addrKey(j);
    const jNet = j.address?.kind === 'ip' && j.address.prefix !== undefined ? networkKeys(j.address.bytes!) : undefined;
    const dk = dupKey(j, jAddrKey);
    const dup = seen.get(dk);
    if (dup !== undefined) {
      duplicateOf.set(j.index, dup);
    } else {
      seen.set(dk, j.index);
      const lists: number[][] = [];
      const jdb0 = dbKeys.get(j.index)![0];
      const ju0 = userKeys.get(j.index)![0];
      const dbAlso = jdb0 !== ALL && jdb0 !== REPLICATION;
      const userAlso = ju0 !== ALL;
      for (const t of COVERING[j.type!]) {
        lookup(getIx(t, jdb0, ju0), j, jAddrKey, jNet, lists);
        if (userAlso) lookup(getIx(t, jdb0, ALL), j, jAddrKey, jNet, lists);
        if (dbAlso) {
          lookup(getIx(t, ALL, ju0), j, jAddrKey, jNet, lists);
          if (userAlso) lookup(getIx(t, ALL, ALL), j, jAddrKey, jNet, lists);
        }
      }
      let best = Infinity;
      let budget = MAX_CANDIDATES;
      for (const l of lists) {
        for (const idx of l) {
          if (idx >= best || budget-- <= 0) break;
          if (covers(records[idx], j)) {
            best = idx;
            break;
          }
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
    add(j, jAddrKey, jNet);
  }
  return { duplicateOf, shadowedBy, covers };
}
