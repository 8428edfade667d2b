// Table tests for pg_hba.conf rules, in the style of test/unit/rules/harness.ts: `valid`
// text yields no finding of the rule; each `invalid` case names every expected finding by
// 1-based line and column (UTF-16, as an editor shows them), and `output` is the text
// after applying the first fix of every finding. A fix must leave a file the server would
// load (no hba-syntax) in which the finding is gone.

import assert from 'node:assert/strict';
import { defaultConfig, PgwardenConfig } from '../../../server/src/core/config';
import { applyEdits } from '../../../server/src/core/fix';
import { lintHba } from '../../../server/src/core/hba/lint';
import { RULES_BY_ID } from '../../../server/src/core/registry';
import { Finding } from '../../../server/src/core/rules';
import { LineIndex } from '../../../server/src/core/text';
import { Workspace } from '../../../server/src/core/workspace';

export interface ExpectedFinding {
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  /** A substring the message must contain. */
  message?: string;
  unnecessary?: boolean;
}

export interface ValidCase {
  code: string;
  config?: Partial<PgwardenConfig>;
  /** Files readable through include and @file, by absolute path (the document is /etc/pg/pg_hba.conf). */
  files?: Record<string, string>;
  /** Roles the workspace knows as superusers (as if created in SQL). */
  superusers?: string[];
  name?: string;
}

export interface InvalidCase extends ValidCase {
  errors: ExpectedFinding[];
  output?: string;
}

export interface Table {
  valid: Array<string | ValidCase>;
  invalid: InvalidCase[];
}

export const DOC_URI = 'file:///etc/pg/pg_hba.conf';

export function lintCase(c: ValidCase): Finding[] {
  const config: PgwardenConfig = { ...defaultConfig(), ...c.config };
  const ws = new Workspace();
  if (c.superusers?.length) {
    ws.setCatalog({ superusers: c.superusers, roles: c.superusers, rlsEnabled: [], rlsForced: [], policies: [] });
  }
  const files = c.files ?? {};
  const dirs = new Map<string, string[]>();
  for (const p of Object.keys(files)) {
    const dir = p.slice(0, p.lastIndexOf('/'));
    dirs.set(dir, [...(dirs.get(dir) ?? []), p.slice(p.lastIndexOf('/') + 1)]);
  }
  return lintHba(
    { uri: DOC_URI, text: c.code, readFile: (p) => files[p], readDir: (p) => dirs.get(p) },
    {
      workspace: ws,
      config,
      onInternalError: (id, err) => {
        throw new Error(`rule ${id} threw: ${(err as Error)?.stack ?? err}`);
      },
    },
  ).findings;
}

export function findingsOf(ruleId: string, c: ValidCase): Finding[] {
  return lintCase(c)
    .filter((f) => f.ruleId === ruleId)
    .sort((a, b) => a.start - b.start || a.end - b.end);
}

export function describeFinding(code: string, f: Finding): string {
  const p = new LineIndex(code).positionAt(f.start);
  return `${f.ruleId} at ${p.line + 1}:${p.character + 1} "${code.slice(f.start, f.end)}": ${f.message}`;
}

function preview(code: string): string {
  const one = code.replace(/\s+/g, ' ').trim();
  return one.length > 60 ? one.slice(0, 57) + '...' : one;
}

export function hbaRuleTester(ruleId: string, table: Table): void {
  describe(`rule ${ruleId}`, () => {
    it('is registered with metadata', () => {
      const meta = RULES_BY_ID.get(ruleId);
      assert.ok(meta, `${ruleId} is not in the registry`);
      assert.equal(meta.language, 'hba');
      assert.ok(table.valid.length > 0 && table.invalid.length > 0, 'a rule table needs valid and invalid cases');
      const fixable = table.invalid.some((c) => c.output !== undefined);
      assert.equal(meta.fixable, fixable, 'meta.fixable must match whether the table has outputs');
    });

    table.valid.forEach((v, i) => {
      const c = typeof v === 'string' ? { code: v } : v;
      it(`valid #${i + 1}${c.name ? `: ${c.name}` : ''}: ${preview(c.code)}`, () => {
        assert.deepEqual(findingsOf(ruleId, c).map((f) => describeFinding(c.code, f)), []);
      });
    });

    table.invalid.forEach((c, i) => {
      it(`invalid #${i + 1}${c.name ? `: ${c.name}` : ''}: ${preview(c.code)}`, () => {
        const found = findingsOf(ruleId, c);
        const lines = new LineIndex(c.code);
        assert.equal(
          found.length,
          c.errors.length,
          `expected ${c.errors.length} finding(s), got:\n${found.map((f) => describeFinding(c.code, f)).join('\n')}`,
        );
        c.errors.forEach((want, k) => {
          const f = found[k];
          const s = lines.positionAt(f.start);
          const e = lines.positionAt(f.end);
          assert.deepEqual({ line: s.line + 1, column: s.character + 1 }, { line: want.line, column: want.column }, `finding ${k + 1} position: ${describeFinding(c.code, f)}`);
          if (want.endLine !== undefined) assert.equal(e.line + 1, want.endLine, `finding ${k + 1} end line`);
          if (want.endColumn !== undefined) assert.equal(e.character + 1, want.endColumn, `finding ${k + 1} end column`);
          if (want.message !== undefined) assert.ok(f.message.includes(want.message), `message "${f.message}" lacks "${want.message}"`);
          if (want.unnecessary !== undefined) assert.equal(!!f.unnecessary, want.unnecessary, 'unnecessary tag');
        });
        if (c.output === undefined) {
          assert.ok(found.every((f) => !f.fixes?.length), 'the rule offered a fix but the case has no output');
          return;
        }
        const edits = found.flatMap((f) => f.fixes?.[0]?.edits ?? []);
        assert.ok(edits.length > 0, 'the case has an output but the rule offered no fix');
        const fixed = applyEdits(c.code, edits);
        assert.equal(fixed, c.output);
        const after = lintCase({ ...c, code: fixed });
        assert.deepEqual(after.filter((f) => f.ruleId === 'hba-syntax').map((f) => describeFinding(fixed, f)), [], 'the fixed file must load');
        assert.deepEqual(after.filter((f) => f.ruleId === ruleId).map((f) => describeFinding(fixed, f)), [], 'the fix must remove the finding');
      });
    });
  });
}
