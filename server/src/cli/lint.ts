// `pgwarden lint [--format text|json|sarif] [--fix [--unsafe-fixes]] [--diff] [--config FILE]
//                [--lang sql|hba|ident|conf] [--max-warnings N]
//                [--cache [--cache-location PATH] [--cache-strategy metadata|content]] [--threads N|auto] PATH...`
// Builds the same workspace model as the editor over every file given (so RLS enabled
// in one migration counts for a table created in another), then lints each file. Files
// are grouped into project roots (core/model/roots.ts): each root has its own facts and
// its own pgwarden.json, found from the file's folder upward; each path given is a root
// unless a pgwarden.json above it or a project marker inside it says otherwise. The work
// runs in this thread or in a pool of workers (./pool.ts), and a file's results come from
// the cache (../lint-cache.ts) when nothing they depend on changed.

import { Stats, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DocLanguage } from '../core/lint';
import { compareLayout, ContentTraits, contentTraits } from '../core/model/layout';
import { dumpRepeats } from '../core/model/dedupe';
import { FileFacts } from '../core/sql/facts';
import { loadParser } from '../core/sql/parser';
import { LineIndex } from '../core/text';
import { CacheEntry, cachePath, CacheStrategy, factsKey, FileStamp, LintCache, pgwardenBuild, sha1 } from '../lint-cache';
import { JobFile, LintJob, LintOutcome, readsHold, RootFacts } from '../lint-jobs';
import { autoThreads, InProcessExecutor, LintExecutor, PoolExecutor, shouldUsePool, SPLIT_MIN_BYTES } from './pool';
import { Finding } from '../core/rules';
import { Projects } from '../projects';
import { defaultConfig, parseConfig, PgwardenConfig } from '../core/config';
import { applyEdits, chosenFixes, fixTitle } from '../core/fix';
import { RULE_IDS } from '../core/registry';
import { collectFiles, findConfig, FoundFile, readText, statPath } from '../files';
import { InputLog, recordInputs } from '../inputs';
import { LINT_OPTIONS, recordedStrategy, replayRecord } from './replay';
import { CliError, CliIo } from './io';
import { CliFinding, exitCodeFor, findingPositions, formatJson, formatSarif, formatText, toCliFinding, useColor } from './output';
import { parseArgs } from './args';
import { unifiedDiff } from './diff';
import { VERSION } from './version';

const USAGE =
  'usage: pgwarden lint [--format text|json|sarif] [--fix [--unsafe-fixes]] [--diff] [--config FILE] [--lang sql|hba|ident|conf] [--max-warnings N] [--cache [--cache-location PATH] [--cache-strategy metadata|content]] [--threads N|auto] PATH...';

/** SQL files whose text runs read from disk, and files whose rules ran (tests count them: a cached re-run over unchanged files does neither). */
export const lintCounts = { sqlTextsRead: 0, filesLinted: 0 };

/**
 * `executor`: where the work runs instead of the one `--threads` chooses (tests reuse one
 * pool); the caller closes it. A run with --cache logs what it reads (../inputs.ts), so
 * that the next one with the same arguments may replay its report (./replay.ts).
 */
export async function run(argv: string[], io: CliIo, given?: { executor?: LintExecutor }): Promise<number> {
  const strategy = recordedStrategy(argv);
  const log = strategy && new InputLog(strategy);
  recordInputs(log);
  try {
    // Whatever is said on stderr (a warning about the cache file, the pool's trace) would not be said by a replay.
    const logged: CliIo = log ? { ...io, stderr: (s) => ((log.unsure = true), io.stderr(s)) } : io;
    return await lintRun(argv, logged, given, log);
  } finally {
    recordInputs(undefined);
  }
}

