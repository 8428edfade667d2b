#!/usr/bin/env node
// Scaffolds a rule with everything the registry test demands: the rule module (which
// compiles and reports nothing yet), its table test, its docs page, its line in the
// kind's index, and the regenerated README rule table and pgwarden.json schema. The docs
// page and the description start with TODO, which the registry test refuses, so a rule
// cannot land half-written.
//
// Usage: node scripts/new-rule.mjs sql|hba|ident|conf|live <rule-id> [--kind role|table|schema|function|database|setting|language|extension]
//   live rule ids start with db-; --kind (live only, default role) is the object kind its findings sit on.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const USAGE = 'usage: node scripts/new-rule.mjs sql|hba|ident|conf|live <rule-id> [--kind role|table|schema|function|database|setting|language|extension]';
const KINDS = ['role', 'table', 'schema', 'function', 'database', 'setting', 'language', 'extension'];

const args = process.argv.slice(2);
const kindAt = args.indexOf('--kind');
const objectKind = kindAt >= 0 ? args.splice(kindAt, 2)[1] : 'role';
const [lang, id] = args;
function fail(message) {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}
if (!['sql', 'hba', 'ident', 'conf', 'live'].includes(lang)) fail(`unknown kind of rule "${lang ?? ''}"`);
if (!/^[a-z0-9]+(-[a-z0-9]+)+$/.test(id ?? '')) fail(`a rule id is kebab case with at least two words: "${id ?? ''}"`);
if (lang === 'live' && !id.startsWith('db-')) fail('live rule ids start with db-');
if (lang !== 'live' && id.startsWith('db-')) fail('db- ids are reserved for live rules');
if (!KINDS.includes(objectKind)) fail(`unknown --kind "${objectKind}"`);

const camel = id.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());
const header = `// ${id}: TODO what it flags, and why that is a security problem, in a sentence or two.\n`;
const meta = (language) => `  meta: {
    id: '${id}',
    language: '${language}',
    defaultSeverity: 'warning',
    description: 'TODO one sentence: what the rule flags.',
    fixable: false,
  },
`;

const MODULES = {
  sql: `${header}
import { Finding } from '../../rules';
import { SqlRule } from '../rule';

export const ${camel}: SqlRule = {
${meta('sql')}  // The statement kinds (parse-tree node names, e.g. 'GrantStmt') the rule looks at.
  types: [],
  check(stmt, ctx) {
    const out: Finding[] = [];
    void stmt;
    void ctx;
    return out;
  },
};
`,
  hba: `${header}
import { Finding } from '../../rules';
import { HbaRule, liveRecords } from '../rule';

export const ${camel}: HbaRule = {
${meta('hba')}  check(ctx) {
    const out: Finding[] = [];
    for (const r of liveRecords(ctx)) {
      void r;
    }
    return out;
  },
};
`,
  ident: `${header}
import { Finding } from '../../rules';
import { IdentRule, ownMappings } from '../rule';

export const ${camel}: IdentRule = {
${meta('ident')}  check(ctx) {
    const out: Finding[] = [];
    for (const m of ownMappings(ctx)) {
      void m;
    }
    return out;
  },
};
`,
  conf: `${header}
import { Finding } from '../../rules';
import { ConfRule, effectiveSettings } from '../rule';

export const ${camel}: ConfRule = {
${meta('conf')}  check(doc) {
    const out: Finding[] = [];
    // effectiveSettings(doc, 'name', ...): the lines the server ends up using.
    for (const s of effectiveSettings(doc)) {
      void s;
    }
    return out;
  },
};
`,
  live: `${header}
import { LiveRule, liveMeta } from '../rule';

export const ${camel}: LiveRule = {
  meta: liveMeta('${id}', 'warning', 'TODO one sentence: what the rule flags.'),
  check(s, ctx) {
    // Report with ctx.report({ objectKind: '${objectKind}', object, message }): the context stamps the id.
    void s;
    void ctx;
  },
};
`,
};

const TESTS = {
  sql: `import { ruleTester } from './harness';

ruleTester('${id}', {
  valid: [],
  invalid: [],
});
`,
  hba: `import { hbaRuleTester } from '../hba/harness';

hbaRuleTester('${id}', {
  valid: [],
  invalid: [],
});
`,
  ident: `import { identRuleTester } from '../ident/harness';

identRuleTester('${id}', {
  valid: [],
  invalid: [],
});
`,
  conf: `import { confRuleTester } from '../conf/harness';

confRuleTester('${id}', {
  valid: [],
  invalid: [],
});
`,
  live: `import { liveRuleTester } from './harness';

liveRuleTester('${id}', {
  kind: '${objectKind}',
  valid: [],
  invalid: [],
});
`,
};

const example = { sql: 'sql', hba: 'conf', ident: 'conf', conf: 'conf', live: 'sql' }[lang];
const DOC = `# ${id}

TODO what it flags${lang === 'live' ? ' in the connected database (the live audit)' : ''}.

Default severity: warning. No fix.

## Why

TODO what an attacker or a mistake can do because of it.

## What it does not flag

TODO the near misses it deliberately leaves alone, and why each is not a problem.

## How to fix

TODO

## Example

\`\`\`${example}
-- Flagged.

-- Fixed.
\`\`\`
`;

const ruleDir = lang === 'live' ? 'server/src/core/live/rules' : `server/src/core/${lang}/rules`;
const files = {
  [`${ruleDir}/${id}.ts`]: MODULES[lang],
  [lang === 'live' ? `test/unit/live/rules/${id}.test.ts` : `test/unit/rules/${id}.test.ts`]: TESTS[lang],
  [`docs/rules/${id}.md`]: DOC,
};
const touched = [];
for (const path of Object.keys(files)) {
  if (existsSync(join(ROOT, path))) fail(`${path} exists already; nothing was changed`);
}
for (const [path, text] of Object.entries(files)) {
  const abs = join(ROOT, path);
  mkdirSync(dirname(abs), { recursive: true });
  writeFileSync(abs, text);
  touched.push(`created  ${path}`);
}

// The index: an import after the last one, and the rule at the end of the list.
const indexPath = `${ruleDir}/index.ts`;
const index = readFileSync(join(ROOT, indexPath), 'utf8');
const lines = index.split('\n');
const lastImport = lines.reduce((at, l, i) => (/^import .* from '\.\/[^']+';$/.test(l) ? i : at), -1);
const listStart = lines.findIndex((l) => /^export const [A-Z_]+_RULES: readonly \w+\[\] = \[$/.test(l));
const listEnd = lines.findIndex((l, i) => i > listStart && l === '];');
if (lastImport < 0 || listStart < 0 || listEnd < 0) fail(`cannot find the imports and the rule list in ${indexPath}; add ${camel} by hand`);
lines.splice(listEnd, 0, `  ${camel},`);
lines.splice(lastImport + 1, 0, `import { ${camel} } from './${id}';`);
writeFileSync(join(ROOT, indexPath), lines.join('\n'));
touched.push(`edited   ${indexPath}`);

// The generated lists that name every rule.
for (const script of ['scripts/gen-readme-rules.ts', 'scripts/gen-schema.ts']) {
  execFileSync(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, script)], { cwd: ROOT, stdio: 'inherit' });
}
touched.push('edited   README.md (rule table)', 'edited   schemas/pgwarden.schema.json');

console.log(touched.join('\n'));
console.log(`\nNow write the check, the table (valid and invalid cases), the docs page and the description: the registry test fails while any TODO is left.`);
