// Addresses as the server reads them. pg_hba.conf addresses go through getaddrinfo with
// AI_NUMERICHOST, which on glibc accepts inet_aton's forms (`10`, `10.1`, `0x0a.0.0.1`,
// octal `010.0.0.1`) as IPv4; anything it cannot read as a number is a host name, not an
// error. IPv6 goes through ipaddr.js. Masks are applied byte-wise, the way the server
// compares addresses, so host bits never matter for matching.

import * as ipaddr from 'ipaddr.js';

export type Family = 4 | 6;

export interface NumericAddress {
  family: Family;
  bytes: number[];
}

const isDigit = (c: string) => c >= '0' && c <= '9';
const isHex = (c: string) => isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');

/** The largest value of the last part after 0 to 3 earlier parts. */
const INET_LIMITS = [0xffffffff, 0xffffff, 0xffff, 0xff];

/** glibc's inet_aton (the exact variant getaddrinfo uses): 1 to 4 parts, each decimal, 0x hex or 0 octal. */
export function parseInetAton(s: string): number[] | undefined {
  const parts: number[] = [];
  let i = 0;
  const n = s.length;
  let val = 0;
  for (;;) {
    if (i >= n || !isDigit(s[i])) return undefined;
    val = 0;
    let base = 10;
    let digit = false;
    if (s[i] === '0') {
      i++;
      if (s[i] === 'x' || s[i] === 'X') {
        base = 16;
        i++;
      } else {
        base = 8;
        digit = true;
      }
    }
    for (;;) {
      const c = s[i];
      if (c !== undefined && isDigit(c)) {
        if (base === 8 && (c === '8' || c === '9')) return undefined;
        val = val * base + (c.charCodeAt(0) - 48);
        digit = true;
        i++;
      } else if (c !== undefined && base === 16 && isHex(c)) {
        val = val * 16 + parseInt(c, 16);
        digit = true;
        i++;
      } else break;
      if (val > 0xffffffff) return undefined;
    }
    if (!digit) return undefined;
    if (s[i] === '.') {
      if (parts.length > 2 || val > 0xff) return undefined;
      parts.push(val);
      i++;
    } else break;
  }
  if (i !== n) return undefined;
  // The last part fills the bytes the earlier parts left.
  if (val > INET_LIMITS[parts.length]) return undefined;
  // Exact-size arrays: records keep them, and pushed-to arrays carry spare capacity.
  const bytes = [0, 0, 0, 0];
  for (let k = 0; k < parts.length; k++) bytes[k] = parts[k];
  const rest = 4 - parts.length;
  for (let k = rest - 1; k >= 0; k--) bytes[3 - k] = Math.floor(val / 2 ** (8 * k)) & 0xff;
  return bytes;
}

/** A numeric host as getaddrinfo(AI_NUMERICHOST) reads it, or undefined (the server then takes a host name). */
export function parseNumericHost(s: string): NumericAddress | undefined {
  if (s === '') return undefined;
  const v4 = parseInetAton(s);
  if (v4) return { family: 4, bytes: v4 };
  if (!s.includes(':')) return undefined;
  try {
    if (!ipaddr.IPv6.isValid(s)) return undefined;
    const a = ipaddr.IPv6.parse(s);
    return { family: 6, bytes: a.toByteArray() };
  } catch {
    return undefined;
  }
}

/** strtol-style CIDR bits as pg_sockaddr_cidr_mask reads them, or undefined when the server rejects them. */
export function parseMaskBits(bits: string, family: Family): number | undefined {
  if (!/^[ \t\n\v\f\r]*[+-]?[0-9]+$/.test(bits)) return undefined;
  const v = Number(bits.trim());
  if (!Number.isFinite(v) || v < 0 || v > (family === 4 ? 32 : 128)) return undefined;
  return v === 0 ? 0 : v; // "-0" is 0.
}

export function maskFromPrefix(prefix: number, family: Family): number[] {
  const len = family === 4 ? 4 : 16;
  const out: number[] = new Array<number>(len).fill(0);
  for (let k = 0; k < len; k++) {
    const bits = Math.max(0, Math.min(8, prefix - 8 * k));
    out[k] = bits === 0 ? 0 : (0xff << (8 - bits)) & 0xff;
  }
  return out;
}

