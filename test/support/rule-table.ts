// The shared half of the rule table testers for SQL (test/unit/rules/harness.ts),
// pg_hba.conf (test/unit/hba/harness.ts) and postgresql.conf (test/unit/conf/harness.ts),
// after ESLint's RuleTester: `valid` code yields no finding of the rule; each `invalid`
// case names every expected finding by line and column (1-based, UTF-16 columns as an
// editor shows them), and `output` is the text after applying the first fix of every
// finding. A fix must leave text that still loads (the language says what that means) and
// in which the finding is gone, and the rule's `fixable` flag must match its table. Each
// language supplies only how a case is linted and what makes fixed text fail to load.

import assert from 'node:assert/strict';
import { applyEdits } from '../../server/src/core/fix';
import { RULES_BY_ID } from '../../server/src/core/registry';
import { Finding, Language } from '../../server/src/core/rules';
import { LineIndex } from '../../server/src/core/text';

export interface ExpectedFinding {
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  /** A substring the message must contain. */
  message?: string;
  /** Whether the finding is tagged unnecessary (faded text); unchecked when omitted. */
  unnecessary?: boolean;
  /** The finding's severity after the configuration is applied; unchecked when omitted. */
  severity?: string;
}

export interface TableCase {
  code: string;
  name?: string;
}

export interface InvalidFields {
  errors: ExpectedFinding[];
  /** Text after applying the first fix of each finding; omit when the rule offers none. */
  output?: string;
}

export interface TableOf<V extends TableCase> {
  valid: Array<string | V>;
  invalid: Array<V & InvalidFields>;
}

export interface TableLanguage<V extends TableCase> {
  /** The `language` every rule tested this way must declare. */
  language: Language;
  /** Runs once before the cases (the SQL parser loads here). */
  setup?: () => unknown;
  /** The rule's findings for a case, in the order a table lists them. */
  findings(ruleId: string, c: V): Finding[];
  /** What keeps the fixed text `code` from loading (syntax errors or findings); empty when it loads. */
  loadErrors(c: V): unknown[];
}

export function describeFinding(code: string, f: Finding): string {
  const p = new LineIndex(code).positionAt(f.start);
  return `${f.ruleId} at ${p.line + 1}:${p.character + 1} "${code.slice(f.start, f.end)}": ${f.message}`;
}

function preview(code: string): string {
  const one = code.replace(/\s+/g, ' ').trim();
  return one.length > 60 ? one.slice(0, 57) + '...' : one;
}

export function tableTester<V extends TableCase>(ruleId: string, table: TableOf<V>, lang: TableLanguage<V>): void {
  describe(`rule ${ruleId}`, () => {
    if (lang.setup) before(lang.setup);

    it('is registered with metadata', () => {
      const meta = RULES_BY_ID.get(ruleId);
      assert.ok(meta, `${ruleId} is not in the registry`);
      assert.equal(meta.language, lang.language);
      assert.ok(table.valid.length > 0, 'a rule table needs valid cases');
      assert.ok(table.invalid.length > 0, 'a rule table needs invalid cases');
      const fixable = table.invalid.some((c) => c.output !== undefined);
      assert.equal(meta.fixable, fixable, 'meta.fixable must match whether the table has outputs');
    });

    table.valid.forEach((v, i) => {
      // A bare string is a case with only code; every language's case type allows that.
      const c = typeof v === 'string' ? ({ code: v } as V) : v;
      it(`valid #${i + 1}${c.name ? `: ${c.name}` : ''}: ${preview(c.code)}`, () => {
        assert.deepEqual(lang.findings(ruleId, c).map((f) => describeFinding(c.code, f)), []);
      });
    });

    table.invalid.forEach((c, i) => {
      it(`invalid #${i + 1}${c.name ? `: ${c.name}` : ''}: ${preview(c.code)}`, () => {
        const found = lang.findings(ruleId, c);
        const lines = new LineIndex(c.code);
        assert.equal(found.length, c.errors.length, `expected ${c.errors.length} finding(s), got:\n${found.map((f) => describeFinding(c.code, f)).join('\n')}`);
        c.errors.forEach((want, k) => {
          const f = found[k];
          const s = lines.positionAt(f.start);
          const e = lines.positionAt(f.end);
          assert.deepEqual({ line: s.line + 1, column: s.character + 1 }, { line: want.line, column: want.column }, `finding ${k + 1} position: ${describeFinding(c.code, f)}`);
          if (want.endLine !== undefined) assert.equal(e.line + 1, want.endLine, `finding ${k + 1} end line`);
          if (want.endColumn !== undefined) assert.equal(e.character + 1, want.endColumn, `finding ${k + 1} end column`);
          if (want.message !== undefined) assert.ok(f.message.includes(want.message), `message "${f.message}" lacks "${want.message}"`);
          if (want.severity !== undefined) assert.equal(f.severity, want.severity, `finding ${k + 1} severity`);
          if (want.unnecessary !== undefined) assert.equal(Boolean(f.unnecessary), want.unnecessary, `finding ${k + 1} unnecessary tag`);
        });
        if (c.output === undefined) {
          assert.ok(found.every((f) => !f.fixes?.length), 'the rule offered a fix but the case has no output');
          return;
        }
        // Every fix says whether it is safe, and an unsafe one what it can break: fix-all
        // applies safe ones unasked, and the quick-fix title shows the consequence.
        for (const fx of found.flatMap((f) => f.fixes ?? [])) {
          assert.ok(fx.safe === true || (fx.consequence ?? '').length > 0, `fix "${fx.title}" is neither marked safe nor says what it can break (consequence)`);
        }
        const edits = found.flatMap((f) => f.fixes?.[0]?.edits ?? []);
        assert.ok(edits.length > 0, 'the case has an output but the rule offered no fix');
        const fixed = applyEdits(c.code, edits);
        assert.equal(fixed, c.output);
        const after: V = { ...c, code: fixed };
        assert.deepEqual(lang.loadErrors(after), [], 'the fixed text must load');
        assert.deepEqual(lang.findings(ruleId, after).map((f) => describeFinding(fixed, f)), [], 'the fix must remove the finding');
      });
    });
  });
}
