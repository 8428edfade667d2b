// The shape of a postgresql.conf rule: metadata plus a pure function over one analysed
// file, and the helpers the rules share.

import { PgwardenConfig } from '../config';
import { fix, FixOptions, replace } from '../fix';
import { Finding, Fix, RuleMeta } from '../rules';
import { Workspace } from '../workspace';
import { ConfAnalysis, Setting } from './analyze';
import { judgeSettings, Judgement, linesView } from './judge';
import { ConfLexer, quote } from './parse';

export interface ConfRuleContext {
  workspace: Workspace;
  config: PgwardenConfig;
}

export interface ConfRule {
  meta: RuleMeta;
  check(doc: ConfAnalysis, ctx: ConfRuleContext): Finding[];
}

/**
 * The settings the server ends up using from this file: known for the configured
 * version, with a valid value, and not overridden by a later line. Security rules look
 * only at these, so a weak value that a later line replaces is never reported twice.
 */
export function effectiveSettings(doc: ConfAnalysis, ...keys: string[]): Setting[] {
  return doc.settings.filter((s) => s.param && !s.problem && !s.overriddenBy && (keys.length === 0 || keys.includes(s.entry.key)));
}

/** True when `value` written bare lexes as one value token (no quotes needed). */
export function isBareValue(value: string): boolean {
  if (value === '') return false;
  const t = new ConfLexer(value).next();
  return t.start === 0 && t.end === value.length && ['id', 'unquoted', 'integer', 'real'].includes(t.kind);
}

/**
 * A fix that sets the value of `s` to `value`, keeping the line's style: a quoted value
 * stays quoted, a bare one stays bare when the new value can be written bare.
 */
export function setValueFix(s: Setting, value: string, safety: FixOptions = {}, title = `Set ${s.entry.name} to ${value}`): Fix {
  const text = s.entry.quoted || !isBareValue(value) ? quote(value) : value;
  return fix(title, [replace(s.entry.valueStart, s.entry.valueEnd, text)], safety);
}

export function valueFinding(ruleId: string, s: Setting, message: string, fixes?: Fix[]): Finding {
  const f: Finding = { ruleId, start: s.entry.valueStart, end: s.entry.valueEnd, message };
  if (fixes?.length) f.fixes = fixes;
  return f;
}

/** The settings judgements of one file, computed once for all the conf-* rules. */
const JUDGED = new WeakMap<ConfAnalysis, Judgement[]>();

/**
 * The file as the shared settings judgement sees it: each name's value is the line that
 * wins across this file, its includes and postgresql.auto.conf; names no line sets have
 * the version's default.
 */
export function judgementsOf(doc: ConfAnalysis): Judgement[] {
  let out = JUDGED.get(doc);
  if (!out) {
    out = judgeSettings(linesView(doc.version, (key) => doc.winners.get(key)?.value, doc.includesUnread));
    JUDGED.set(doc, out);
  }
  return out;
}

/**
 * The findings of one conf-* rule: each of its judgements on the first line of this file
 * that sets one of the judgement's settings and takes effect. A judgement no line of the
 * file is about (a weak default, a value set in another file) is not reported here: the
 * live audit reports what the server runs.
 */
export function judgedFindings(doc: ConfAnalysis, ruleId: string): Finding[] {
  const out: Finding[] = [];
  for (const j of judgementsOf(doc)) {
    if (j.ruleId !== ruleId) continue;
    const s = j.at.map((key) => doc.settings.find((x) => x.entry.key === key && (x.param || x.custom) && !x.problem && !x.overriddenBy)).find((x) => x !== undefined);
    if (!s) continue;
    const fixes = j.fix && s.entry.key === j.at[0] ? [setValueFix(s, j.fix.value, { safe: j.fix.safe, consequence: j.fix.consequence }, j.fix.title)] : undefined;
    const f = valueFinding(ruleId, s, j.message, fixes);
    if (j.severity) f.severity = j.severity;
    out.push(f);
  }
  return out;
}
