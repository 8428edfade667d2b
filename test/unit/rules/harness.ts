// Table tests for rules, after ESLint's RuleTester: `valid` code yields no finding of the
// rule; each `invalid` case names every expected finding by line and column (1-based,
// UTF-16 columns as an editor shows them), and `output` is the text after applying the
// first fix of every finding. The harness refuses a fix whose output does not parse or
// still has the finding, and asserts that the rule's `fixable` flag matches its table.

import assert from 'node:assert/strict';
import { defaultConfig, PgwardenConfig } from '../../../server/src/core/config';
import { applyEdits } from '../../../server/src/core/fix';
import { analyzeSql, lintAnalyzedSql } from '../../../server/src/core/lint';
import { RULES_BY_ID } from '../../../server/src/core/registry';
import { Finding } from '../../../server/src/core/rules';
import { loadParser } from '../../../server/src/core/sql/parser';
import { LineIndex } from '../../../server/src/core/text';
import { Workspace } from '../../../server/src/core/workspace';

export interface ExpectedFinding {
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  /** A substring the message must contain. */
  message?: string;
}

export interface ValidCase {
  code: string;
  /** Other workspace files (name -> SQL) whose facts count. */
  files?: Record<string, string>;
  config?: Partial<PgwardenConfig>;
  name?: string;
}

export interface InvalidCase extends ValidCase {
  errors: ExpectedFinding[];
  /** Text after applying the first fix of each finding; omit when the rule offers none. */
  output?: string;
}

export interface Table {
  valid: Array<string | ValidCase>;
  invalid: InvalidCase[];
}

/** Lints `code` as `test.sql` with the other files indexed, returning this rule's findings. */
export function findingsOf(ruleId: string, c: ValidCase): Finding[] {
  const config: PgwardenConfig = { ...defaultConfig(), ...c.config };
  const ws = new Workspace();
  for (const [name, text] of Object.entries(c.files ?? {})) ws.setFile(`file:///${name}`, analyzeSql(`file:///${name}`, text).facts);
  const a = analyzeSql('file:///test.sql', c.code);
  ws.setFile('file:///test.sql', a.facts);
  return lintAnalyzedSql(a, ws, config, (id, err) => {
    throw new Error(`rule ${id} threw: ${(err as Error)?.stack ?? err}`);
  }).filter((f) => f.ruleId === ruleId);
}

export function ruleTester(ruleId: string, table: Table): void {
  describe(`rule ${ruleId}`, () => {
    before(() => loadParser());

    it('is registered with metadata', () => {
      assert.ok(RULES_BY_ID.get(ruleId), `${ruleId} is not in the registry`);
      assert.ok(table.valid.length > 0, 'a rule table needs valid cases');
      assert.ok(table.invalid.length > 0, 'a rule table needs invalid cases');
      const fixable = table.invalid.some((c) => c.output !== undefined);
      assert.equal(RULES_BY_ID.get(ruleId)!.fixable, fixable, 'meta.fixable must match whether the table has outputs');
    });

    table.valid.forEach((v, i) => {
      const c = typeof v === 'string' ? { code: v } : v;
      it(`valid #${i + 1}${c.name ? `: ${c.name}` : ''}: ${preview(c.code)}`, () => {
        const found = findingsOf(ruleId, c);
        assert.deepEqual(found.map((f) => describeFinding(c.code, f)), []);
      });
    });

    table.invalid.forEach((c, i) => {
      it(`invalid #${i + 1}${c.name ? `: ${c.name}` : ''}: ${preview(c.code)}`, () => {
        const found = findingsOf(ruleId, c);
        const lines = new LineIndex(c.code);
        const actual = found.map((f) => {
          const s = lines.positionAt(f.start);
          const e = lines.positionAt(f.end);
          const exp: ExpectedFinding = { line: s.line + 1, column: s.character + 1 };
          return { exp, end: { endLine: e.line + 1, endColumn: e.character + 1 }, message: f.message };
        });
        assert.equal(actual.length, c.errors.length, `expected ${c.errors.length} finding(s), got:\n${found.map((f) => describeFinding(c.code, f)).join('\n')}`);
        c.errors.forEach((want, k) => {
          const got = actual[k];
          assert.deepEqual(got.exp, { line: want.line, column: want.column }, `finding ${k + 1} position`);
          if (want.endLine !== undefined) assert.equal(got.end.endLine, want.endLine, `finding ${k + 1} end line`);
          if (want.endColumn !== undefined) assert.equal(got.end.endColumn, want.endColumn, `finding ${k + 1} end column`);
          if (want.message !== undefined) assert.ok(got.message.includes(want.message), `message "${got.message}" lacks "${want.message}"`);
        });
        if (c.output === undefined) {
          assert.ok(found.every((f) => !f.fixes?.length), 'the rule offered a fix but the case has no output');
          return;
        }
        const edits = found.flatMap((f) => f.fixes?.[0]?.edits ?? []);
        assert.ok(edits.length > 0, 'the case has an output but the rule offered no fix');
        const fixed = applyEdits(c.code, edits);
        assert.equal(fixed, c.output);
        const reparsed = analyzeSql('file:///test.sql', fixed);
        assert.deepEqual(reparsed.doc.syntaxErrors, [], 'the fixed text must parse');
        assert.deepEqual(findingsOf(ruleId, { ...c, code: fixed }).map((f) => describeFinding(fixed, f)), [], 'the fix must remove the finding');
      });
    });
  });
}

function preview(code: string): string {
  const one = code.replace(/\s+/g, ' ').trim();
  return one.length > 60 ? one.slice(0, 57) + '...' : one;
}

function describeFinding(code: string, f: Finding): string {
  const p = new LineIndex(code).positionAt(f.start);
  return `${f.ruleId} at ${p.line + 1}:${p.character + 1} "${code.slice(f.start, f.end)}": ${f.message}`;
}
