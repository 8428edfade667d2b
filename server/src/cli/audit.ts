// `pgwarden audit --db CONN [--format text|json|sarif|html] [--config FILE] [--workspace DIR]`:
// the live audit, in the same finding shape, formats and exit codes as `pgwarden lint` (0
// clean, 1 a finding at error severity, 2 usage or internal failure), with `object`
// naming the role, relation, function, schema or setting. With --workspace, a finding is
// placed on the statement of the workspace's SQL files that creates its object, so code
// scanning shows it in the migration; otherwise it has only its logical location (the
// object), never the connection URL, which names host and user and places nothing.
// Findings on the server's pg_hba.conf carry its file and line. `--format html` writes one
// self-contained page (core/live/report-html.ts) to hand on: findings by area with the
// pgdsat/CIS, splinter and pgrls checks they match, the role graph, the checks not run.

import { pathToFileURL } from 'node:url';
import { fallbacks, findInText, locateQuery } from '../core/live/locate';
import { htmlReport } from '../core/live/report-html';
import { audit, DbFinding, describeTarget } from '../db';
import { collectFiles, ignoreMatcher, readText } from '../files';
import { parseArgs } from './args';
import { openSession, withSession } from './conn-args';
import { CliError, CliIo } from './io';
import { loadConfig } from './lint';
import { CliPlace, exitCodeFor, formatJson, formatSarif, ReportedFinding } from './output';
import { VERSION } from './version';

const USAGE = 'usage: pgwarden audit --db CONN [--format text|json|sarif|html] [--config FILE] [--workspace DIR]';

export async function run(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, { values: ['db', 'format', 'config', 'workspace'], flags: [] }, USAGE);
  const format = args.values.format ?? 'text';
  if (!['text', 'json', 'sarif', 'html'].includes(format)) throw new CliError(`unknown --format "${format}" (text, json, sarif or html)`);
  if (args.positional.length) throw new CliError(`unexpected argument "${args.positional[0]}"\n${USAGE}`);
  const { config, configDir } = loadConfig(args.values.config);
  // Read before connecting: a wrong path is a usage error, not a failure after the audit.
  const place = args.values.workspace !== undefined ? placer(args.values.workspace, ignoreMatcher(config.ignore, configDir)) : undefined;
  const session = await openSession(args.values.db, io, USAGE);
  const where = `postgresql://${describeTarget(session.target).replace(/ \(sslmode=.*\)$/, '')}`;
  const result = await withSession(session, (s) => audit(s, { config }));
  for (const note of result.skipped) io.stderr(`pgwarden: note: not checked: ${note}\n`);
  for (const note of result.notes) io.stderr(`pgwarden: note: ${note}\n`);
  const findings = result.findings.map((f) => toCliFinding(f, place?.(f)));
  if (format === 'json') io.stdout(formatJson(findings));
  else if (format === 'sarif') io.stdout(formatSarif(findings, VERSION));
  else if (format === 'html')
    io.stdout(
      htmlReport({
        findings: result.findings,
        skipped: result.skipped,
        notes: result.notes,
        snapshot: result.snapshot,
        target: where.replace(/^postgresql:\/\//, ''),
        auditedAs: session.target.user,
        generatedAt: result.snapshot.now,
        version: VERSION,
      }),
    );
  else io.stdout(formatAuditText(findings, where));
  return exitCodeFor(findings, undefined);
}

/** A db finding in the CLI's shape: at its pg_hba.conf line, at the statement `place` found, or at no place. */
export function toCliFinding(f: DbFinding, placed?: CliPlace): ReportedFinding {
  const out: ReportedFinding = { ruleId: f.ruleId, severity: f.severity, message: f.message, object: f.object, objectKind: f.objectKind };
  if (f.file !== undefined) {
    const line = f.line ?? 1;
    Object.assign(out, { file: f.file, line, column: 1, endLine: line, endColumn: 1 });
  } else if (placed) Object.assign(out, placed);
  if (f.fix !== undefined) out.fix = f.fix;
  return out;
}

/**
 * Finds, for a finding, the first statement (files in path order) in the workspace's SQL
 * files that creates its object: the place the finding is reported at. Throws a usage
 * error for a missing path.
 */
export function placer(dir: string, ignore: ReturnType<typeof ignoreMatcher>): (f: DbFinding) => CliPlace | undefined {
  const { files, missing } = collectFiles([dir], ignore, 'sql');
  if (missing.length) throw new CliError(`--workspace: no such file or directory: ${missing.join(', ')}`);
  const texts = files
    .map((f) => ({ display: f.display, uri: pathToFileURL(f.path).toString(), text: readText(f.path) ?? '' }))
    .sort((a, b) => (a.display < b.display ? -1 : a.display > b.display ? 1 : 0));
  return (f) => {
    const q = locateQuery(f);
    if (!q) return undefined;
    for (const query of fallbacks(q)) {
      for (const t of texts) {
        const hit = findInText(t.uri, t.text, { ...query, createOnly: true })[0];
        if (!hit) continue;
        const line = hit.range.start.line + 1;
        const column = hit.range.start.character + 1;
        // The statement's first line, as the editor underlines it.
        return { file: t.display, line, column, endLine: line, endColumn: column + hit.preview.length };
      }
    }
    return undefined;
  };
}

export function formatAuditText(findings: readonly ReportedFinding[], where: string): string {
  const out = findings.flatMap((f) => [
    `${f.file !== undefined ? `${f.file}:${f.line}` : f.object}  ${f.severity}  ${f.message}  ${f.ruleId}`,
    // The fix, indented under its finding, each line of it (a fix may end in commented examples).
    ...(f.fix !== undefined ? f.fix.split('\n').map((l) => `    fix: ${l}`) : []),
  ]);
  const count = (s: string) => findings.filter((f) => f.severity === s).length;
  out.push(
    `${findings.length === 0 ? 'No findings' : `${findings.length} finding(s)`} on ${where}: ${count('error')} error(s), ${count('warning')} warning(s), ${count('info') + count('hint')} info/hint(s)`,
  );
  return out.join('\n') + '\n';
}
