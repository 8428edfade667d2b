// `pgwarden impact [--format text|json] [--config FILE] FILE...`: the access changes the
// named migration files make, for a pull request. The files' project (their folder, or the
// root a pgwarden.json or project marker gives) is folded twice, without the named files
// and with them, and the difference is printed: grants, revokes, memberships, policies,
// default privileges, role attributes, owners, RLS, each with the roles that receive it
// through membership. Exit 0; nothing connects.

import { dirname, resolve } from 'node:path';
import { statSync } from 'node:fs';
import { accessChanges, AccessChange } from '../core/drift/impact';
import { parseArgs } from './args';
import { cliPlace, loadDeclared } from './declared';
import { CliError, CliIo } from './io';

const USAGE = 'usage: pgwarden impact [--format text|json] [--config FILE] [--project DIR] FILE...';

export async function run(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, { values: ['format', 'config', 'project'], flags: [] }, USAGE);
  const format = args.values.format ?? 'text';
  if (!['text', 'json'].includes(format)) throw new CliError(`unknown --format "${format}" (text or json)`);
  if (args.positional.length === 0) throw new CliError(`no FILE given\n${USAGE}`);
  const named = args.positional.map((p) => resolve(p));
  for (const [i, p] of named.entries()) {
    let file = false;
    try {
      file = statSync(p).isFile();
    } catch {
      // Reported below.
    }
    if (!file) throw new CliError(`not a migration file: ${args.positional[i]}`);
  }
  const project = args.values.project ?? dirname(args.positional[0]);
  const after = loadDeclared([project], args.values.config, USAGE);
  const before = loadDeclared([project], args.values.config, USAGE, new Set(named));
  const changes = accessChanges(before.model.state, after.model.state);
  // A removal has no declaring statement (the REVOKE or DROP is not a fact of the state): it is shown last, unplaced.
  const placed = changes
    .map((c) => ({ c, at: c.change === 'removed' ? undefined : cliPlace(after.files, c.fact.at, after.model) }))
    .sort((x, y) => (x.at ? 0 : 1) - (y.at ? 0 : 1) || (x.at && y.at ? x.at.file.localeCompare(y.at.file) || x.at.line - y.at.line : 0));
  if (format === 'json') {
    const out = placed.map(({ c, at }) => ({ change: c.change, kind: c.fact.kind, message: c.message.slice(2), members: c.members, ...(at ? { file: at.file, line: at.line } : {}), ...(c.before?.value !== undefined ? { before: c.before.value } : {}), ...(c.fact.value !== undefined ? { after: c.fact.value } : {}) }));
    io.stdout(JSON.stringify({ changes: out }, null, 2) + '\n');
  } else io.stdout(formatImpact(placed));
  return 0;
}

function formatImpact(placed: Array<{ c: AccessChange; at?: { file: string; line: number } }>): string {
  if (!placed.length) return 'No access changes.\n';
  const lines = placed.map(({ c, at }) => `${at ? `${at.file}:${at.line}` : '(revoked or dropped)'}  ${c.message}`);
  return `${lines.join('\n')}\n${placed.length} access change(s)\n`;
}