/** The prefix length of a contiguous mask, or undefined for a mask such as 255.0.255.0. */
export function prefixOfMask(mask: number[]): number | undefined {
  let prefix = 0;
  let ended = false;
  for (const b of mask) {
    for (let bit = 7; bit >= 0; bit--) {
      const set = (b >> bit) & 1;
      if (set && ended) return undefined;
      if (set) prefix++;
      else ended = true;
    }
  }
  return prefix;
}

export function applyMask(bytes: number[], mask: number[]): number[] {
  return bytes.map((b, k) => b & (mask[k] ?? 0));
}

export function formatAddress(family: Family, bytes: number[]): string {
  if (family === 4) return bytes.join('.');
  return ipaddr.fromByteArray(bytes).toString();
}

/** Whether network a/pa contains network b/pb (same family, pa <= pb, equal under a's mask). */
export function cidrContains(aBytes: number[], pa: number, bBytes: number[], pb: number): boolean {
  if (aBytes.length !== bBytes.length || pa > pb) return false;
  const m = maskFromPrefix(pa, aBytes.length === 4 ? 4 : 6);
  for (let k = 0; k < m.length; k++) if ((aBytes[k] & m[k]) !== (bBytes[k] & m[k])) return false;
  return true;
}

/** Whether a network lies entirely within loopback (127.0.0.0/8 or ::1/128). */
export function isLoopbackNet(family: Family, bytes: number[], prefix: number | undefined): boolean {
  if (prefix === undefined) return false;
  if (family === 4) return prefix >= 8 && bytes[0] === 127;
  return prefix === 128 && bytes.slice(0, 15).every((b) => b === 0) && bytes[15] === 1;
}

/** A hex key of a masked network, for indexes. */
export function networkKey(bytes: number[], prefix: number): string {
  const m = applyMask(bytes, maskFromPrefix(prefix, bytes.length === 4 ? 4 : 6));
  return m.map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The number of host bits a mask leaves free (contiguous or not): the network holds 2^n addresses. */
export function freeBits(mask: number[]): number {
  let n = 0;
  for (const b of mask) for (let bit = 0; bit < 8; bit++) if (((b >> bit) & 1) === 0) n++;
  return n;
}

/**
 * Wider than one site's network: an IPv4 network of more than 65,536 addresses (shorter
 * than /16), or an IPv6 network of more than 65,536 /64 subnets (shorter than /48). An
 * IPv6 /64 is one LAN, so counting IPv6 addresses would call every subnet wide.
 */
export function isWideNet(family: Family, mask: number[]): boolean {
  return family === 4 ? freeBits(mask) > 16 : freeBits(mask) > 80;
}

/**
 * Networks only an organisation's own machines use (ipaddr.js calls them private,
 * uniqueLocal and linkLocal): RFC 1918 and link-local IPv4, unique-local and link-local
 * IPv6. Shared (CGNAT) space is left out: a carrier's other customers hold those addresses.
 */
const PRIVATE_RANGES: ReadonlyArray<readonly [Family, number[], number]> = [
  '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16', 'fc00::/7', 'fe80::/10',
].map((cidr) => {
  const [a, bits] = ipaddr.parseCIDR(cidr);
  return [a.kind() === 'ipv4' ? 4 : 6, a.toByteArray(), bits] as const;
});

/** Whether every address of the network (bytes under mask) lies in a private range. */
export function isPrivateNet(family: Family, bytes: number[], mask: number[]): boolean {
  const prefix = prefixOfMask(mask);
  // A non-contiguous mask spans addresses as far apart as its first zero bit allows.
  const bits = prefix ?? leadingOnes(mask);
  return PRIVATE_RANGES.some(([f, net, p]) => f === family && cidrContains(net, p, bytes, bits));
}

function leadingOnes(mask: number[]): number {
  let n = 0;
  for (const b of mask) {
    for (let bit = 7; bit >= 0; bit--) {
      if (((b >> bit) & 1) === 0) return n;
      n++;
    }
  }
  return n;
}
