// Table tests for pg_ident.conf rules, linted as /etc/pg/pg_ident.conf with include and
// @file targets from `files`, as the pg_hba.conf harness does; a fix must leave a file the
// server would load (no ident-syntax) in which the finding is gone.

import { defaultConfig, PgwardenConfig } from '../../../server/src/core/config';
import { lintIdent } from '../../../server/src/core/ident/lint';
import { Finding } from '../../../server/src/core/rules';
import { Workspace } from '../../../server/src/core/workspace';
import { describeFinding, TableOf, tableTester } from '../../support/rule-table';

import type { ValidCase } from '../hba/harness';

export const IDENT_URI = 'file:///etc/pg/pg_ident.conf';

export function lintIdentCase(c: ValidCase): Finding[] {
  const config: PgwardenConfig = { ...defaultConfig(), ...c.config };
  const ws = new Workspace();
  if (c.superusers?.length) ws.setCatalog({ superusers: c.superusers, roles: c.superusers, rlsEnabled: [], rlsForced: [], policies: [] });
  const files = c.files ?? {};
  return lintIdent(
    { uri: IDENT_URI, text: c.code, readFile: (p) => files[p] },
    {
      workspace: ws,
      config,
      onInternalError: (id, err) => {
        throw new Error(`rule ${id} threw: ${(err as Error)?.stack ?? err}`);
      },
    },
  ).findings;
}

export function identRuleTester(ruleId: string, table: TableOf<ValidCase>): void {
  tableTester(ruleId, table, {
    language: 'ident',
    findings: (id, c) => lintIdentCase(c).filter((f) => f.ruleId === id).sort((a, b) => a.start - b.start || a.end - b.end),
    loadErrors: (c) => lintIdentCase(c).filter((f) => f.ruleId === 'ident-syntax').map((f) => describeFinding(c.code, f)),
  });
}