async function lintRun(argv: string[], io: CliIo, given: { executor?: LintExecutor } | undefined, log: InputLog | undefined): Promise<number> {
  const args = parseArgs(argv, LINT_OPTIONS, USAGE);
  if (args.values['cache-location'] !== undefined && !args.flags.cache) throw new CliError(`--cache-location goes with --cache\n${USAGE}`);
  if (args.values['cache-strategy'] !== undefined && !args.flags.cache) throw new CliError(`--cache-strategy goes with --cache\n${USAGE}`);
  const strategy = (args.values['cache-strategy'] ?? 'metadata') as CacheStrategy;
  if (strategy !== 'metadata' && strategy !== 'content') throw new CliError(`unknown --cache-strategy "${strategy}" (metadata or content)`);
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
  const { files, missing } = collectFiles(args.positional, projects.ignore, lang, projects.entries);
  if (missing.length) throw new CliError(`no such file or directory: ${missing.join(', ')}`);
  for (const c of projects.loadedConfigs()) {
    if (c.problems.length) throw new CliError(`${c.path === undefined ? '' : c.path === resolve(args.values.config ?? '') ? args.values.config : c.path}: ${c.problems[0].message}`);
  }

  const fixing = !!(args.flags.fix || args.flags.diff);
  // The cache is read (and written) only for a report: --fix and --diff analyse every file anyway.
  const warn = (m: string) => io.stderr(`pgwarden: ${m}\n`);
  const cache = args.flags.cache && !fixing ? LintCache.open(cachePath(args.values['cache-location'], process.cwd()), pgwardenBuild(VERSION), warn) : undefined;

  // Each file's text, read when first needed: with the cache, a SQL file whose metadata
  // shows it unchanged is known by the hash and traits recorded for it, and read only if
  // its project is linted again (or never).
  const texts = new Map<FoundFile, string>();
  const hashes = new Map<FoundFile, string>();
  /** Files known by their recorded hash whose text, when read after all, had another (changed during the run). */
  const unsure = new Set<FoundFile>();
  const textOf = (f: FoundFile): string => {
    let text = texts.get(f);
    if (text !== undefined) return text;
    text = readText(f.path);
    if (text === undefined) throw new CliError(`cannot read ${f.display}`);
    if (f.language === 'sql') lintCounts.sqlTextsRead++;
    const known = hashes.get(f);
    if (known !== undefined && sha1(text) !== known) unsure.add(f);
    texts.set(f, text);
    return text;
  };
  // SQL files are known by their metadata; pg_hba.conf, pg_ident.conf and postgresql.conf
  // are small and read every time, and their cached findings hold only while every file
  // and folder they read (includes, the pg_ident.conf beside a pg_hba.conf) is unchanged.
  /** Per SQL file, its metadata when its text was hashed (by this run, or by the run whose hash is trusted). */
  const stamps = new Map<FoundFile, FileStamp>();
  const traits = new Map<FoundFile, ContentTraits>();
  const checkedAt = Date.now();
  for (const f of files) {
    if (!cache || f.language !== 'sql') {
      textOf(f);
      continue;
    }
    // The metadata is taken before the text is read: an edit in between shows as other metadata next time.
    const stat: Stats | undefined = statPath(f.path, true);
    if (!stat) throw new CliError(`cannot read ${f.display}`);
    const known = strategy === 'metadata' ? cache.trustedText(f.path, stat) : undefined;
    if (known) {
      hashes.set(f, known.hash);
      traits.set(f, known.traits);
      stamps.set(f, known.stamp);
    } else {
      const text = textOf(f);
      hashes.set(f, sha1(text));
      traits.set(f, contentTraits(text));
      stamps.set(f, [stat.size, stat.mtimeMs, stat.ctimeMs, stat.ino, checkedAt]);
    }
  }

  // Each file's root; SQL facts go to the root's workspace in the order the root's
  // migration tool runs its files.
  const rootOf = new Map(files.map((f) => [f, projects.rootOf(f.path).dir]));
  const parseOptions = new Map(files.map((f) => [f, f.language === 'sql' ? projects.parseOptions(f.path, traits.get(f) ?? textOf(f)) : undefined]));
  // Roots in localeCompare's order, ranked once (collation is slow, and a sort of a thousand files compares ten thousand times); roots it holds equal share a rank.
  const rank = new Map<string, number>();
  [...new Set(rootOf.values())].sort((a, b) => a.localeCompare(b)).forEach((r, i, all) => rank.set(r, i > 0 && all[i - 1].localeCompare(r) === 0 ? rank.get(all[i - 1])! : i));
  const ordered = [...files].sort((a, b) => {
    const la = parseOptions.get(a)?.layout;
    const lb = parseOptions.get(b)?.layout;
    return rank.get(rootOf.get(a)!)! - rank.get(rootOf.get(b)!)! || (la && lb ? compareLayout(la, lb) : 0);
  });
  const jobFile = (f: FoundFile, text = textOf(f)): JobFile => ({
    path: f.path,
    uri: pathToFileURL(f.path).toString(),
    language: f.language,
    text,
    parse: parseOptions.get(f),
    root: rootOf.get(f),
  });
  const configOf = (f: FoundFile) => projects.configFor(f.path).config;

  const keys = new Map<FoundFile, string>();
  for (const [f, textHash] of hashes) keys.set(f, factsKey({ uri: f.path, textHash, layout: parseOptions.get(f)?.layout, placeholders: configOf(f).placeholders }));
  if (cache) for (const f of files) if (f.language !== 'sql') keys.set(f, sha1(`${f.language}\u0000${f.path}\u0000${sha1(textOf(f))}`));
  // What a file's findings depend on besides its own text: every SQL file of its root, and its configuration.
  const rootKeys = new Map<string, string>();
  for (const f of ordered) if (f.language === 'sql' && keys.has(f)) rootKeys.set(rootOf.get(f)!, `${rootKeys.get(rootOf.get(f)!) ?? ''}${f.path}\u0000${keys.get(f)}\n`);
  for (const [root, list] of rootKeys) rootKeys.set(root, sha1(list));
  const configKeys = new Map<PgwardenConfig, string>();
  const configKey = (c: PgwardenConfig) => configKeys.get(c) ?? configKeys.set(c, sha1(JSON.stringify(c))).get(c)!;
  const findingsKey = (f: FoundFile) => sha1(`${keys.get(f)}\u0000${rootKeys.get(rootOf.get(f)!) ?? ''}\u0000${configKey(configOf(f))}`);

  const entries = new Map<FoundFile, CacheEntry>();
  const results = new Map<FoundFile, LintOutcome>();
  /** Per file with findings, where they are (findingPositions): from the cache, or from the text once computed. */
  const positions = new Map<FoundFile, number[]>();
  const toLint: FoundFile[] = [];
  for (const f of files) {
    const key = keys.get(f);
    const entry = key === undefined ? undefined : cache?.get(f.path, key);
    if (entry) entries.set(f, entry);
    const cached = entry && cache!.findings(entry, findingsKey(f));
    const holds = cached && (f.language === 'sql' || (cached.reads !== undefined && readsHold(cached.reads)));
    if (cached && holds && Array.isArray(cached.positions) && cached.positions.length === 4 * cached.findings.length) {
      results.set(f, { findings: cached.findings, heads: cached.heads });
      positions.set(f, cached.positions);
    } else toLint.push(f);
  }
  const positionsOf = (f: FoundFile): number[] => {
    let at = positions.get(f);
    const found = results.get(f)!.findings;
    // A file without findings is not read for them.
    if (!at) positions.set(f, (at = found.length ? findingPositions(textOf(f), found) : []));
    return at;
  };
  // Facts are needed only in the roots where some file is linted again; there the cached
  // ones are read back and the rest parsed.
  const needed = new Set(toLint.map((f) => rootOf.get(f)!));
  const facts = new Map<FoundFile, FileFacts>();
  for (const f of ordered) {
    const entry = entries.get(f);
    if (f.language !== 'sql' || !entry || !needed.has(rootOf.get(f)!)) continue;
    const read = cache!.facts(entry);
    if (read) facts.set(f, read);
  }
  lintCounts.filesLinted += toLint.length;
  const toParse = ordered.filter((f) => f.language === 'sql' && needed.has(rootOf.get(f)!) && !facts.has(f));
  const threads = threadCount(args.values.threads);
  const findings: CliFinding[] = [];
  // PGWARDEN_TRACE=pool tells on stderr how each large file was shared by the workers.
  const trace = io.env.PGWARDEN_TRACE === 'pool' ? (line: string) => io.stderr(`pgwarden: pool: ${line}\n`) : undefined;
  const executor: LintExecutor =
    given?.executor && !fixing
      ? given.executor
      : !fixing && shouldUsePool(threads.count, toParse.map((f) => textOf(f).length), threads.forced)
        ? new PoolExecutor(threads.count, { trace, splitBytes: threads.forced ? SPLIT_MIN_BYTES : Infinity })
        : new InProcessExecutor();
  try {
    const parsed = await executor.facts(toParse.map((f) => jobFile(f)));
    toParse.forEach((f, i) => facts.set(f, parsed[i]!));
    const rootFacts = new Map<string, RootFacts>();
    for (const f of ordered) {
      const ff = facts.get(f);
      if (!ff) continue;
      const root = rootOf.get(f)!;
      let r = rootFacts.get(root);
      if (!r) rootFacts.set(root, (r = { root, files: [] }));
      r.files.push([pathToFileURL(f.path).toString(), ff]);
    }
    const lintJobs = (list: FoundFile[]): LintJob[] => list.map((f) => ({ file: jobFile(f), root: rootOf.get(f)!, config: configOf(f) }));
    const internal: string[] = [];

    const session = fixing ? (executor as InProcessExecutor).session : undefined;
    if (session) {
      await loadParser();
      // Fixes can change facts (an inserted ENABLE ROW LEVEL SECURITY), so fix every file
      // against the model first, then re-analyze and report what remains. Only safe fixes
      // are applied unless --unsafe-fixes; each applied fix is reported on stderr, so stdout
      // stays the report in every format.
      session.setWorkspaces([...rootFacts.values()]);
      let skipped = 0;
      let diffs = 0;
      for (const f of ordered) {
        const [{ findings }] = session.lint(lintJobs([f]));
        const chosen = chosenFixes(findings, { unsafe });
        if (!unsafe) skipped += chosenFixes(findings, { unsafe: true }).length - chosen.length;
        if (chosen.length === 0) continue;
        const edits = chosen.flatMap((c) => c.fix.edits);
        const text = textOf(f);
        if (args.flags.diff) {
          const d = unifiedDiff(f.display.split('\\').join('/').replace(/^(\.\/)+/, ''), text, edits);
          if (d) diffs++;
          io.stdout(d);
          continue;
        }
        const lines = new LineIndex(text);
        for (const { finding, fix } of chosen) {
          const p = lines.positionAt(finding.start);
          io.stderr(`fixed ${f.display}:${p.line + 1}:${p.character + 1}  ${finding.ruleId}  ${fixTitle(fix)}\n`);
        }
        const fixed = applyEdits(text, edits);
        writeFileSync(f.path, fixed);
        texts.set(f, fixed);
        session.reanalyze(jobFile(f), rootOf.get(f)!);
      }
      if (skipped) {
        io.stderr(`${skipped} unsafe fix(es) not ${args.flags.diff ? 'shown' : 'applied'}: they can change what the running system accepts; review them in the editor, or add --unsafe-fixes\n`);
      }
      // --diff shows the change and nothing else; it fails (1) when there is one, like `git diff --exit-code`.
      if (args.flags.diff) {
        if (session.internal.length) throw new CliError(`internal failure: ${session.internal[0]}`);
        return diffs ? 1 : 0;
      }
    }

    // After fixes the session's workspaces hold the fixed files' facts: lint against them.
    const linted = session
      ? { outcomes: session.lint(lintJobs(toLint)), internal: session.internal }
      : await executor.lint(lintJobs(toLint), [...rootFacts.values()].filter((r) => toLint.some((f) => rootOf.get(f) === r.root)));
    internal.push(...linted.internal);
    toLint.forEach((f, i) => results.set(f, linted.outcomes[i]));
    if (internal.length) throw new CliError(`internal failure: ${internal[0]}`);

    if (cache) {
      for (const f of files) {
        const key = keys.get(f);
        if (key === undefined) continue;
        if (unsure.has(f)) {
          cache.delete(f.path);
          if (log) log.unsure = true;
          continue;
        }
        const r = results.get(f)!;
        const findingsEntry = { key: findingsKey(f), findings: r.findings, heads: r.heads, positions: positionsOf(f) };
        if (f.language !== 'sql') {
          // What the lint read besides the file is checked again before its findings are used.
          const reads = r.reads ?? entries.get(f)?.findings?.reads;
          if (reads) cache.set(f.path, { key, findings: { ...findingsEntry, reads } });
          continue;
        }
        const known = entries.get(f)?.facts;
        const ff = facts.get(f);
        // A trusted hash keeps the metadata it was taken with (the time of that check included).
        cache.set(f.path, {
          key,
          text: { hash: hashes.get(f)!, stamp: stamps.get(f)!, traits: traits.get(f)! },
          facts: known ?? (ff ? JSON.stringify(ff) : undefined),
          findings: findingsEntry,
        });
      }
      // What analyses read besides their files is also what a replay depends on; a worker's reads were not seen by this thread.
      const pooled = executor instanceof PoolExecutor;
      for (const f of toLint) if (results.get(f)!.reads) log?.reads(results.get(f)!.reads!, !pooled);
    }

    // A pg_dump kept beside the migrations repeats their findings: each is reported once, on the migration.
    const all = files.map((f) => ({ f, root: rootOf.get(f)!, ...results.get(f)! }));
    const headOf = new Map<Finding, string | null>();
    for (const l of all) l.findings.forEach((x, i) => headOf.set(x, l.heads[i]));
    const repeats = dumpRepeats(all.map((l) => ({ root: l.root, layout: parseOptions.get(l.f)?.layout, findings: l.findings, statementOf: (x: Finding) => headOf.get(x) ?? undefined })));
    for (const { f, findings: found } of all) {
      if (!found.length) continue;
      const at = positionsOf(f);
      found.forEach((finding, i) => {
        if (!repeats.has(finding)) findings.push(toCliFinding(f.display, finding, at, i));
      });
    }
  } finally {
    if (executor !== given?.executor) await executor.close();
  }

  const report =
    format === 'json'
      ? formatJson(findings, files.length)
      : format === 'sarif'
        ? formatSarif(findings, VERSION)
        : formatText(findings, files.length, { grouped: io.tty === true, color: useColor(io) });
  const code = exitCodeFor(findings, maxWarnings);
  if (cache) {
    const ctx = { cwd: process.cwd(), env: io.env, tty: io.tty === true, build: pgwardenBuild(VERSION) };
    // A run unsure of what it saw records nothing; the record kept, if any, still checks everything it depends on.
    if (log && !log.unsure) cache.setReplay(replayRecord(cache.replayRecord(), argv, ctx, log, report, code));
    cache.save(warn);
  }
  io.stdout(report);
  return code;
}

/**
 * `--threads`: a number of workers (1: none), or `auto` (the default): one per core, used
 * only when there is enough to parse. A number given is used whatever the size.
 */
function threadCount(value: string | undefined): { count: number; forced: boolean } {
  if (value === undefined || value === 'auto') return { count: autoThreads(), forced: false };
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new CliError(`--threads takes a whole number from 1 to 64, or auto`);
  return { count: n, forced: true };
}

function isDirectory(path: string): boolean {
  return statPath(resolve(path))?.isDirectory() ?? false;
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
