// The real-corpus regression check: every finding pgwarden reports on the real projects of
// ../shared/corpus (each linted on its own by `pgwarden lint`, in-process) must be in the
// reviewed ledger test/corpus/ledger/<project>.tsv, every ledger entry must still fire,
// and every entry must carry a verdict and a reason. The README's precision table must be
// the one the ledgers give. See test/corpus/lintcheck.ts and `npm run lintcheck`.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadParser } from '../../server/src/core/sql/parser';
import {
  CONFIG_DIR,
  CORPUS,
  corpusProjects,
  describeDiff,
  diffLedger,
  KeyedFinding,
  lintAll,
  LedgerEntry,
  precisionTable,
  readLedger,
  README,
  README_BEGIN,
  README_END,
  strayLedgers,
  tally,
} from './lintcheck';

const CI = process.env.CI === 'true' || process.env.CI === '1';

describe('the reviewed ledger of findings on real projects (lintcheck)', function () {
  this.timeout(120_000);
  const projects = corpusProjects();

  if (!existsSync(path.join(CORPUS, 'projects'))) {
    if (CI) it('has the corpus (required when CI is set)', () => assert.fail(`the corpus is missing at ${CORPUS}/projects`));
    else {
      console.warn(`\n!!! lintcheck test SKIPPED: ${CORPUS}/projects is missing !!!\n`);
      it.skip(`needs the corpus at ${CORPUS}/projects`);
    }
    return;
  }

  let findings: KeyedFinding[] = [];
  let entries: LedgerEntry[] = [];
  before(async () => {
    await loadParser();
    entries = readLedger(projects);
    findings = await lintAll(projects);
  });

  it('lints the 16 projects and the fixture corpus, each on its own', () => {
    assert.deepEqual(
      projects.map((p) => p.name),
      [
        'authelia', 'chatbot-ui', 'crunchy-containers', 'graphile-crystal', 'nakama', 'ory-hydra', 'pagila', 'pg_graphql',
        'pg_net', 'pgmq', 'pgsodium', 'pgvector', 'supabase-tenant-rbac', 'supabase-vault', 'timescaledb', 'umami', 'sql',
      ],
    );
    assert.deepEqual(strayLedgers(projects), [], 'a ledger file names no corpus project');
  });

  it('declares nothing but placeholders in the per-project configurations', () => {
    for (const f of existsSync(CONFIG_DIR) ? readdirSync(CONFIG_DIR) : []) {
      const config = JSON.parse(readFileSync(path.join(CONFIG_DIR, f), 'utf8')) as Record<string, unknown>;
      assert.deepEqual(Object.keys(config), ['placeholders'], `${f}: the corpus is linted with the default configuration; only placeholders may be declared`);
      assert.ok(projects.some((p) => `${p.name}.json` === f), `${f} names no corpus project`);
    }
  });

  it('has every finding in the ledger, and every ledger entry still fires', () => {
    const diff = diffLedger(entries, findings);
    assert.ok(diff.unlisted.length + diff.gone.length + diff.severity.length === 0, '\n' + describeDiff(diff, 60));
  });

  it('has a verdict and a one-line reason for every entry (no needs-review left)', () => {
    const unreviewed = entries.filter((e) => e.verdict === 'needs-review' || e.reason.trim().length < 10);
    assert.deepEqual(
      unreviewed.slice(0, 40).map((e) => `${e.project}/${e.file}:${e.line}:${e.column} ${e.rule} (${e.verdict}) ${e.reason}`),
      [],
      `${unreviewed.length} ledger entr(y/ies) need review: give each a verdict (true or false-positive (open)) and a reason`,
    );
  });

  it('shows the ledgers\' precision table in the README', () => {
    const readme = readFileSync(README, 'utf8');
    const table = readme.slice(readme.indexOf(README_BEGIN) + README_BEGIN.length, readme.indexOf(README_END)).trim();
    assert.equal(table, precisionTable(tally(projects, entries)), 'README.md is stale: run `npm run lintcheck -- --update`');
  });
});
