// `pgwarden lint [--format text|json|sarif] [--fix] [--config FILE] [--lang sql|hba|conf]
//                [--max-warnings N] PATH...`
// Builds the same workspace model as the editor over every file given (so RLS enabled
// in one migration counts for a table created in another), then lints each file.

import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { analyze, Analysis, lint } from '../analysis';
import { defaultConfig, parseConfig, PgwardenConfig } from '../core/config';
import { applyEdits } from '../core/fix';
import { DocLanguage } from '../core/lint';
import { RULE_IDS } from '../core/registry';
import { Workspace } from '../core/workspace';
import { collectFiles, findConfig, FoundFile, ignoreMatcher, listDir, readText } from '../files';
import { preferredEdits } from '../lsp/codeActions';
import { CliError, CliIo } from './io';
import { CliFinding, exitCodeFor, formatJson, formatSarif, formatText, toCliFinding } from './output';
import { parseArgs } from './args';
import { VERSION } from './version';

const USAGE = 'usage: pgwarden lint [--format text|json|sarif] [--fix] [--config FILE] [--lang sql|hba|conf] [--max-warnings N] PATH...';

export async function run(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, { values: ['format', 'config', 'max-warnings', 'lang'], flags: ['fix'] }, USAGE);
  const format = args.values.format ?? 'text';
  if (!['text', 'json', 'sarif'].includes(format)) throw new CliError(`unknown --format "${format}" (text, json or sarif)`);
  const lang = args.values.lang as DocLanguage | undefined;
  if (lang && !['sql', 'hba', 'conf'].includes(lang)) throw new CliError(`unknown --lang "${lang}" (sql, hba or conf)`);
  let maxWarnings: number | undefined;
  if (args.values['max-warnings'] !== undefined) {
    maxWarnings = Number(args.values['max-warnings']);
    if (!Number.isInteger(maxWarnings) || maxWarnings < 0) throw new CliError('--max-warnings takes a whole number');
  }
  if (args.positional.length === 0) throw new CliError(`no PATH given\n${USAGE}`);

  const { config, configDir } = loadConfig(args.values.config);
  const ignore = ignoreMatcher(config.ignore, configDir);
  const { files, missing } = collectFiles(args.positional, ignore, lang);
  if (missing.length) throw new CliError(`no such file or directory: ${missing.join(', ')}`);

  const workspace = new Workspace();
  const analyses = new Map<FoundFile, Analysis>();
  for (const f of files) {
    const text = readText(f.path);
    if (text === undefined) throw new CliError(`cannot read ${f.display}`);
    const a = analyze({ uri: pathToFileURL(f.path).toString(), text, language: f.language, readFile: readText, listDir });
    analyses.set(f, a);
    if (a.sql) workspace.setFile(a.input.uri, a.sql.facts);
  }

  const internal: string[] = [];
  const onInternalError = (id: string, err: unknown) => internal.push(`${id}: ${err instanceof Error ? err.message : String(err)}`);

  if (args.flags.fix) {
    // Fixes can change facts (an inserted ENABLE ROW LEVEL SECURITY), so fix every file
    // against the model first, then re-analyze and report what remains.
    for (const [f, a] of analyses) {
      const edits = preferredEdits(lint(a, workspace, config, onInternalError));
      if (edits.length === 0) continue;
      const fixed = applyEdits(a.input.text, edits);
      writeFileSync(f.path, fixed);
      const again = analyze({ ...a.input, text: fixed });
      analyses.set(f, again);
      if (again.sql) workspace.setFile(again.input.uri, again.sql.facts);
    }
  }

  const findings: CliFinding[] = [];
  for (const [f, a] of analyses) {
    for (const finding of lint(a, workspace, config, onInternalError)) findings.push(toCliFinding(f.display, finding, a.lines));
  }
  if (internal.length) throw new CliError(`internal failure: ${internal[0]}`);

  if (format === 'json') io.stdout(formatJson(findings));
  else if (format === 'sarif') io.stdout(formatSarif(findings, VERSION));
  else io.stdout(formatText(findings, files.length));
  return exitCodeFor(findings, maxWarnings);
}

/** pgwarden.json from --config, or the nearest one above the working directory, or the defaults; `pgwarden audit` reads it too. */
export function loadConfig(explicit: string | undefined): { config: PgwardenConfig; configDir: string } {
  const path = explicit ? resolve(explicit) : findConfig(process.cwd());
  if (!path) return { config: defaultConfig(), configDir: process.cwd() };
  const text = readText(path);
  if (text === undefined) throw new CliError(`cannot read config file ${explicit ?? path}`);
  const { config, problems } = parseConfig(text, RULE_IDS);
  if (problems.length) throw new CliError(`${explicit ?? path}: ${problems[0].message}`);
  return { config, configDir: dirname(path) };
}
