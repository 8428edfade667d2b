#!/usr/bin/env node
// Scaffolds a rule with the three things the registry test demands: the rule module,
// its docs page and its table test. Usage: node scripts/new-rule.mjs sql|hba|conf <rule-id>
import { existsSync, mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const [lang, id] = process.argv.slice(2);
if (!['sql', 'hba', 'conf'].includes(lang) || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id ?? '')) {
  console.error('usage: node scripts/new-rule.mjs sql|hba|conf <rule-id>');
  process.exit(2);
}
const camel = id.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());
const files = {
  [`server/src/core/${lang}/rules/${id}.ts`]: lang === 'sql'
    ? `// ${id}: TODO one line on what and why.\n\nimport { SqlRule } from '../rule';\n\nexport const ${camel}: SqlRule = {\n  meta: {\n    id: '${id}',\n    language: 'sql',\n    defaultSeverity: 'warning',\n    description: 'TODO',\n    fixable: false,\n  },\n  types: [],\n  check() {\n    return [];\n  },\n};\n`
    : `// ${id}: TODO one line on what and why.\n`,
  [`docs/rules/${id}.md`]: `# ${id}\n\nTODO: what it flags.\n\n## Why\n\n## How to fix\n\n## Example\n\n\`\`\`${lang === 'sql' ? 'sql' : 'conf'}\n\`\`\`\n`,
  [`test/unit/rules/${id}.test.ts`]: `import { ruleTester } from './harness';\n\nruleTester('${id}', {\n  valid: [],\n  invalid: [],\n});\n`,
};
for (const [path, text] of Object.entries(files)) {
  if (existsSync(path)) {
    console.error(`exists, left alone: ${path}`);
    continue;
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  console.log(`created ${path}`);
}
console.log(`now add ${camel} to server/src/core/${lang}/rules/index.ts`);
