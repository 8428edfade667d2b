// `pgwarden lint [--format text|json|sarif] [--fix [--unsafe-fixes]] [--diff] [--config FILE]
//                [--lang sql|hba|ident|conf] [--max-warnings N] PATH...`
// Builds the same workspace model as the editor over every file given (so RLS enabled
// in one migration counts for a table created in another), then lints each file. Files
// are grouped into project roots (core/model/roots.ts): each root has its own facts and
// its own pgwarden.json, found from the file's folder upward; each path given is a root
// unless a pgwarden.json above it or a project marker inside it says otherwise.

import { statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { analyze, Analysis, DocLanguage, lint } from '../core/lint';
import { compareLayout } from '../core/model/layout';
import { dumpRepeats, statementTextAt } from '../core/model/dedupe';
import { Finding } from '../core/rules';
import { Projects } from '../projects';
import { defaultConfig, parseConfig, PgwardenConfig } from '../core/config';
import { applyEdits, chosenFixes, fixTitle } from '../core/fix';
import { RULE_IDS } from '../core/registry';
import { collectFiles, findConfig, FoundFile, listDir, readText } from '../files';
import { CliError, CliIo } from './io';
import { CliFinding, exitCodeFor, formatJson, formatSarif, formatText, toCliFinding, useColor } from './output';
import { parseArgs } from './args';
import { unifiedDiff } from './diff';
import { VERSION } from './version';

const USAGE = 'usage: pgwarden lint [--format text|json|sarif] [--fix [--unsafe-fixes]] [--diff] [--config FILE] [--lang sql|hba|ident|conf] [--max-warnings N] PATH...';

export async function run(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, { values: ['format', 'config', 'max-warnings', 'lang'], flags: ['fix', 'unsafe-fixes', 'diff'] }, USAGE);
  const unsafe = !!args.flags['unsafe-fixes'];
  if (unsafe && !args.flags.fix && !args.flags.diff) throw new CliError(`--unsafe-fixes goes with --fix or --diff\n${USAGE}`);
  if (args.flags.fix && args.flags.diff) throw new CliError(`--diff shows what --fix would change without writing; give one of them\n${USAGE}`);
  const format = args.values.format ?? 'text';
  if (!['text', 'json', 'sarif'].includes(format)) throw new CliError(`unknown --format "${format}" (text, json or sarif)`);
  const lang = args.values.lang as DocLanguage | undefined;
  if (lang && !['sql', 'hba', 'ident', 'conf'].includes(lang)) throw new CliError(`unknown --lang "${lang}" (sql, hba, ident or conf)`);
  let maxWarnings: number | undefined;
  if (args.values['max-warnings'] !== undefined) {
    maxWarnings = Number(args.values['max-warnings']);
    if (!Number.isInteger(maxWarnings) || maxWarnings < 0) throw new CliError('--max-warnings takes a whole number');
  }
  if (args.positional.length === 0) throw new CliError(`no PATH given\n${USAGE}`);

  if (args.values.config && readText(resolve(args.values.config)) === undefined) throw new CliError(`cannot read config file ${args.values.config}`);
  const boundaries = args.positional.map((p) => (isDirectory(p) ? resolve(p) : dirname(resolve(p))));
  const projects = new Projects({ boundaries, configFile: args.values.config });
  const { files, missing } = collectFiles(args.positional, projects.ignore, lang);
  if (missing.length) throw new CliError(`no such file or directory: ${missing.join(', ')}`);
  for (const c of projects.loadedConfigs()) {
    if (c.problems.length) throw new CliError(`${c.path === undefined ? '' : c.path === resolve(args.values.config ?? '') ? args.values.config : c.path}: ${c.problems[0].message}`);
  }

  // Each file's root, read and analysed; SQL facts go to the root's workspace in the
  // order the root's migration tool runs its files.
  const analyses = new Map<FoundFile, Analysis>();
  const rootOf = new Map<FoundFile, string>();
  const texts = new Map<FoundFile, string>();
  for (const f of files) {
    const text = readText(f.path);
    if (text === undefined) throw new CliError(`cannot read ${f.display}`);
    texts.set(f, text);
    rootOf.set(f, projects.rootOf(f.path).dir);
  }
  const parseOptions = new Map(files.map((f) => [f, f.language === 'sql' ? projects.parseOptions(f.path, texts.get(f)) : undefined]));
  const ordered = [...files].sort((a, b) => {
    const la = parseOptions.get(a)?.layout;
    const lb = parseOptions.get(b)?.layout;
    return rootOf.get(a)!.localeCompare(rootOf.get(b)!) || (la && lb ? compareLayout(la, lb) : 0);
  });
  for (const f of ordered) {
    const a = analyze({ uri: pathToFileURL(f.path).toString(), text: texts.get(f)!, language: f.language, readFile: readText, listDir, parse: parseOptions.get(f) });
    analyses.set(f, a);
    if (a.sql) projects.workspace(rootOf.get(f)!).setFile(a.input.uri, a.sql.facts);
  }
  const workspaceOf = (f: FoundFile) => projects.workspace(rootOf.get(f)!);
  const configOf = (f: FoundFile) => projects.configFor(f.path).config;

  const internal: string[] = [];
  const onInternalError = (id: string, err: unknown) => internal.push(`${id}: ${err instanceof Error ? err.message : String(err)}`);

  if (args.flags.fix || args.flags.diff) {
    // Fixes can change facts (an inserted ENABLE ROW LEVEL SECURITY), so fix every file
    // against the model first, then re-analyze and report what remains. Only safe fixes
    // are applied unless --unsafe-fixes; each applied fix is reported on stderr, so stdout
    // stays the report in every format.
    let skipped = 0;
    let diffs = 0;
    for (const [f, a] of analyses) {
      const findings = lint(a, workspaceOf(f), configOf(f), onInternalError);
      const chosen = chosenFixes(findings, { unsafe });
      if (!unsafe) skipped += chosenFixes(findings, { unsafe: true }).length - chosen.length;
      if (chosen.length === 0) continue;
      const edits = chosen.flatMap((c) => c.fix.edits);
      if (args.flags.diff) {
        const d = unifiedDiff(f.display.split('\\').join('/').replace(/^(\.\/)+/, ''), a.input.text, edits);
        if (d) diffs++;
        io.stdout(d);
        continue;
      }
      for (const { finding, fix } of chosen) {
        const p = a.lines.positionAt(finding.start);
        io.stderr(`fixed ${f.display}:${p.line + 1}:${p.character + 1}  ${finding.ruleId}  ${fixTitle(fix)}\n`);
      }
      const fixed = applyEdits(a.input.text, edits);
      writeFileSync(f.path, fixed);
      const again = analyze({ ...a.input, text: fixed });
      analyses.set(f, again);
      if (again.sql) workspaceOf(f).setFile(again.input.uri, again.sql.facts);
    }
    if (skipped) {
      io.stderr(`${skipped} unsafe fix(es) not ${args.flags.diff ? 'shown' : 'applied'}: they can change what the running system accepts; review them in the editor, or add --unsafe-fixes\n`);
    }
    // --diff shows the change and nothing else; it fails (1) when there is one, like `git diff --exit-code`.
    if (args.flags.diff) {
      if (internal.length) throw new CliError(`internal failure: ${internal[0]}`);
      return diffs ? 1 : 0;
    }
  }

  const linted = files.map((f) => ({ f, a: analyses.get(f)!, root: rootOf.get(f)!, findings: lint(analyses.get(f)!, workspaceOf(f), configOf(f), onInternalError) }));
  // A pg_dump kept beside the migrations repeats their findings: each is reported once, on the migration.
  const repeats = dumpRepeats(linted.map((l) => ({ root: l.root, layout: l.a.sql?.doc.layout, findings: l.findings, statementOf: (f: Finding) => l.a.sql && statementTextAt(l.a.sql.doc, f.start) })));
  const findings: CliFinding[] = [];
  for (const { f, a, findings: found } of linted) {
    for (const finding of found) if (!repeats.has(finding)) findings.push(toCliFinding(f.display, finding, a.lines));
  }
  if (internal.length) throw new CliError(`internal failure: ${internal[0]}`);

  if (format === 'json') io.stdout(formatJson(findings, files.length));
  else if (format === 'sarif') io.stdout(formatSarif(findings, VERSION));
  else io.stdout(formatText(findings, files.length, { grouped: io.tty === true, color: useColor(io) }));
  return exitCodeFor(findings, maxWarnings);
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
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
