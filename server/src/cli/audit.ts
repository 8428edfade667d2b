// `pgwarden audit --db CONN [--format text|json|sarif] [--config FILE]`: the live audit,
// in the same finding shape, formats and exit codes as `pgwarden lint` (0 clean, 1 a
// finding at error severity, 2 usage or internal failure), with `object` naming the
// role, relation, function, schema or setting. Findings on the server's pg_hba.conf
// carry its file and line.

import { audit, DbFinding, describeTarget } from '../db';
import { parseArgs } from './args';
import { openSession, withSession } from './conn-args';
import { CliError, CliIo } from './io';
import { loadConfig } from './lint';
import { CliFinding, exitCodeFor, formatJson, formatSarif } from './output';
import { VERSION } from './version';

const USAGE = 'usage: pgwarden audit --db CONN [--format text|json|sarif] [--config FILE]';

export async function run(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, { values: ['db', 'format', 'config'], flags: [] }, USAGE);
  const format = args.values.format ?? 'text';
  if (!['text', 'json', 'sarif'].includes(format)) throw new CliError(`unknown --format "${format}" (text, json or sarif)`);
  if (args.positional.length) throw new CliError(`unexpected argument "${args.positional[0]}"\n${USAGE}`);
  const { config } = loadConfig(args.values.config);
  const session = await openSession(args.values.db, io, USAGE);
  const where = `postgresql://${describeTarget(session.target).replace(/ \(sslmode=.*\)$/, '')}`;
  const result = await withSession(session, (s) => audit(s, { config }));
  for (const note of result.skipped) io.stderr(`pgwarden: note: not checked: ${note}\n`);
  for (const note of result.notes) io.stderr(`pgwarden: note: ${note}\n`);
  const findings = result.findings.map((f) => toCliFinding(f, where));
  if (format === 'json') io.stdout(formatJson(findings));
  else if (format === 'sarif') io.stdout(formatSarif(findings, VERSION));
  else io.stdout(formatAuditText(findings, where));
  return exitCodeFor(findings, undefined);
}

/** A db finding in lint's shape: located at the server (line 1) or at its pg_hba.conf line. */
export function toCliFinding(f: DbFinding, where: string): CliFinding {
  const line = f.line ?? 1;
  return {
    file: f.file ?? where,
    ruleId: f.ruleId,
    severity: f.severity,
    message: f.message,
    line,
    column: 1,
    endLine: line,
    endColumn: 1,
    object: f.object,
  };
}

export function formatAuditText(findings: readonly CliFinding[], where: string): string {
  const out = findings.map((f) => `${f.file === where ? f.object : `${f.file}:${f.line}`}  ${f.severity}  ${f.message}  ${f.ruleId}`);
  const count = (s: string) => findings.filter((f) => f.severity === s).length;
  out.push(
    `${findings.length === 0 ? 'No findings' : `${findings.length} finding(s)`} on ${where}: ${count('error')} error(s), ${count('warning')} warning(s), ${count('info') + count('hint')} info/hint(s)`,
  );
  return out.join('\n') + '\n';
}
