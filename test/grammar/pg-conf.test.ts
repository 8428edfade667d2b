// The postgresql.conf TextMate grammar, run on sample lines. vscode-textmate and
// vscode-oniguruma are not dependencies, so a small interpreter below applies the grammar
// the way TextMate does for one line (earliest match wins, then the earlier pattern; a
// rule's end pattern is tried first; begin/end rules push and pop). The grammar keeps to
// regex syntax that JavaScript and Oniguruma read the same way, which the first test checks.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Rule {
  include?: string;
  match?: string;
  begin?: string;
  end?: string;
  name?: string;
  captures?: Record<string, { name: string }>;
  beginCaptures?: Record<string, { name: string }>;
  endCaptures?: Record<string, { name: string }>;
  patterns?: Rule[];
}

interface Grammar {
  scopeName: string;
  patterns: Rule[];
  repository: Record<string, Rule>;
}

const grammar: Grammar = JSON.parse(readFileSync(join(__dirname, '../../syntaxes/pg-conf.tmLanguage.json'), 'utf8'));

interface Token {
  text: string;
  scopes: string[];
}

function resolve(patterns: Rule[]): Rule[] {
  const out: Rule[] = [];
  for (const p of patterns) {
    if (p.include === '$self') out.push(...resolve(grammar.patterns));
    else if (p.include?.startsWith('#')) out.push(...resolve([grammar.repository[p.include.slice(1)]]));
    else out.push(p);
  }
  return out;
}

const compiled = new Map<string, RegExp>();
const re = (src: string) => {
  let r = compiled.get(src);
  if (!r) compiled.set(src, (r = new RegExp(src, 'dg')));
  return r;
};

/** Tokens of one match, split by its capture groups (which do not nest in this grammar). */
function emitMatch(m: RegExpExecArray, scopes: string[], caps: Record<string, { name: string }> | undefined, out: Token[]): void {
  const [s, e] = m.indices![0];
  const whole = caps?.['0']?.name;
  const base = whole ? [...scopes, whole] : scopes;
  const parts: Array<[number, number, string]> = [];
  for (const [k, c] of Object.entries(caps ?? {})) {
    if (k === '0') continue;
    const idx = m.indices![Number(k)];
    if (idx && idx[1] > idx[0]) parts.push([idx[0], idx[1], c.name]);
  }
  parts.sort((a, b) => a[0] - b[0]);
  let at = s;
  for (const [ps, pe, name] of parts) {
    if (ps > at) out.push({ text: m.input.slice(at, ps), scopes: base });
    out.push({ text: m.input.slice(ps, pe), scopes: [...base, name] });
    at = pe;
  }
  if (e > at) out.push({ text: m.input.slice(at, e), scopes: base });
}

export function tokenizeLine(line: string): Token[] {
  const out: Token[] = [];
  const stack: Array<{ rule: Rule; scopes: string[] }> = [];
  let scopes = [grammar.scopeName];
  let pos = 0;
  for (let guard = 0; guard < 1000; guard++) {
    const top = stack[stack.length - 1];
    const candidates: Array<{ rule: Rule; isEnd: boolean }> = [];
    if (top) candidates.push({ rule: top.rule, isEnd: true });
    for (const r of resolve(top ? top.rule.patterns ?? [] : grammar.patterns)) candidates.push({ rule: r, isEnd: false });
    let best: { m: RegExpExecArray; rule: Rule; isEnd: boolean } | undefined;
    for (const c of candidates) {
      const src = c.isEnd ? c.rule.end! : c.rule.match ?? c.rule.begin!;
      const r = re(src);
      r.lastIndex = pos;
      const m = r.exec(line);
      if (m && (!best || m.index < best.m.index)) best = { m, rule: c.rule, isEnd: c.isEnd };
    }
    if (!best) break;
    const { m, rule, isEnd } = best;
    if (m.index > pos) out.push({ text: line.slice(pos, m.index), scopes });
    if (isEnd) {
      emitMatch(m, scopes, rule.endCaptures ?? rule.captures, out);
      stack.pop();
      scopes = stack.length ? stack[stack.length - 1].scopes : [grammar.scopeName];
    } else if (rule.begin) {
      const inner = rule.name ? [...scopes, rule.name] : scopes;
      emitMatch(m, inner, rule.beginCaptures ?? rule.captures, out);
      stack.push({ rule, scopes: inner });
      scopes = inner;
    } else emitMatch(m, rule.name ? [...scopes, rule.name] : scopes, rule.captures, out);
    pos = m.index + m[0].length;
    if (pos >= line.length && !stack.length) break;
    if (pos >= line.length && m[0].length === 0 && isEnd && !stack.length) break;
  }
  if (pos < line.length) out.push({ text: line.slice(pos), scopes });
  return out.filter((t) => t.text !== '');
}

/** The innermost scope of each non-blank token. */
const scopesOf = (line: string) =>
  tokenizeLine(line)
    .filter((t) => t.text.trim() !== '')
    .map((t) => [t.text, t.scopes[t.scopes.length - 1]]);

