// Table tests for SQL rules: the case shape and how one is linted (as `test.sql`, with
// other workspace files indexed). The table logic, shared with the pg_hba.conf and
// postgresql.conf testers, is in test/support/rule-table.ts: exact 1-based line and
// column of every finding, `output` after the first fix of each, a fix whose output does
// not parse or still has the finding is refused, and `fixable` must match the table.

import assert from 'node:assert/strict';
import { defaultConfig, PgwardenConfig } from '../../../server/src/core/config';
import { applyEdits } from '../../../server/src/core/fix';
import { analyzeSql, lintAnalyzedSql } from '../../../server/src/core/lint';
import { Finding } from '../../../server/src/core/rules';
import { RULES_BY_ID } from '../../../server/src/core/registry';
import { loadParser } from '../../../server/src/core/sql/parser';
import { Workspace } from '../../../server/src/core/workspace';
import { InvalidFields, TableOf, tableTester } from '../../support/rule-table';

export type { ExpectedFinding } from '../../support/rule-table';

export interface ValidCase {
  code: string;
  /** Other workspace files (name -> SQL) whose facts count. */
  files?: Record<string, string>;
  config?: Partial<PgwardenConfig>;
  name?: string;
  /** The case's own path in the workspace (default `test.sql`), for rules that judge by file kind. */
  path?: string;
}

export interface InvalidCase extends ValidCase, InvalidFields {}

export type Table = TableOf<ValidCase>;

/** Lints `code` as `test.sql` with the other files indexed, returning this rule's findings. */
export function findingsOf(ruleId: string, c: ValidCase): Finding[] {
  const config: PgwardenConfig = { ...defaultConfig(), ...c.config };
  // A rule that is off by default is tested switched on, unless the case configures it
  // (its own test checks that it stays silent by default).
  const meta = RULES_BY_ID.get(ruleId);
  if (meta?.defaultOff && config.rules[ruleId] === undefined) config.rules = { ...config.rules, [ruleId]: meta.defaultSeverity };
  const ws = new Workspace();
  for (const [name, text] of Object.entries(c.files ?? {})) ws.setFile(`file:///${name}`, analyzeSql(`file:///${name}`, text).facts);
  const uri = `file:///${c.path ?? 'test.sql'}`;
  const a = analyzeSql(uri, c.code);
  ws.setFile(uri, a.facts);
  return lintAnalyzedSql(a, ws, config, (id, err) => {
    throw new Error(`rule ${id} threw: ${(err as Error)?.stack ?? err}`);
  }).filter((f) => f.ruleId === ruleId);
}

/** The text after the first fix of every finding of one rule (snippets included); the rule must find something. */
export function fixedText(ruleId: string, c: ValidCase): string {
  const found = findingsOf(ruleId, c);
  assert.ok(found.length > 0, `${ruleId} found nothing in ${c.code}`);
  return applyEdits(c.code, found.flatMap((f) => f.fixes?.[0]?.edits ?? []));
}

export function ruleTester(ruleId: string, table: Table): void {
  tableTester(ruleId, table, {
    language: 'sql',
    setup: () => loadParser(),
    findings: findingsOf,
    loadErrors: (c) => analyzeSql('file:///test.sql', c.code).doc.syntaxErrors,
  });
}
