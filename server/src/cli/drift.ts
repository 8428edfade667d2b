// `pgwarden drift --db CONN [--format text|json|sarif] [--as ROLE] [--platform-roles A,B]
//                 [--sql reconcile|adopt] [--config FILE] PATH...`
// Compares the access-control state the migrations declare with the database's: grants
// (the database's own CONNECT, TEMPORARY and CREATE among them), memberships, roles and
// their attributes, owners, RLS, policies, default privileges, SECURITY DEFINER and
// search_path. Exit 1 when there is drift, so a scheduled CI job is
// the periodic privilege review the hardening guides ask for. A finding stands on the
// statement that declares it, or for something only the database has, on the statement
// that creates its object. `--sql` prints the reconciling (or adopting) migration instead;
// pgwarden never runs it.

import { compareFacts, DriftFinding, factsByKey } from '../core/drift/compare';
import { findingAnchor } from '../core/drift/anchor';
import { declaredFacts } from '../core/drift/declared';
import { Fact } from '../core/drift/facts';
import { liveFacts } from '../core/drift/live';
import { adoptingSql, reconcilingSql } from '../core/drift/sql';
import { connectedDatabase, readLiveAccess } from '../db';
import { parseArgs } from './args';
import { openSession, withSession } from './conn-args';
import { cliPlace, loadDeclared } from './declared';
import { CliError, CliIo } from './io';
import { formatJson, formatSarif, ReportedFinding } from './output';
import { VERSION } from './version';

const USAGE = 'usage: pgwarden drift --db CONN [--format text|json|sarif] [--as ROLE] [--platform-roles A,B] [--sql reconcile|adopt] [--config FILE] PATH...';

/** Rule ids of drift findings, by direction. */
export const DRIFT_RULES: Record<DriftFinding['direction'], string> = {
  'live-only': 'drift-live-only',
  'declared-only': 'drift-declared-only',
  changed: 'drift-changed',
};

export async function run(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, { values: ['db', 'format', 'config', 'as', 'platform-roles', 'sql'], flags: [] }, USAGE);
  const format = args.values.format ?? 'text';
  if (!['text', 'json', 'sarif'].includes(format)) throw new CliError(`unknown --format "${format}" (text, json or sarif)`);
  const sql = args.values.sql;
  if (sql !== undefined && sql !== 'reconcile' && sql !== 'adopt') throw new CliError(`unknown --sql "${sql}" (reconcile or adopt)`);
  // Read the files before connecting: a wrong path is a usage error, not a failure after the read.
  const declaredFiles = loadDeclared(args.positional, args.values.config, USAGE);
  // Platform roles from pgwarden.json ("drift.platformRoles") and from the command line count alike.
  const platformRoles = [...declaredFiles.config.drift.platformRoles, ...(args.values['platform-roles'] ?? '').split(',').map((s) => s.trim()).filter(Boolean)];
  const session = await openSession(args.values.db, io, USAGE);
  const { live, major } = await withSession(session, async (s) => {
    const database = await connectedDatabase(s);
    const as = args.values.as ?? declaredFiles.config.drift.migrationRole ?? database.owner;
    const declared = declaredFacts(declaredFiles.model.state, as, { major: s.major, database });
    return { live: { declared, access: await readLiveAccess(s, [...declared.schemas], as) }, major: s.major };
  });
  const liveSide = liveFacts(live.access, { platformRoles });
  const findings = compareFacts(live.declared, liveSide, { migrationRole: live.access.migrationRole });
  const place = (at: Fact['at']) => cliPlace(declaredFiles.files, at, declaredFiles.model);
  if (sql) {
    const where = (at: NonNullable<Fact['at']>) => {
      const p = place(at);
      return p ? `${p.file}:${p.line}` : at.uri;
    };
    const text = sql === 'reconcile' ? reconcilingSql(findings, live.declared.facts, { major, where }) : adoptingSql(findings, liveSide, { major, where });
    io.stdout(text);
    return findings.length ? 1 : 0;
  }
  const byKey = factsByKey(live.declared.facts);
  const reported = findings.map((f): ReportedFinding => {
    const anchor = findingAnchor(f, byKey);
    return {
      ruleId: DRIFT_RULES[f.direction],
      severity: f.direction === 'declared-only' ? 'warning' : 'error',
      message: f.message,
      object: f.subject,
      objectKind: f.kind,
      ...(place(anchor?.at) ?? {}),
    };
  });
  if (format === 'json') io.stdout(formatJson(reported));
  else if (format === 'sarif') io.stdout(driftSarif(reported));
  else io.stdout(formatDriftText(reported));
  return reported.length ? 1 : 0;
}

const DESCRIPTIONS: Record<string, string> = {
  'drift-live-only': 'The database has access the migrations do not declare (a grant, membership, role, attribute, policy or setting made by hand).',
  'drift-declared-only': 'The migrations declare access the database does not have (a migration not applied, or a revoke or drop made by hand).',
  'drift-changed': 'The database and the migrations disagree on an owner, a grant option, a policy or a role attribute.',
};

/** SARIF with drift's own rule descriptions (drift findings are not lint rules with docs pages). */
function driftSarif(findings: readonly ReportedFinding[]): string {
  const log = JSON.parse(formatSarif(findings, VERSION));
  for (const r of log.runs[0].tool.driver.rules) {
    const text = DESCRIPTIONS[r.id] ?? r.id;
    const uri = 'https://github.com/pgwarden/pgwarden#drift-declared-versus-live';
    Object.assign(r, { shortDescription: { text }, fullDescription: { text }, helpUri: uri, help: { text: `${text} See ${uri}`, markdown: `${text} [Documentation](${uri})` } });
  }
  return JSON.stringify(log, null, 2) + '\n';
}

export function formatDriftText(findings: readonly ReportedFinding[]): string {
  const out = findings.map((f) => `${f.file !== undefined ? `${f.file}:${f.line}` : f.object}  ${f.ruleId}  ${f.message}`);
  out.push(findings.length === 0 ? 'No drift: the database has the access the migrations declare.' : `${findings.length} drift finding(s)`);
  return out.join('\n') + '\n';
}
