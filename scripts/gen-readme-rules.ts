// Regenerates the rule tables in README.md (between the rules:begin/end markers) from the
// registry, so the README, the docs pages and the code cannot drift apart.
// Run: npx tsx scripts/gen-readme-rules.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ALL_RULES } from '../server/src/core/registry';
import { RuleMeta } from '../server/src/core/rules';

const path = resolve(__dirname, '../README.md');
const readme = readFileSync(path, 'utf8');
const begin = '<!-- rules:begin -->';
const end = '<!-- rules:end -->';
if (!readme.includes(begin) || !readme.includes(end)) throw new Error('README.md lacks the rules markers');

const groups: Array<[string, (r: RuleMeta) => boolean]> = [
  ['SQL', (r) => r.language === 'sql' && !r.id.startsWith('db-')],
  ['pg_hba.conf', (r) => r.language === 'hba'],
  ['pg_ident.conf', (r) => r.language === 'ident'],
  ['postgresql.conf', (r) => r.language === 'conf'],
  ['Live database audit', (r) => r.id.startsWith('db-')],
];
const parts: string[] = [];
for (const [title, test] of groups) {
  const rules = ALL_RULES.filter(test);
  if (!rules.length) continue;
  parts.push(`### ${title}\n\n| rule | default | fix | what it flags |\n|---|---|---|---|`);
  for (const r of rules) parts.push(`| [${r.id}](docs/rules/${r.id}.md) | ${r.defaultOff ? `off (${r.defaultSeverity} when on)` : r.defaultSeverity} | ${r.fixable ? 'yes' : '-'} | ${r.description.replace(/\|/g, '\\|')} |`);
  parts.push('');
}
const next = readme.slice(0, readme.indexOf(begin) + begin.length) + '\n' + parts.join('\n') + readme.slice(readme.indexOf(end));
writeFileSync(path, next);
console.log(`README.md: ${ALL_RULES.length} rules listed`);