describe('postgresql.conf grammar (source.pg-conf)', () => {
  it('is a grammar for source.pg-conf whose every pattern compiles', () => {
    assert.equal(grammar.scopeName, 'source.pg-conf');
    const all: string[] = [];
    const visit = (r: Rule) => {
      for (const k of ['match', 'begin', 'end'] as const) if (r[k]) all.push(r[k]!);
      r.patterns?.forEach(visit);
    };
    grammar.patterns.forEach(visit);
    Object.values(grammar.repository).forEach(visit);
    assert.ok(all.length >= 12);
    for (const src of all) {
      assert.doesNotThrow(() => new RegExp(src, 'd'), src);
      // Constructs that Oniguruma and JavaScript read differently are not used.
      assert.doesNotMatch(src, /\(\?[imsx]|\\[hHAzZG]|\*\+|\+\+|\?\+/, src);
    }
  });

  it('scopes a parameter, the equals sign, a number and its unit, and a comment', () => {
    assert.deepEqual(scopesOf('work_mem = 4MB # per sort'), [
      ['work_mem', 'variable.other.parameter.pg-conf'],
      ['=', 'keyword.operator.assignment.pg-conf'],
      ['4', 'constant.numeric.pg-conf'],
      ['MB', 'keyword.other.unit.pg-conf'],
      ['#', 'punctuation.definition.comment.pg-conf'],
      [' per sort', 'comment.line.number-sign.pg-conf'],
    ]);
  });

  it('scopes time units, reals, hex and negative numbers', () => {
    assert.deepEqual(scopesOf('statement_timeout 30min'), [
      ['statement_timeout', 'variable.other.parameter.pg-conf'],
      ['30', 'constant.numeric.pg-conf'],
      ['min', 'keyword.other.unit.pg-conf'],
    ]);
    assert.deepEqual(scopesOf('random_page_cost = 1.1')[2], ['1.1', 'constant.numeric.pg-conf']);
    assert.deepEqual(scopesOf('x = 0x1F')[2], ['0x1F', 'constant.numeric.pg-conf']);
    assert.deepEqual(scopesOf('x = -1')[2], ['-1', 'constant.numeric.pg-conf']);
    assert.deepEqual(scopesOf('x = 4mb').slice(2), [[' 4', 'meta.setting.pg-conf'], ['mb', 'string.unquoted.pg-conf']], 'a wrong-case unit is not a unit');
  });

  it('scopes booleans, but not words that only start like one', () => {
    assert.deepEqual(scopesOf('ssl = on')[2], ['on', 'constant.language.boolean.pg-conf']);
    assert.deepEqual(scopesOf('ssl = OFF')[2], ['OFF', 'constant.language.boolean.pg-conf']);
    assert.deepEqual(scopesOf('log_statement = none')[2], ['none', 'string.unquoted.pg-conf']);
    assert.deepEqual(scopesOf('x = onward')[2], ['onward', 'string.unquoted.pg-conf']);
  });

  it("scopes quoted strings with '' and backslash escapes, and quoted numbers with units", () => {
    assert.deepEqual(scopesOf("application_name = 'it''s \\'x\\''").slice(2), [
      ["'", 'punctuation.definition.string.begin.pg-conf'],
      ['it', 'string.quoted.single.pg-conf'],
      ["''", 'constant.character.escape.quote.pg-conf'],
      ['s ', 'string.quoted.single.pg-conf'],
      ["\\'", 'constant.character.escape.backslash.pg-conf'],
      ['x', 'string.quoted.single.pg-conf'],
      ["\\'", 'constant.character.escape.backslash.pg-conf'],
      ["'", 'punctuation.definition.string.end.pg-conf'],
    ]);
    assert.deepEqual(scopesOf("shared_buffers = '1.5GB'").slice(3, 5), [
      ['1.5', 'constant.numeric.pg-conf'],
      ['GB', 'keyword.other.unit.pg-conf'],
    ]);
    assert.deepEqual(scopesOf("log_line_prefix = '%m [%p] # not a comment '")[3], ['%m [%p] # not a comment ', 'string.quoted.single.pg-conf']);
  });

  it('scopes include directives and their paths', () => {
    assert.deepEqual(scopesOf("include_dir 'conf.d'"), [
      ['include_dir', 'keyword.control.import.pg-conf'],
      ["'", 'punctuation.definition.string.begin.pg-conf'],
      ['conf.d', 'string.quoted.single.pg-conf'],
      ["'", 'punctuation.definition.string.end.pg-conf'],
    ]);
    assert.deepEqual(scopesOf('include_if_exists = extra.conf'), [
      ['include_if_exists', 'keyword.control.import.pg-conf'],
      ['=', 'keyword.operator.assignment.pg-conf'],
      ['extra.conf', 'string.unquoted.path.pg-conf'],
    ]);
    assert.deepEqual(scopesOf('include_files = 1')[0], ['include_files', 'variable.other.parameter.pg-conf'], 'a name that starts like a directive');
  });

  it('scopes custom parameters, comment-only lines and lines the server rejects', () => {
    assert.deepEqual(scopesOf("pgaudit.log = 'ddl, role'")[0], ['pgaudit.log', 'variable.other.parameter.pg-conf']);
    assert.deepEqual(scopesOf('#work_mem = 4MB'), [
      ['#', 'punctuation.definition.comment.pg-conf'],
      ['work_mem = 4MB', 'comment.line.number-sign.pg-conf'],
    ]);
    assert.deepEqual(scopesOf('= 4MB'), [['= 4MB', 'invalid.illegal.line.pg-conf']]);
  });
});
