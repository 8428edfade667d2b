// Table tests for postgresql.conf rules, in the style of test/unit/rules/harness.ts:
// `valid` texts yield no finding of the rule; each `invalid` case lists every finding by
// 1-based line and column (UTF-16), and `output` is the text after the first fix of every
// finding. A fix must leave a file the server would accept (no conf-syntax finding) and
// must remove the finding. Findings go through the same suppression and severity steps
// as in the editor.

import assert from 'node:assert/strict';
import { defaultConfig, PgwardenConfig } from '../../../server/src/core/config';
import { lintConf } from '../../../server/src/core/conf/lint';
import { resolveSeverities, ResolvedFinding } from '../../../server/src/core/engine';
import { applyEdits } from '../../../server/src/core/fix';
import { RULES_BY_ID } from '../../../server/src/core/registry';
import { applySuppressions } from '../../../server/src/core/suppress';
import { LineIndex } from '../../../server/src/core/text';
import { Workspace } from '../../../server/src/core/workspace';

/** Where the linted text lives; `files` are relative to its folder. */
export const CONF_DIR = '/etc/postgresql/17/main';

export interface ConfExpected {
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  message?: string;
  unnecessary?: boolean;
}

export interface ConfValidCase {
  code: string;
  name?: string;
  /** The linted file's name in CONF_DIR (default postgresql.conf). */
  fileName?: string;
  /** Other files, by path relative to CONF_DIR (folders are implied by the paths). */
  files?: Record<string, string>;
  config?: Partial<PgwardenConfig>;
}

export interface ConfInvalidCase extends ConfValidCase {
  errors: ConfExpected[];
  output?: string;
}

export interface ConfTable {
  valid: Array<string | ConfValidCase>;
  invalid: ConfInvalidCase[];
}

/** A read-only file system made of `files`, for readFile and listDir. */
export function memoryFs(files: Record<string, string>) {
  const abs = new Map(Object.entries(files).map(([p, t]) => [p.startsWith('/') ? p : `${CONF_DIR}/${p}`, t]));
  return {
    readFile: (p: string) => abs.get(p.replace(/\/+/g, '/')),
    listDir: (p: string) => {
      const dir = p.replace(/\/+$/, '') + '/';
      const names = new Set<string>();
      for (const f of abs.keys()) if (f.startsWith(dir)) names.add(f.slice(dir.length).split('/')[0]);
      return names.size ? [...names] : undefined;
    },
  };
}

export function lintConfCase(c: ConfValidCase): ResolvedFinding[] {
  const config: PgwardenConfig = { ...defaultConfig(), ...c.config };
  const path = `${CONF_DIR}/${c.fileName ?? 'postgresql.conf'}`;
  const { findings, comments } = lintConf(
    { uri: `file://${path}`, text: c.code, ...memoryFs(c.files ?? {}) },
    {
      workspace: new Workspace(),
      config,
      onInternalError: (id, err) => {
        throw new Error(`rule ${id} threw: ${(err as Error)?.stack ?? err}`);
      },
    },
  );
  return resolveSeverities(applySuppressions(findings, comments, new LineIndex(c.code)), config, RULES_BY_ID);
}

export function confFindingsOf(ruleId: string, c: ConfValidCase): ResolvedFinding[] {
  return lintConfCase(c).filter((f) => f.ruleId === ruleId);
}

function describe1(code: string, f: ResolvedFinding): string {
  const p = new LineIndex(code).positionAt(f.start);
  return `${f.ruleId} at ${p.line + 1}:${p.character + 1} "${code.slice(f.start, f.end)}": ${f.message}`;
}

function preview(code: string): string {
  const one = code.replace(/\s+/g, ' ').trim();
  return one.length > 60 ? one.slice(0, 57) + '...' : one;
}

export function confRuleTester(ruleId: string, table: ConfTable): void {
  describe(`rule ${ruleId}`, () => {
    it('is registered with metadata', () => {
      const meta = RULES_BY_ID.get(ruleId);
      assert.ok(meta, `${ruleId} is not in the registry`);
      assert.equal(meta.language, 'conf');
      assert.ok(table.valid.length > 0 && table.invalid.length > 0);
      assert.equal(meta.fixable, table.invalid.some((c) => c.output !== undefined), 'meta.fixable must match whether the table has outputs');
    });

    table.valid.forEach((v, i) => {
      const c = typeof v === 'string' ? { code: v } : v;
      it(`valid #${i + 1}${c.name ? `: ${c.name}` : ''}: ${preview(c.code)}`, () => {
        assert.deepEqual(confFindingsOf(ruleId, c).map((f) => describe1(c.code, f)), []);
      });
    });

    table.invalid.forEach((c, i) => {
      it(`invalid #${i + 1}${c.name ? `: ${c.name}` : ''}: ${preview(c.code)}`, () => {
        const found = confFindingsOf(ruleId, c);
        const lines = new LineIndex(c.code);
        assert.equal(found.length, c.errors.length, `expected ${c.errors.length} finding(s), got:\n${found.map((f) => describe1(c.code, f)).join('\n')}`);
        c.errors.forEach((want, k) => {
          const f = found[k];
          const s = lines.positionAt(f.start);
          const e = lines.positionAt(f.end);
          assert.deepEqual({ line: s.line + 1, column: s.character + 1 }, { line: want.line, column: want.column }, `finding ${k + 1} position: ${describe1(c.code, f)}`);
          if (want.endLine !== undefined) assert.equal(e.line + 1, want.endLine, `finding ${k + 1} end line`);
          if (want.endColumn !== undefined) assert.equal(e.character + 1, want.endColumn, `finding ${k + 1} end column`);
          if (want.message !== undefined) assert.ok(f.message.includes(want.message), `message "${f.message}" lacks "${want.message}"`);
          if (want.unnecessary !== undefined) assert.equal(Boolean(f.unnecessary), want.unnecessary, `finding ${k + 1} unnecessary tag`);
        });
        if (c.output === undefined) {
          assert.ok(found.every((f) => !f.fixes?.length), 'the rule offered a fix but the case has no output');
          return;
        }
        const edits = found.flatMap((f) => f.fixes?.[0]?.edits ?? []);
        assert.ok(edits.length > 0, 'the case has an output but the rule offered no fix');
        const fixed = applyEdits(c.code, edits);
        assert.equal(fixed, c.output);
        const after = lintConfCase({ ...c, code: fixed });
        assert.deepEqual(after.filter((f) => f.ruleId === 'conf-syntax').map((f) => describe1(fixed, f)), [], 'the fixed text must be valid');
        assert.deepEqual(after.filter((f) => f.ruleId === ruleId).map((f) => describe1(fixed, f)), [], 'the fix must remove the finding');
      });
    });
  });
}
