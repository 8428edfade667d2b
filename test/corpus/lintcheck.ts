// The real-corpus regression check, in the manner of clippy's lintcheck: each project in
// ../shared/corpus/projects (and ../shared/corpus/sql) is linted on its own by the CLI's own
// `pgwarden lint --format json`, run in-process, and every finding is matched against a
// reviewed ledger (test/corpus/ledger/<project>.tsv) that says why each is a true positive.
// Shared by `npm run lintcheck` (scripts/lintcheck.ts) and the corpus test.

import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { main } from '../../server/src/cli/main';
import { CliFinding } from '../../server/src/cli/output';

export const REPO = path.resolve(__dirname, '../..');
export const CORPUS = path.resolve(REPO, '../shared/corpus');
/** One reviewed ledger per project: test/corpus/ledger/<project>.tsv. */
export const LEDGER_DIR = path.join(__dirname, 'ledger');
/** Per-project configuration: only `placeholders` may be declared, everything else stays default. */
export const CONFIG_DIR = path.join(__dirname, 'lintcheck');
export const README = path.join(REPO, 'README.md');

export const VERDICTS = ['true', 'false-positive (open)', 'needs-review'] as const;
export type Verdict = (typeof VERDICTS)[number];

export interface Project {
  name: string;
  root: string;
  /** test/corpus/lintcheck/<name>.json when the project declares placeholders. */
  config?: string;
}

/** One finding with the key that identifies it across unrelated edits. */
export interface KeyedFinding {
  project: string;
  /** Relative to the project root, with forward slashes. */
  file: string;
  rule: string;
  severity: string;
  message: string;
  line: number;
  column: number;
  key: string;
  /** The finding's first line, trimmed: for the reader of the ledger. */
  excerpt: string;
}

export interface LedgerEntry {
  project: string;
  file: string;
  line: number;
  column: number;
  rule: string;
  severity: string;
  key: string;
  verdict: Verdict;
  reason: string;
  excerpt: string;
}

/** Every project folder under projects/, then the fixture corpus sql/ as one more project. */
export function corpusProjects(): Project[] {
  const dir = path.join(CORPUS, 'projects');
  const names = existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name)
        .sort()
    : [];
  const projects = names.map((name) => ({ name, root: path.join(dir, name) }));
  if (existsSync(path.join(CORPUS, 'sql'))) projects.push({ name: 'sql', root: path.join(CORPUS, 'sql') });
  return projects.map((p) => {
    const config = path.join(CONFIG_DIR, `${p.name}.json`);
    return existsSync(config) ? { ...p, config } : p;
  });
}

/** Runs `pgwarden lint --format json [--config FILE] ROOT` in-process, the CLI's own code path. */
export async function lintProject(p: Project): Promise<CliFinding[]> {
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: (s: string) => void (stdout += s),
    stderr: (s: string) => void (stderr += s),
    env: {},
    promptPassword: async () => undefined,
  };
  const args = ['lint', '--format', 'json', ...(p.config ? ['--config', p.config] : []), p.root];
  const code = await main(args, io);
  if (code !== 0 && code !== 1) throw new Error(`pgwarden ${args.join(' ')} exited ${code}: ${stderr.trim()}`);
  return (JSON.parse(stdout) as { findings: CliFinding[] }).findings;
}

/**
 * The key: a hash of the rule, the message and the text of the lines the finding spans,
 * with its columns. Edits elsewhere in the file (or in other files) leave it alone; a
 * finding that moves to other text, or whose message changes, gets a new key. Identical
 * findings on identical lines of one file are told apart by their order (#2, #3...).
 */
export function keyFindings(project: Project, findings: readonly CliFinding[]): KeyedFinding[] {
  const texts = new Map<string, string[]>();
  const seen = new Map<string, number>();
  const out: KeyedFinding[] = [];
  for (const f of findings) {
    const abs = path.resolve(f.file);
    let lines = texts.get(abs);
    if (!lines) {
      lines = readFileSync(abs, 'utf8').split(/\r?\n/);
      texts.set(abs, lines);
    }
    const spanned = lines
      .slice(f.line - 1, f.endLine)
      .join('\n')
      .replace(/\s+/g, ' ')
      .trim();
    const file = path.relative(project.root, abs).split(path.sep).join('/');
    const hash = createHash('sha256')
      .update([f.ruleId, f.message, spanned, f.column, f.endLine - f.line, f.endColumn].join('\0'))
      .digest('hex')
      .slice(0, 12);
    const id = `${file}\0${f.ruleId}\0${hash}`;
    const n = (seen.get(id) ?? 0) + 1;
    seen.set(id, n);
    out.push({
      project: project.name,
      file,
      rule: f.ruleId,
      severity: f.severity,
      message: f.message,
      line: f.line,
      column: f.column,
      key: n === 1 ? hash : `${hash}#${n}`,
      excerpt: clean(lines[f.line - 1] ?? '').slice(0, 120),
    });
  }
  return out;
}

