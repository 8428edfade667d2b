// The shape of a pg_hba.conf rule, and what rules share: the parsed file, where a finding
// on a record goes, and fixes that change a method or a token without breaking the record.

import { PgwardenConfig } from '../config';
import { fix, replace } from '../fix';
import { Finding, Fix, RuleMeta, TextEdit } from '../rules';
import { LineIndex } from '../text';
import { Workspace } from '../workspace';
import type { IdentFact } from '../ident/rule';
import { isLoopbackNet, isPrivateNet, isWideNet } from './address';
import { checkOption, HbaParse, HbaRecord } from './parse';
import { ShadowAnalysis } from './shadow';
import { HbaToken } from './tokenize';

export interface HbaRuleContext {
  text: string;
  parse: HbaParse;
  config: PgwardenConfig;
  workspace: Workspace;
  lines: LineIndex;
  /** Superuser names: postgres, the config's list, SQL facts and the live catalog. */
  superusers: readonly string[];
  /** Shadowing and duplicates, computed once per lint and shared. */
  shadow(): ShadowAnalysis;
  /** The maps of the pg_ident.conf beside this file, or undefined when unknown (no such file, or one the server refuses). */
  identMaps(): IdentFact[] | undefined;
}

export interface HbaRule {
  meta: RuleMeta;
  check(ctx: HbaRuleContext): Finding[];
}

/** The document's own records that the server accepts: what most rules look at. */
const VALID = new WeakMap<HbaParse, HbaRecord[]>();
const LIVE = new WeakMap<HbaParse, HbaRecord[]>();

export function validRecords(ctx: HbaRuleContext): HbaRecord[] {
  let v = VALID.get(ctx.parse);
  if (!v) VALID.set(ctx.parse, (v = ctx.parse.records.filter((r) => r.inDocument && !r.error && r.type)));
  return v;
}

/**
 * Valid records some connection can reach: shadowed and duplicate records are dead text,
 * reported by hba-shadowed and hba-duplicate, so the security rules leave them alone.
 */
export function liveRecords(ctx: HbaRuleContext): HbaRecord[] {
  let v = LIVE.get(ctx.parse);
  if (!v) {
    const s = ctx.shadow();
    LIVE.set(ctx.parse, (v = validRecords(ctx).filter((r) => !s.shadowedBy.has(r.index) && !s.duplicateOf.has(r.index))));
  }
  return v;
}

/**
 * Where a finding on a record goes: the token when it starts on the record's first line
 * (the line the server reports), else the first line's text, so the diagnostic and a
 * disable-next-line comment both sit on the record's first line.
 */
export function recordRange(rec: { line: HbaRecord['line'] }, token?: HbaToken, endToken?: HbaToken): { start: number; end: number } {
  const l = rec.line;
  if (token && !token.fromFile && token.start >= l.start && token.start < l.firstLineEnd) {
    const last = endToken && !endToken.fromFile && endToken.end <= l.firstLineEnd ? endToken : token;
    return { start: token.start, end: Math.max(token.end, last.end) };
  }
  // The record's text on its first line, without a trailing comment.
  const first = l.fields[0]?.start ?? l.start;
  let end = first;
  for (const f of l.fields) for (const t of f.tokens) if (t.end <= l.firstLineEnd && t.end > end) end = t.end;
  return { start: first, end: end > first ? end : Math.max(first, l.firstLineEnd) };
}

export const isTcp = (r: HbaRecord) => r.type !== undefined && r.type !== 'local';

/** The address only reaches this machine: loopback networks, localhost, samehost. */
export function isLocalAddress(r: HbaRecord): boolean {
  const a = r.address;
  if (!a) return r.type === 'local';
  if (a.kind === 'samehost') return true;
  if (a.kind === 'hostname') return a.hostname!.toLowerCase() === 'localhost';
  if (a.kind === 'ip') return isLoopbackNet(a.family!, a.bytes!, a.prefix);
  return false;
}

/** The address matches every client of a family: `all`, or a zero mask. */
export function isOpenAddress(r: HbaRecord): boolean {
  const a = r.address;
  if (!a) return false;
  if (a.kind === 'all') return true;
  return a.kind === 'ip' && !!a.mask && a.mask.every((b) => b === 0);
}

