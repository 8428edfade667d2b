// The registry is checked, as ESLint's checkRuleFiles does: every rule id has a docs page
// with the four sections, a table test, an entry in the README's rule list, and appears
// in the pgwarden.json schema; every rule module on disk is in its index.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ALL_RULES, RULES_BY_ID } from '../../server/src/core/registry';
import { CONFIG_KEYS } from '../../server/src/core/config';
import { FILE_KINDS } from '../../server/src/core/model/layout';
import { RULE_REFS } from '../../server/src/core/refs';
import { coverageRefs, readCoverage, refsModule } from '../../scripts/coverage-refs';

const ROOT = resolve(__dirname, '../..');
const read = (p: string) => readFileSync(join(ROOT, p), 'utf8');

/** Where each kind of rule keeps its table test. */
function tableTestFor(id: string): string[] {
  return [`test/unit/rules/${id}.test.ts`, `test/unit/hba/rules/${id}.test.ts`, `test/unit/conf/rules/${id}.test.ts`, `test/unit/live/rules/${id}.test.ts`];
}

/** Rules reported by the engine or the live audit: their tables live in other suites. */
const TESTED_ELSEWHERE: Record<string, string> = {
  'syntax-error': 'test/unit/rules/syntax-error.test.ts',
  'unused-suppression': 'test/unit/suppress.test.ts',
  'not-analysed': 'test/lsp/faults.test.ts',
};

describe('rule references from docs/coverage.md', () => {
  it('server/src/core/refs.ts is what docs/coverage.md says (run: npx tsx scripts/gen-refs.ts)', () => {
    const refs = coverageRefs(readCoverage(), new Set(ALL_RULES.map((r) => r.id)));
    assert.equal(read('server/src/core/refs.ts'), refsModule(refs), 'run: npx tsx scripts/gen-refs.ts');
  });

  it('reads the pgwarden cell of each table, a rule named twice in one row once, unknown ids not at all', () => {
    const doc = [
      '## pgdsat 2.0',
      '| pgdsat | Check | pgwarden | Notes |',
      '|---|---|---|---|',
      '| 4.3 | Admin privileges | `db-role-escalation`, `db-bypassrls`; `db-role-escalation` | `db-orphan-role` in a note does not count |',
      '| 4.4 | Planned | (in progress, roles: `not-a-rule`) | |',
      '## splinter',
      '| splinter | Lint | pgwarden | Notes |',
      '| 0014 | `extension_in_public` | `db-extension-in-public` | |',
    ].join('\n');
    assert.deepEqual(coverageRefs(doc, new Set(['db-role-escalation', 'db-bypassrls', 'db-orphan-role', 'db-extension-in-public'])), {
      'db-bypassrls': [{ tool: 'pgdsat', id: '4.3', title: 'Admin privileges' }],
      'db-extension-in-public': [{ tool: 'splinter', id: '0014', title: 'extension_in_public' }],
      'db-role-escalation': [{ tool: 'pgdsat', id: '4.3', title: 'Admin privileges' }],
    });
    assert.deepEqual(RULE_REFS['db-role-escalation']?.map((r) => `${r.tool} ${r.id}`), ['pgdsat 4.3', 'pgrls SEC029']);
  });
});

