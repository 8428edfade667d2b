// The shape of a postgresql.conf rule: metadata plus a pure function over one analysed
// file, and the helpers the rules share.

import { PgwardenConfig } from '../config';
import { fix, FixOptions, replace } from '../fix';
import { Finding, Fix, RuleMeta } from '../rules';
import { Workspace } from '../workspace';
import { ConfAnalysis, Setting } from './analyze';
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