/** An IP network wider than one site's (see isWideNet); open addresses are counted too. */
export function isWideAddress(r: HbaRecord): boolean {
  const a = r.address;
  return !!a && a.kind === 'ip' && isWideNet(a.family!, a.mask!);
}

/** An IP network that lies wholly inside private ranges (RFC 1918, unique-local, link-local). */
export function isPrivateAddress(r: HbaRecord): boolean {
  const a = r.address;
  return !!a && a.kind === 'ip' && isPrivateNet(a.family!, a.bytes!, a.mask!);
}

export function addressText(r: HbaRecord): string {
  const a = r.address;
  if (!a) return 'the local socket';
  return a.maskToken ? `${a.token.value} ${a.maskToken.value}` : a.token.value;
}

/**
 * A fix that sets the record's method, dropping options the new method does not accept
 * (map= after ident), so the fixed record still loads.
 */
export function methodFix(ctx: HbaRuleContext, rec: HbaRecord, method: string, title?: string): Fix | undefined {
  const tok = rec.methodToken;
  if (!tok || tok.fromFile) return undefined;
  const edits: TextEdit[] = [replace(tok.start, tok.end, method)];
  let prevEnd = tok.end;
  for (const o of rec.options) {
    if (o.token.fromFile) return undefined;
    if (optionValidFor(ctx, rec, o.token.value, method)) {
      prevEnd = o.token.end;
    } else {
      edits.push(replace(prevEnd, o.token.end, ''));
    }
  }
  return fix(title ?? `Use ${method}`, edits, { consequence: methodConsequence(rec.method ?? '', method) });
}

/** What switching a record from one method to another can lock out: every such switch is unsafe. */
function methodConsequence(from: string, to: string): string {
  if (to === 'scram-sha-256') {
    if (from === 'md5') return 'locks out roles whose stored password hash is md5 until their passwords are set again';
    if (from === 'trust') return 'clients that connected without a password are refused until they send one';
    if (from === 'password') return 'locks out roles whose stored hash is md5, and clients without SCRAM support';
    if (from === 'ident') return 'clients named by ident must now send a password; roles without a SCRAM password are locked out';
  }
  if (to === 'peer' && from === 'trust') return 'each connection may then log in only as the role named like its operating-system user';
  return `clients that passed ${from || 'the old method'} must now pass ${to}`;
}

function optionValidFor(ctx: HbaRuleContext, rec: HbaRecord, option: string, method: string): boolean {
  const eq = option.indexOf('=');
  if (eq < 0) return false;
  return checkOption(option.slice(0, eq), option.slice(eq + 1), rec.type!, method, ctx.config.postgresVersion, new Map()) === undefined;
}

export function tokenFix(title: string, token: HbaToken, newText: string, consequence?: string): Fix | undefined {
  if (token.fromFile) return undefined;
  return fix(title, [replace(token.start, token.end, newText)], { consequence });
}

/**
 * Deletes a whole record: its logical line and the line break after it. Safe only when no
 * connection can reach the record (a duplicate, a shadowed one): callers say so.
 */
export function deleteRecordFix(text: string, rec: HbaRecord, title = 'Delete this record'): Fix {
  let end = rec.line.end;
  while (end < text.length && text.charCodeAt(end) === 13) end++;
  if (text.charCodeAt(end) === 10) end++;
  // A comment on a continued line belongs to the record too; the line's end covers it.
  return fix(title, [replace(rec.line.start, end, '')]);
}

export function finding(ruleId: string, range: { start: number; end: number }, message: string, extra: Partial<Finding> = {}): Finding {
  return { ruleId, start: range.start, end: range.end, message, ...extra };
}

/** A finding on the record's method that offers `method` in its place (no fix when methodFix cannot make one). */
export function methodFinding(ctx: HbaRuleContext, rec: HbaRecord, ruleId: string, method: string, message: string): Finding {
  const f = methodFix(ctx, rec, method);
  return finding(ruleId, recordRange(rec, rec.methodToken), message, f ? { fixes: [f] } : {});
}