export async function lintAll(projects: readonly Project[]): Promise<KeyedFinding[]> {
  const all: KeyedFinding[] = [];
  for (const p of projects) all.push(...keyFindings(p, await lintProject(p)));
  return all;
}

const identity = (e: { project: string; file: string; rule: string; key: string }) => `${e.project}\0${e.file}\0${e.rule}\0${e.key}`;
/** Where a finding sits, ignoring its message: lets --update keep a reason when only the wording changed. */
const place = (e: { project: string; file: string; rule: string; line: number; column: number; excerpt: string }) =>
  `${e.project}\0${e.file}\0${e.rule}\0${e.line}\0${e.column}\0${e.excerpt}`;

/** Tabs and line breaks would break the TSV; reasons and excerpts are one line. */
function clean(s: string): string {
  return s.replace(/[\t\r\n]+/g, ' ').trim();
}

const HEADER = ['project', 'file', 'line', 'column', 'rule', 'severity', 'key', 'verdict', 'reason', 'excerpt'];

export function formatLedger(entries: readonly LedgerEntry[]): string {
  const rows = [...entries].sort(compareEntries).map((e) =>
    [e.project, e.file, e.line, e.column, e.rule, e.severity, e.key, e.verdict, clean(e.reason), clean(e.excerpt)].join('\t'),
  );
  return [
    '# Reviewed findings of pgwarden on ../shared/corpus. One line per finding; `npm run lintcheck -- --update` rewrites it, keeping verdicts and reasons.',
    '# verdict: true (a reviewer wants it; the reason says why), false-positive (open) (wrong or noise, owner could not fix it yet), needs-review (new: the test fails until reviewed).',
    HEADER.join('\t'),
    ...rows,
  ].join('\n') + '\n';
}

export function parseLedger(text: string): LedgerEntry[] {
  const entries: LedgerEntry[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (!line.trim() || line.startsWith('#') || line === HEADER.join('\t')) return;
    const cols = line.split('\t');
    if (cols.length !== HEADER.length) throw new Error(`ledger line ${i + 1}: ${cols.length} columns, expected ${HEADER.length}`);
    const [project, file, lineNo, column, rule, severity, key, verdict, reason, excerpt] = cols;
    if (!(VERDICTS as readonly string[]).includes(verdict)) throw new Error(`ledger line ${i + 1}: unknown verdict "${verdict}" (${VERDICTS.join(', ')})`);
    entries.push({ project, file, line: Number(lineNo), column: Number(column), rule, severity, key, verdict: verdict as Verdict, reason, excerpt });
  });
  return entries;
}

export function ledgerPath(project: string): string {
  return path.join(LEDGER_DIR, `${project}.tsv`);
}

/** The ledgers of the given projects (a project without a ledger file has no entries). */
export function readLedger(projects: readonly Project[]): LedgerEntry[] {
  return projects.flatMap((p) => {
    const file = ledgerPath(p.name);
    if (!existsSync(file)) return [];
    const entries = parseLedger(readFileSync(file, 'utf8'));
    const stray = entries.find((e) => e.project !== p.name);
    if (stray) throw new Error(`${file} holds an entry of project ${stray.project}`);
    return entries;
  });
}

/** Ledger files whose project is not in the corpus (a renamed or removed project). */
export function strayLedgers(projects: readonly Project[]): string[] {
  if (!existsSync(LEDGER_DIR)) return [];
  return readdirSync(LEDGER_DIR)
    .filter((f) => f.endsWith('.tsv') && !projects.some((p) => `${p.name}.tsv` === f))
    .sort();
}

function compareEntries(a: LedgerEntry, b: LedgerEntry): number {
  return a.project.localeCompare(b.project) || a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule) || a.key.localeCompare(b.key);
}

/**
 * The ledger after a run: an entry whose key still fires keeps its verdict and reason;
 * one whose message alone changed (same place, same text) keeps them too; every other
 * finding is new and needs review; entries that no longer fire are dropped.
 */
export function updateLedger(old: readonly LedgerEntry[], findings: readonly KeyedFinding[]): { entries: LedgerEntry[]; reworded: number; added: number; dropped: number } {
  const byId = new Map(old.map((e) => [identity(e), e]));
  const byPlace = new Map(old.map((e) => [place(e), e]));
  const used = new Set<LedgerEntry>();
  let reworded = 0;
  let added = 0;
  const entries = findings.map((f): LedgerEntry => {
    let prev = byId.get(identity(f));
    if (!prev) {
      const candidate = byPlace.get(place(f));
      if (candidate && !used.has(candidate)) {
        prev = candidate;
        reworded++;
      }
    }
    if (prev) used.add(prev);
    else added++;
    return {
      project: f.project,
      file: f.file,
      line: f.line,
      column: f.column,
      rule: f.rule,
      severity: f.severity,
      key: f.key,
      verdict: prev?.verdict ?? 'needs-review',
      reason: prev?.reason ?? '',
      excerpt: f.excerpt,
    };
  });
  return { entries, reworded, added, dropped: old.filter((e) => !used.has(e)).length };
}

