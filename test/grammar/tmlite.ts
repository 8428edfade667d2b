// A small TextMate tokenizer for grammar tests, because vscode-textmate and
// vscode-oniguruma are not installed. It implements the part of the TextMate model our
// grammars use: `match`, `begin`/`end` rules that span lines, `name`, `captures`,
// `beginCaptures`/`endCaptures` (with nested `patterns` applied to a capture's text),
// `include` of "#repository" entries and "$self", and the rule that the end pattern wins
// a tie with an inner pattern. Regexes run as JavaScript regexes, so grammars tested here
// must keep to the syntax both engines share (no \G, \h, possessive quantifiers or
// variable-length lookbehind); the loader refuses the Oniguruma-only constructs it knows.

import { readFileSync } from 'node:fs';

interface Rule {
  name?: string;
  match?: string;
  begin?: string;
  end?: string;
  captures?: Record<string, Rule>;
  beginCaptures?: Record<string, Rule>;
  endCaptures?: Record<string, Rule>;
  patterns?: Rule[];
  include?: string;
}

interface Grammar extends Rule {
  scopeName: string;
  repository?: Record<string, Rule>;
}

export interface Token {
  text: string;
  scopes: string[];
}

const ONIG_ONLY = [/\\G/, /\\h/, /\\A/, /\\z/, /\(\?~/, /[*+?]\+/];

export class TmLite {
  private readonly cache = new Map<string, RegExp>();

  constructor(readonly grammar: Grammar) {}

  static load(path: string): TmLite {
    return new TmLite(JSON.parse(readFileSync(path, 'utf8')) as Grammar);
  }

  private re(src: string): RegExp {
    let r = this.cache.get(src);
    if (!r) {
      for (const bad of ONIG_ONLY) if (bad.test(src)) throw new Error(`Oniguruma-only syntax ${bad} in ${src}`);
      r = new RegExp(src, 'dgu');
      this.cache.set(src, r);
    }
    return r;
  }

  /** Every regex in the grammar, so a test can check each compiles. */
  allRegexes(): string[] {
    const out: string[] = [];
    const walk = (r: Rule | undefined) => {
      if (!r) return;
      for (const k of ['match', 'begin', 'end'] as const) if (r[k]) out.push(r[k]!);
      for (const c of [r.captures, r.beginCaptures, r.endCaptures]) if (c) Object.values(c).forEach(walk);
      r.patterns?.forEach(walk);
    };
    walk(this.grammar);
    Object.values(this.grammar.repository ?? {}).forEach(walk);
    for (const src of out) this.re(src);
    return out;
  }

  private resolve(patterns: Rule[] | undefined): Rule[] {
    const out: Rule[] = [];
    for (const p of patterns ?? []) {
      if (p.include === '$self') out.push(...this.resolve(this.grammar.patterns));
      else if (p.include?.startsWith('#')) {
        const r = this.grammar.repository?.[p.include.slice(1)];
        if (!r) throw new Error(`unknown include ${p.include}`);
        out.push(...(r.match || r.begin ? [r] : this.resolve(r.patterns)));
      } else out.push(p);
    }
    return out;
  }

  /** Tokenizes a whole text, line by line, carrying open begin/end rules across lines. */
  tokenize(text: string): Token[][] {
    const root = this.grammar.scopeName;
    const stack: Array<{ rule: Rule; scopes: string[] }> = [];
    const result: Token[][] = [];
    for (const line of text.split('\n')) {
      const tokens: Token[] = [];
      const emit = (t: string, scopes: string[]) => {
        if (t === '') return;
        const last = tokens[tokens.length - 1];
        if (last && last.scopes.join(' ') === scopes.join(' ')) last.text += t;
        else tokens.push({ text: t, scopes: [...scopes] });
      };
      let pos = 0;
      let guard = 0;
      for (;;) {
        if (++guard > 10000) throw new Error('tokenizer loop');
        const top = stack[stack.length - 1];
        const baseScopes = top ? top.scopes : [root];
        const patterns = this.resolve(top ? top.rule.patterns : this.grammar.patterns);
        let best: { index: number; m: RegExpExecArray; rule: Rule; isEnd: boolean } | undefined;
        if (top?.rule.end) {
          const m = this.exec(top.rule.end, line, pos);
          if (m) best = { index: m.index, m, rule: top.rule, isEnd: true };
        }
        for (const p of patterns) {
          const src = p.match ?? p.begin;
          if (!src) continue;
          const m = this.exec(src, line, pos);
          if (m && (!best || m.index < best.index)) best = { index: m.index, m, rule: p, isEnd: false };
        }
        if (!best) {
          emit(line.slice(pos), baseScopes);
          break;
        }
        emit(line.slice(pos, best.index), baseScopes);
        const m = best.m;
        const end = m.index + m[0].length;
        if (best.isEnd) {
          this.emitCaptures(line, m, top!.rule.endCaptures ?? top!.rule.captures, top!.scopes, emit);
          stack.pop();
        } else if (best.rule.match) {
          const scopes = best.rule.name ? [...baseScopes, best.rule.name] : baseScopes;
          this.emitCaptures(line, m, best.rule.captures, scopes, emit);
        } else {
          const scopes = best.rule.name ? [...baseScopes, best.rule.name] : baseScopes;
          this.emitCaptures(line, m, best.rule.beginCaptures ?? best.rule.captures, scopes, emit);
          stack.push({ rule: best.rule, scopes });
        }
        if (end === pos && !best.isEnd && best.rule.match) {
          // An empty match must not stall the scan.
          emit(line.slice(pos, pos + 1), baseScopes);
          pos++;
        } else pos = end;
        if (pos > line.length) break;
        if (pos === line.length) {
          // Let an end pattern that matches at the end of the line (`$`) close its rule.
          const t = stack[stack.length - 1];
          if (t?.rule.end) {
            const e = this.exec(t.rule.end, line, pos);
            if (e && e.index === pos && e[0] === '') {
              stack.pop();
              continue;
            }
          }
          break;
        }
      }
      result.push(tokens);
    }
    return result;
  }

  private exec(src: string, line: string, pos: number): RegExpExecArray | null {
    const r = this.re(src);
    r.lastIndex = 0;
    // Search from pos while keeping lookbehind able to see the text before it.
    const g = new RegExp(r.source, 'dgu');
    g.lastIndex = pos;
    return g.exec(line);
  }

  private emitCaptures(
    line: string,
    m: RegExpExecArray,
    captures: Record<string, Rule> | undefined,
    scopes: string[],
    emit: (t: string, s: string[]) => void,
  ): void {
    const start = m.index;
    const end = start + m[0].length;
    const whole = captures?.['0'];
    const outer = whole?.name ? [...scopes, whole.name] : scopes;
    const indices = (m as RegExpExecArray & { indices: Array<[number, number] | undefined> }).indices;
    // Captured groups in order; text between them keeps the outer scopes.
    const groups: Array<{ s: number; e: number; rule: Rule }> = [];
    for (const [k, rule] of Object.entries(captures ?? {})) {
      if (k === '0') continue;
      const span = indices[Number(k)];
      if (span && span[1] > span[0]) groups.push({ s: span[0], e: span[1], rule });
    }
    groups.sort((a, b) => a.s - b.s);
    let p = start;
    for (const g of groups) {
      if (g.s < p) continue;
      emit(line.slice(p, g.s), outer);
      const inner = g.rule.name ? [...outer, g.rule.name] : outer;
      if (g.rule.patterns) {
        const sub = new TmLite({ ...this.grammar, patterns: g.rule.patterns });
        for (const t of sub.tokenize(line.slice(g.s, g.e))[0]) emit(t.text, [...inner, ...t.scopes.slice(1)]);
      } else emit(line.slice(g.s, g.e), inner);
      p = g.e;
    }
    emit(line.slice(p, end), outer);
  }
}

/** The innermost scopes of each token of one line, for compact assertions: "text:scope". */
export function scopesOf(tokens: Token[]): string[] {
  return tokens.filter((t) => t.text.trim() !== '').map((t) => `${t.text}:${t.scopes[t.scopes.length - 1]}`);
}