describe('rule registry', () => {
  it('has unique ids in kebab case', () => {
    const ids = ALL_RULES.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const id of ids) assert.match(id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  for (const rule of ALL_RULES) {
    describe(rule.id, () => {
      it('has a docs page with what, why, how to fix and an example', () => {
        const page = `docs/rules/${rule.id}.md`;
        assert.ok(existsSync(join(ROOT, page)), `${page} is missing`);
        const text = read(page);
        assert.match(text, new RegExp(`^# ${rule.id}\\n`), 'the page starts with its id as title');
        for (const section of ['## Why', '## How to fix', '## Example']) assert.ok(text.includes(section), `${page} lacks "${section}"`);
        assert.ok(!/\bTODO\b/.test(text), `${page} still has a TODO`);
        // A fixable rule's page says whether fix-all applies its fix (safe) or not (unsafe).
        if (rule.fixable) assert.match(text, /\*\*(Safe|Unsafe|Safe and unsafe) fix(es)?\.\*\*/, `${page} does not say whether its fix is safe or unsafe`);
      });

      it('has a table test', () => {
        const candidates = TESTED_ELSEWHERE[rule.id] ? [TESTED_ELSEWHERE[rule.id]] : tableTestFor(rule.id);
        assert.ok(candidates.some((p) => existsSync(join(ROOT, p))), `no table test among ${candidates.join(', ')}`);
      });

      it('is listed in the README with a link to its page', () => {
        assert.ok(read('README.md').includes(`[${rule.id}](docs/rules/${rule.id}.md)`), `README.md does not link ${rule.id}`);
      });

      it('has a one-sentence description', () => {
        assert.ok(rule.description.length > 10 && !/\bTODO\b/.test(rule.description));
      });
    });
  }

  it('indexes every rule module on disk', () => {
    for (const lang of ['sql', 'hba', 'ident', 'conf', 'live']) {
      const dir = join(ROOT, 'server/src/core', lang, 'rules');
      if (!existsSync(dir)) continue;
      const modules = readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'index.ts' && !f.startsWith('_'));
      for (const m of modules) {
        const id = m.replace(/\.ts$/, '');
        if (/^[a-z]+(-[a-z0-9]+)+$/.test(id) && read(join('server/src/core', lang, 'rules', m)).includes(`'${id}'`)) {
          assert.ok(RULES_BY_ID.has(id), `${lang}/rules/${m} defines ${id} but the registry lacks it`);
        }
      }
    }
  });

  it('has every pgwarden.json setting in the schema, and no other', () => {
    const schema = JSON.parse(read('schemas/pgwarden.schema.json'));
    assert.deepEqual(Object.keys(schema.properties).sort(), [...CONFIG_KEYS].sort(), 'run: npx tsx scripts/gen-schema.ts');
    assert.deepEqual(Object.keys(schema.properties.migrations.properties.kinds.properties), [...FILE_KINDS]);
  });

  it('has every rule id in the pgwarden.json schema, so VS Code completes them', () => {
    const schema = JSON.parse(read('schemas/pgwarden.schema.json'));
    const listed = Object.keys(schema.properties.rules.properties ?? {});
    assert.deepEqual([...listed].sort(), ALL_RULES.map((r) => r.id).sort(), 'run: npx tsx scripts/gen-schema.ts');
  });

  it('keeps the pgwarden.json schema to completion and descriptions: pgwarden alone validates, so no problem shows twice', () => {
    const schema = JSON.parse(read('schemas/pgwarden.schema.json'));
    const validating = new Set(['type', 'enum', 'const', 'additionalProperties', 'required', 'minimum', 'maximum', 'pattern', 'minItems', 'maxItems', 'uniqueItems']);
    const found: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (!node || typeof node !== 'object') return;
      for (const [k, v] of Object.entries(node)) {
        // Under "properties" the keys are setting names, not keywords.
        if (!path.endsWith('.properties') && validating.has(k)) found.push(`${path}.${k}`);
        walk(v, `${path}.${k}`);
      }
    };
    walk(schema, '$');
    assert.deepEqual(found, [], 'run: npx tsx scripts/gen-schema.ts');
    assert.deepEqual(schema.properties.rules.properties['grant-all'].examples, ['off', 'info', 'warning', 'error', 'hint']);
  });

  it('keeps the docs pages and the registry in step (no page without a rule)', () => {
    const pages = readdirSync(join(ROOT, 'docs/rules')).filter((f) => f.endsWith('.md')).map((f) => f.replace(/\.md$/, ''));
    const extra = pages.filter((id) => !RULES_BY_ID.has(id));
    assert.deepEqual(extra, [], 'docs pages for unknown rules');
  });
});