export interface LedgerDiff {
  /** Findings that fire but are not in the ledger. */
  unlisted: KeyedFinding[];
  /** Ledger entries that no longer fire. */
  gone: LedgerEntry[];
  /** Entries whose severity changed (same key). */
  severity: Array<{ entry: LedgerEntry; now: string }>;
}

export function diffLedger(entries: readonly LedgerEntry[], findings: readonly KeyedFinding[]): LedgerDiff {
  const byId = new Map(entries.map((e) => [identity(e), e]));
  const fired = new Set(findings.map(identity));
  const unlisted: KeyedFinding[] = [];
  const severity: LedgerDiff['severity'] = [];
  for (const f of findings) {
    const e = byId.get(identity(f));
    if (!e) unlisted.push(f);
    else if (e.severity !== f.severity) severity.push({ entry: e, now: f.severity });
  }
  return { unlisted, gone: entries.filter((e) => !fired.has(identity(e))), severity };
}

/** The diff as the test and the script print it: one line per finding, with where to look. */
export function describeDiff(d: LedgerDiff, limit = Infinity): string {
  const out: string[] = [];
  const more = (n: number) => {
    if (n > limit) out.push(`  ... and ${n - limit} more`);
  };
  if (d.unlisted.length) {
    out.push(`${d.unlisted.length} finding(s) not in the ledger (new, moved or reworded):`);
    for (const f of d.unlisted.slice(0, limit)) out.push(`  + ${f.project}/${f.file}:${f.line}:${f.column} ${f.rule} [${f.key}] ${f.message}`);
    more(d.unlisted.length);
  }
  if (d.gone.length) {
    out.push(`${d.gone.length} ledger entr(y/ies) no longer firing:`);
    for (const e of d.gone.slice(0, limit)) out.push(`  - ${e.project}/${e.file}:${e.line}:${e.column} ${e.rule} [${e.key}] (${e.verdict}) ${e.excerpt}`);
    more(d.gone.length);
  }
  if (d.severity.length) {
    out.push(`${d.severity.length} finding(s) changed severity:`);
    for (const { entry: e, now } of d.severity.slice(0, limit)) out.push(`  ~ ${e.project}/${e.file}:${e.line}:${e.column} ${e.rule} ${e.severity} -> ${now}`);
    more(d.severity.length);
  }
  if (out.length) out.push('Review the change, then run `npm run lintcheck -- --update` and give every needs-review entry a verdict and a reason.');
  return out.join('\n');
}

export interface ProjectTally {
  project: string;
  findings: number;
  truePositives: number;
  openFalsePositives: number;
  unreviewed: number;
}

export function tally(projects: readonly Project[], entries: readonly LedgerEntry[]): ProjectTally[] {
  return projects.map((p) => {
    const mine = entries.filter((e) => e.project === p.name);
    return {
      project: p.name,
      findings: mine.length,
      truePositives: mine.filter((e) => e.verdict === 'true').length,
      openFalsePositives: mine.filter((e) => e.verdict === 'false-positive (open)').length,
      unreviewed: mine.filter((e) => e.verdict === 'needs-review').length,
    };
  });
}

export const README_BEGIN = '<!-- precision:begin -->';
export const README_END = '<!-- precision:end -->';

/** The README's "precision on real projects" table, generated from the ledger. */
export function precisionTable(rows: readonly ProjectTally[]): string {
  const sum = (k: keyof Omit<ProjectTally, 'project'>) => rows.reduce((n, r) => n + r[k], 0);
  const out = ['| project | findings | reviewed as true | false positives (open) | not yet reviewed |', '|---|---:|---:|---:|---:|'];
  for (const r of rows) out.push(`| ${r.project === 'sql' ? 'sql (fixture corpus)' : r.project} | ${r.findings} | ${r.truePositives} | ${r.openFalsePositives} | ${r.unreviewed} |`);
  out.push(`| **total** | **${sum('findings')}** | **${sum('truePositives')}** | **${sum('openFalsePositives')}** | **${sum('unreviewed')}** |`);
  return out.join('\n');
}

/** README.md with the text between the precision markers replaced. */
export function withPrecisionTable(readme: string, table: string): string {
  const b = readme.indexOf(README_BEGIN);
  const e = readme.indexOf(README_END);
  if (b < 0 || e < b) throw new Error(`README.md lacks the ${README_BEGIN} / ${README_END} markers`);
  return readme.slice(0, b + README_BEGIN.length) + '\n' + table + '\n' + readme.slice(e);
}

/** Per-rule counts for one project's findings, for the script's table. */
export function countByRule(findings: readonly KeyedFinding[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const f of findings) m.set(f.rule, (m.get(f.rule) ?? 0) + 1);
  return new Map([...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
}
