// Table tests for pg_hba.conf rules: the case shape and how one is linted (as
// /etc/pg/pg_hba.conf, with include and @file targets from `files`). The table logic,
// shared with the SQL and postgresql.conf testers, is in test/support/rule-table.ts; a
// fix must leave a file the server would load (no hba-syntax) in which the finding is gone.

import { defaultConfig, PgwardenConfig } from '../../../server/src/core/config';
import { lintHba } from '../../../server/src/core/hba/lint';
import { Finding } from '../../../server/src/core/rules';
import { Workspace } from '../../../server/src/core/workspace';
import { describeFinding, InvalidFields, TableOf, tableTester } from '../../support/rule-table';

export type { ExpectedFinding } from '../../support/rule-table';

export interface ValidCase {
  code: string;
  config?: Partial<PgwardenConfig>;
  /** Files readable through include and @file, by absolute path (the document is /etc/pg/pg_hba.conf). */
  files?: Record<string, string>;
  /** Roles the workspace knows as superusers (as if created in SQL). */
  superusers?: string[];
  name?: string;
}

export interface InvalidCase extends ValidCase, InvalidFields {}

export type Table = TableOf<ValidCase>;

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

export function hbaRuleTester(ruleId: string, table: Table): void {
  tableTester(ruleId, table, {
    language: 'hba',
    findings: findingsOf,
    loadErrors: (c) => lintCase(c).filter((f) => f.ruleId === 'hba-syntax').map((f) => describeFinding(c.code, f)),
  });
}
