// Output formats shared by `lint` and `audit`: text, JSON and SARIF 2.1.0.

import { ResolvedFinding } from '../core/engine';
import { RULES_BY_ID } from '../core/registry';
import { docsUrl, Severity } from '../core/rules';
import { LineIndex } from '../core/text';

/** One finding as the CLI reports it: 1-based lines and columns (UTF-16 columns, as editors count). */
export interface CliFinding {
  file: string;
  ruleId: string;
  severity: Severity;
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** For live-audit findings: the role or relation concerned. */
  object?: string;
}

export function toCliFinding(file: string, f: ResolvedFinding, lines: LineIndex): CliFinding {
  const s = lines.positionAt(f.start);
  const e = lines.positionAt(f.end);
  return {
    file,
    ruleId: f.ruleId,
    severity: f.severity,
    message: f.message,
    line: s.line + 1,
    column: s.character + 1,
    endLine: e.line + 1,
    endColumn: e.character + 1,
  };
}

export function formatText(findings: readonly CliFinding[], filesChecked: number): string {
  const out = findings.map((f) => `${f.file}:${f.line}:${f.column}  ${f.severity}  ${f.message}  ${f.ruleId}`);
  const count = (s: Severity) => findings.filter((f) => f.severity === s).length;
  const parts = [`${count('error')} error(s)`, `${count('warning')} warning(s)`, `${count('info') + count('hint')} info/hint(s)`];
  out.push(`${findings.length === 0 ? 'No findings' : `${findings.length} finding(s)`} in ${filesChecked} file(s): ${parts.join(', ')}`);
  return out.join('\n') + '\n';
}

export function formatJson(findings: readonly CliFinding[]): string {
  return JSON.stringify({ findings }, null, 2) + '\n';
}

const SARIF_LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

export function formatSarif(findings: readonly CliFinding[], toolVersion: string): string {
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
    };
  });
  const results = findings.map((f) => ({
    ruleId: f.ruleId,
    ruleIndex: ruleIndex.get(f.ruleId),
    level: SARIF_LEVEL[f.severity],
    message: { text: f.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: f.file.split('\\').join('/') },
          region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
        },
        ...(f.object ? { logicalLocations: [{ name: f.object, fullyQualifiedName: f.object }] } : {}),
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
export function exitCodeFor(findings: readonly CliFinding[], maxWarnings: number | undefined): number {
  if (findings.some((f) => f.severity === 'error')) return 1;
  const warnings = findings.filter((f) => f.severity === 'warning').length;
  if (maxWarnings !== undefined && warnings > maxWarnings) return 1;
  return 0;
}
