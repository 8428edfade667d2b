// Memory of the core after opening the 10,000-line file in a fresh process (parse cache,
// facts, findings all held). Run with --expose-gc so the figure excludes garbage.
//   node --expose-gc --require tsx/cjs test/bench/memory.ts
import { defaultConfig } from '../../server/src/core/config';
import { analyzeSql, lintAnalyzedSql } from '../../server/src/core/lint';
import { loadParser } from '../../server/src/core/sql/parser';
import { Workspace } from '../../server/src/core/workspace';
import { generateSql } from './generate';

const mb = (n: number) => Math.round((n / 1024 / 1024) * 10) / 10;

async function main(): Promise<void> {
  await loadParser();
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage();
  const { text } = generateSql(10_000);
  const a = analyzeSql('file:///bench/mem.sql', text);
  const ws = new Workspace();
  ws.setFile('file:///bench/mem.sql', a.facts);
  const findings = lintAnalyzedSql(a, ws, defaultConfig());
  gc?.();
  const after = process.memoryUsage();
  process.stdout.write(
    JSON.stringify({
      findings: findings.length,
      rssBeforeMb: mb(before.rss),
      rssMb: mb(after.rss),
      heapUsedMb: mb(after.heapUsed),
      heapDeltaMb: mb(after.heapUsed - before.heapUsed),
      externalMb: mb(after.external + after.arrayBuffers),
      keep: a.doc.statements.length > 0,
    }) + '\n',
  );
}

main().catch((err) => {
  process.stderr.write(String(err?.stack ?? err) + '\n');
  process.exit(1);
});
