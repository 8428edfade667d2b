// Loads the extension's TextMate grammars into vscode-textmate with vscode-oniguruma's
// WebAssembly regex engine: the same tokenizer and the same Oniguruma build that VS Code
// uses, so a grammar test here sees what the editor shows.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as onig from 'vscode-oniguruma';
import { INITIAL, parseRawGrammar, Registry, type IGrammar, type IRawGrammar, type StateStack } from 'vscode-textmate';

const ROOT = join(__dirname, '../..');

/** The grammar files this extension contributes, by scope name. */
const GRAMMAR_FILES: Record<string, string> = {
  'source.pg-hba': join(ROOT, 'syntaxes/pg-hba.tmLanguage.json'),
  'source.pg-conf': join(ROOT, 'syntaxes/pg-conf.tmLanguage.json'),
  'source.pg-ident': join(ROOT, 'syntaxes/pg-ident.tmLanguage.json'),
};

// loadWASM may run only once per process, and mocha loads every grammar test file into
// one process, so the engine is created once and shared.
let onigReady: Promise<void> | undefined;

function loadOniguruma(): Promise<void> {
  if (!onigReady) {
    const wasm = readFileSync(join(ROOT, 'node_modules/vscode-oniguruma/release/onig.wasm'));
    // Hand over exactly the file's bytes: a Buffer may be a view on a larger shared pool.
    onigReady = onig.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  }
  return onigReady;
}

let registry: Registry | undefined;

/** A grammar compiled by vscode-textmate, for scope name `source.pg-hba` or `source.pg-conf`. */
export async function loadGrammar(scopeName: string): Promise<IGrammar> {
  registry ??= new Registry({
    onigLib: loadOniguruma().then(() => ({
      createOnigScanner: (patterns: string[]) => new onig.OnigScanner(patterns),
      createOnigString: (s: string) => new onig.OnigString(s),
    })),
    loadGrammar: async (name: string): Promise<IRawGrammar | null> => {
      const file = GRAMMAR_FILES[name];
      return file ? parseRawGrammar(readFileSync(file, 'utf8'), file) : null;
    },
  });
  const grammar = await registry.loadGrammar(scopeName);
  if (!grammar) throw new Error(`no grammar for ${scopeName}`);
  return grammar;
}

/** One token: its UTF-16 range in the line, its text and its scopes without the root scope. */
export type Tok = [start: number, end: number, text: string, scopes: string];

/**
 * Tokenizes lines one after another, handing each line the rule stack the previous line
 * left, as the editor does, so records and comments continued with a backslash keep
 * their scopes on the next line. Each token lists its scopes outermost first, joined by
 * spaces, without the grammar's root scope that every token carries (checked here).
 */
export function tokenizeLines(grammar: IGrammar, lines: string[]): Tok[][] {
  let stack: StateStack = INITIAL;
  const out: Tok[][] = [];
  for (const line of lines) {
    const r = grammar.tokenizeLine(line, stack);
    if (r.stoppedEarly) throw new Error(`tokenizing stopped early on ${JSON.stringify(line)}`);
    out.push(
      r.tokens.map((t) => {
        const root = t.scopes[0];
        if (root !== rootScope(grammar)) throw new Error(`token without the root scope: ${t.scopes.join(' ')}`);
        // vscode-textmate tokenizes the line with a '\n' appended; no token reaches past it.
        const end = Math.min(t.endIndex, line.length);
        return [t.startIndex, end, line.slice(t.startIndex, end), t.scopes.slice(1).join(' ')] as Tok;
      }),
    );
    stack = r.ruleStack;
  }
  return out;
}

const roots = new WeakMap<IGrammar, string>();

/** Records the root scope name of a loaded grammar, which IGrammar does not expose. */
function rootScope(grammar: IGrammar): string {
  let root = roots.get(grammar);
  if (!root) {
    // The first token of an empty line carries only the root scope.
    root = grammar.tokenizeLine('', INITIAL).tokens[0].scopes[0];
    roots.set(grammar, root);
  }
  return root;
}

/** The tokens of one line on its own (starting from the initial rule stack). */
export function tokenizeLine(grammar: IGrammar, line: string): Tok[] {
  return tokenizeLines(grammar, [line])[0];
}

/** Tokens that are not only whitespace, as "text:innermost scope", for short assertions. */
export function innermost(tokens: Tok[]): string[] {
  return tokens.filter((t) => t[2].trim() !== '').map((t) => `${t[2]}:${t[3].split(' ').pop()}`);
}

/**
 * Every regular expression (match, begin, end) in a raw grammar file, so a test can
 * compile each one with Oniguruma itself: vscode-textmate compiles a rule only when a line
 * first reaches it, so a broken regex in a rarely used rule would otherwise stay hidden.
 */
export function grammarRegexes(scopeName: string): string[] {
  const raw = JSON.parse(readFileSync(GRAMMAR_FILES[scopeName], 'utf8')) as RawRule & { repository?: Record<string, RawRule> };
  const out: string[] = [];
  const walk = (r: RawRule | undefined): void => {
    if (!r) return;
    for (const k of ['match', 'begin', 'end', 'while'] as const) if (typeof r[k] === 'string') out.push(r[k]);
    for (const c of [r.captures, r.beginCaptures, r.endCaptures]) if (c) Object.values(c).forEach(walk);
    r.patterns?.forEach(walk);
  };
  walk(raw);
  Object.values(raw.repository ?? {}).forEach(walk);
  return out;
}

interface RawRule {
  match?: string;
  begin?: string;
  end?: string;
  while?: string;
  captures?: Record<string, RawRule>;
  beginCaptures?: Record<string, RawRule>;
  endCaptures?: Record<string, RawRule>;
  patterns?: RawRule[];
}

/** Compiles one regex with vscode-oniguruma; throws Oniguruma's own error if it is invalid. */
export async function compileWithOniguruma(source: string): Promise<void> {
  await loadOniguruma();
  new onig.OnigScanner([source]).dispose();
}
