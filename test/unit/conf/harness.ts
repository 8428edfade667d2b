// Table tests for postgresql.conf rules: the case shape and how one is linted (in
// CONF_DIR, with other files from `files`, through the same suppression and severity
// steps as in the editor). The table logic, shared with the SQL and pg_hba.conf testers,
// is in test/support/rule-table.ts; a fix must leave a file the server would accept (no
// conf-syntax finding) in which the finding is gone.

import { defaultConfig, PgwardenConfig } from '../../../server/src/core/config';
import { lintConf } from '../../../server/src/core/conf/lint';
import { resolveSeverities, ResolvedFinding } from '../../../server/src/core/engine';
import { RULES_BY_ID } from '../../../server/src/core/registry';
import { applySuppressions } from '../../../server/src/core/suppress';
import { LineIndex } from '../../../server/src/core/text';
import type { LiveServer } from '../../../server/src/core/live/settings';
import { Workspace } from '../../../server/src/core/workspace';
import { describeFinding, ExpectedFinding, InvalidFields, TableOf, tableTester } from '../../support/rule-table';

/** Where the linted text lives; `files` are relative to its folder. */
export const CONF_DIR = '/etc/postgresql/17/main';

export type ConfExpected = ExpectedFinding;

export interface ConfValidCase {
  code: string;
  name?: string;
  /** The linted file's name in CONF_DIR (default postgresql.conf). */
  fileName?: string;
  /** Other files, by path relative to CONF_DIR (folders are implied by the paths). */
  files?: Record<string, string>;
  config?: Partial<PgwardenConfig>;
  /** Connected servers' pg_settings, as the language server shares them while connected. */
  servers?: LiveServer[];
}

export interface ConfInvalidCase extends ConfValidCase, InvalidFields {}

export type ConfTable = TableOf<ConfValidCase>;

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
      workspace: workspaceWith(c.servers),
      config,
      onInternalError: (id, err) => {
        throw new Error(`rule ${id} threw: ${(err as Error)?.stack ?? err}`);
      },
    },
  );
  return resolveSeverities(applySuppressions(findings, comments, new LineIndex(c.code)), config, RULES_BY_ID);
}

function workspaceWith(servers: LiveServer[] | undefined): Workspace {
  const ws = new Workspace();
  if (servers) ws.setCatalog({ superusers: [], roles: [], rlsEnabled: [], rlsForced: [], policies: [], servers });
  return ws;
}

export function confFindingsOf(ruleId: string, c: ConfValidCase): ResolvedFinding[] {
  return lintConfCase(c).filter((f) => f.ruleId === ruleId);
}

export function confRuleTester(ruleId: string, table: ConfTable): void {
  tableTester(ruleId, table, {
    language: 'conf',
    findings: confFindingsOf,
    loadErrors: (c) => lintConfCase(c).filter((f) => f.ruleId === 'conf-syntax').map((f) => describeFinding(c.code, f)),
  });
}
