// Output formats shared by `lint` and `audit`: text (one line per finding when piped,
// grouped by file and coloured on a terminal), JSON with a summary, and SARIF 2.1.0.

import { ResolvedFinding } from '../core/engine';
import { RULES_BY_ID } from '../core/registry';
import { docsUrl, Severity } from '../core/rules';
import { LineIndex } from '../core/text';
import { CliIo } from './io';

/** Where a finding is: 1-based lines and columns (UTF-16 columns, as editors count). */
export interface CliPlace {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/**
 * One finding as the CLI reports it. A live-audit finding has a place only when a file
 * declares its object (or it is a pg_hba.conf line), and always names the object.
 */
export interface ReportedFinding extends Partial<CliPlace> {
  ruleId: string;
  severity: Severity;
  message: string;
  /** For live-audit findings: the role or relation concerned, and what kind of object it is. */
  object?: string;
  objectKind?: string;
  /** For live-audit findings: the statement that would fix it (printed, never run by pgwarden). */
  fix?: string;
}

/** A lint finding: always in a file. */
export type CliFinding = ReportedFinding & CliPlace;

/** SARIF's names for the kinds of object a live finding concerns. */
const LOGICAL_KIND: Record<string, string> = { function: 'function', schema: 'namespace', table: 'type' };

/** Each finding's line, column, end line and end column (1-based), four numbers per finding: what a report shows, kept by the cache. */
export function findingPositions(text: string, findings: readonly ResolvedFinding[]): number[] {
  if (findings.length === 0) return [];
  const lines = new LineIndex(text);
  return findings.flatMap((f) => {
    const s = lines.positionAt(f.start);
    const e = lines.positionAt(f.end);
    return [s.line + 1, s.character + 1, e.line + 1, e.character + 1];
  });
}

/** The report's form of the i-th finding of a file, placed by findingPositions. */
export function toCliFinding(file: string, f: ResolvedFinding, positions: readonly number[], i: number): CliFinding {
  const [line, column, endLine, endColumn] = positions.slice(4 * i, 4 * i + 4);
  return { file, ruleId: f.ruleId, severity: f.severity, message: f.message, line, column, endLine, endColumn };
}

/** Colour on a terminal unless NO_COLOR is set (no-color.org); FORCE_COLOR turns it on anywhere. */
export function useColor(io: Pick<CliIo, 'env' | 'tty'>): boolean {
  if (io.env.NO_COLOR) return false;
  if (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '0' && io.env.FORCE_COLOR !== 'false') return true;
  return io.tty === true;
}

type Paint = (code: string, s: string) => string;
const paintWith = (color: boolean): Paint => (color ? (code, s) => `\x1b[${code}m${s}\x1b[0m` : (_code, s) => s);
const SEVERITY_COLOR: Record<Severity, string> = { error: '31', warning: '33', info: '36', hint: '2' };

function countLine(findings: readonly ReportedFinding[]): string {
  const count = (s: Severity) => findings.filter((f) => f.severity === s).length;
  return `${count('error')} error(s), ${count('warning')} warning(s), ${count('info') + count('hint')} info/hint(s)`;
}

/**
 * Text output. Piped (the default), one line per finding in a fixed shape scripts parse.
 * For a person (`grouped`), findings are grouped under their file, with line:column,
 * severity and rule id aligned, and coloured when `color`.
 */
export function formatText(findings: readonly CliFinding[], filesChecked: number, opts: { grouped?: boolean; color?: boolean } = {}): string {
  const tail = `${findings.length === 0 ? 'No findings' : `${findings.length} finding(s)`} in ${filesChecked} file(s): ${countLine(findings)}`;
  if (!opts.grouped) {
    const out = findings.map((f) => `${f.file}:${f.line}:${f.column}  ${f.severity}  ${f.message}  ${f.ruleId}`);
    out.push(tail);
    return out.join('\n') + '\n';
  }
  const paint = paintWith(!!opts.color);
  const byFile = new Map<string, CliFinding[]>();
  for (const f of findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
  const out: string[] = [];
  for (const [file, list] of byFile) {
    out.push(paint('4', file));
    const posWidth = Math.max(...list.map((f) => `${f.line}:${f.column}`.length));
    for (const f of list) {
      const pos = `${f.line}:${f.column}`.padEnd(posWidth);
      out.push(`  ${paint('2', pos)}  ${paint(SEVERITY_COLOR[f.severity], f.severity.padEnd(7))}  ${f.message}  ${paint('2', f.ruleId)}`);
    }
    out.push('');
  }
  const worst = findings.some((f) => f.severity === 'error') ? '31' : findings.some((f) => f.severity === 'warning') ? '33' : '32';
  out.push(paint(`1;${worst}`, tail));
  return out.join('\n') + '\n';
}

/** Counts for JSON output: how many files were read (lint only) and findings by severity. */
export interface CliSummary {
  files?: number;
  findings: number;
  bySeverity: Record<Severity, number>;
}

export function summarize(findings: readonly ReportedFinding[], files?: number): CliSummary {
  const bySeverity: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const f of findings) bySeverity[f.severity]++;
  return { ...(files === undefined ? {} : { files }), findings: findings.length, bySeverity };
}

export function formatJson(findings: readonly ReportedFinding[], files?: number): string {
  return JSON.stringify({ findings, summary: summarize(findings, files) }, null, 2) + '\n';
}

/**
 * GitHub code scanning ranks a rule as a security alert by `security-severity` (0-10:
 * 9+ critical, 7+ high, 4+ medium, below low); the rule's default severity sets it.
 */
export const SECURITY_SEVERITY: Record<Severity, string> = { error: '8.0', warning: '5.5', info: '3.0', hint: '1.0' };

const SARIF_LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

export function formatSarif(findings: readonly ReportedFinding[], toolVersion: string): string {
  const usedIds = [...new Set(findings.map((f) => f.ruleId))].sort();
  const ruleIndex = new Map(usedIds.map((id, i) => [id, i]));
  const rules = usedIds.map((id) => {
    const meta = RULES_BY_ID.get(id);
    return {
      id,
      name: id,
      shortDescription: { text: meta?.description ?? id },
      fullDescription: { text: meta?.description ?? id },
      helpUri: docsUrl(id),
      help: { text: `${meta?.description ?? id} See ${docsUrl(id)}`, markdown: `${meta?.description ?? id} [Documentation](${docsUrl(id)})` },
      defaultConfiguration: { level: SARIF_LEVEL[meta?.defaultSeverity ?? 'warning'] },
      properties: { 'security-severity': SECURITY_SEVERITY[meta?.defaultSeverity ?? 'warning'], tags: ['security'] },
    };
  });
  const results = findings.map((f) => ({
    ruleId: f.ruleId,
    ruleIndex: ruleIndex.get(f.ruleId),
    level: SARIF_LEVEL[f.severity],
    message: { text: f.message },
    // SARIF's own `fixes` are edits of files; a live finding's fix is a statement to run, so it is a property.
    ...(f.fix !== undefined ? { properties: { fix: f.fix } } : {}),
    // A finding without a file keeps only its logical location (the object), never a
    // made-up one such as the connection URL.
    locations: [
      {
        ...(f.file !== undefined
          ? {
              physicalLocation: {
                artifactLocation: { uri: f.file.split('\\').join('/') },
                region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
              },
            }
          : {}),
        ...(f.object
          ? { logicalLocations: [{ name: f.object, fullyQualifiedName: f.object, ...(f.objectKind && LOGICAL_KIND[f.objectKind] ? { kind: LOGICAL_KIND[f.objectKind] } : {}) }] }
          : {}),
      },
    ],
  }));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'pgwarden', version: toolVersion, informationUri: 'https://github.com/pgwarden/pgwarden', rules } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

/** Exit code shared by lint and audit: 1 when any error, or more warnings than allowed. */
export function exitCodeFor(findings: readonly ReportedFinding[], maxWarnings: number | undefined): number {
  if (findings.some((f) => f.severity === 'error')) return 1;
  const warnings = findings.filter((f) => f.severity === 'warning').length;
  if (maxWarnings !== undefined && warnings > maxWarnings) return 1;
  return 0;
}
