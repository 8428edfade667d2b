// What package.json contributes for syntax colouring: the two configuration-file grammars,
// and nothing for SQL, whose colouring is VS Code's built-in SQL grammar.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { minimatch } from 'minimatch';
import { loadGrammar } from './textmate';

const ROOT = join(__dirname, '../..');

interface Manifest {
  contributes: {
    grammars?: Array<{ language?: string; scopeName: string; path: string; injectTo?: string[] }>;
    languages?: Array<{ id: string; extensions?: string[]; filenames?: string[]; filenamePatterns?: string[] }>;
  };
}

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest;
const grammars = manifest.contributes.grammars ?? [];
const languages = manifest.contributes.languages ?? [];

describe('contributed grammars', () => {
  it('contributes exactly the pg-hba, pg-ident and pg-conf grammars, each file carrying the declared scope name', async () => {
    assert.deepEqual(
      grammars.map((g) => [g.language, g.scopeName, g.path]),
      [
        ['pg-hba', 'source.pg-hba', './syntaxes/pg-hba.tmLanguage.json'],
        ['pg-ident', 'source.pg-ident', './syntaxes/pg-ident.tmLanguage.json'],
        ['pg-conf', 'source.pg-conf', './syntaxes/pg-conf.tmLanguage.json'],
      ],
    );
    for (const g of grammars) {
      const raw = JSON.parse(readFileSync(join(ROOT, g.path), 'utf8')) as { scopeName: string };
      assert.equal(raw.scopeName, g.scopeName, g.path);
      // vscode-textmate compiles it and tokenizes a line under that root scope.
      const grammar = await loadGrammar(g.scopeName);
      assert.deepEqual(grammar.tokenizeLine('# x', null).tokens[0].scopes[0], g.scopeName);
    }
  });

  it('contributes no SQL grammar or language, so a .sql file gets VS Code\'s built-in SQL grammar', () => {
    assert.ok(!grammars.some((g) => g.language === 'sql'), 'a grammar for the sql language');
    assert.ok(!grammars.some((g) => /(^|\.)sql$/.test(g.scopeName)), 'a grammar with a source.sql scope');
    assert.ok(!grammars.some((g) => g.injectTo?.some((s) => /sql/.test(s))), 'a grammar injected into SQL');
    assert.ok(!languages.some((l) => l.id === 'sql'), 'a contribution to the sql language');
    // No language of ours claims a SQL file by its name.
    for (const file of ['schema.sql', 'pg_hba.sql', 'postgresql.sql', 'migrations/001_init.sql']) {
      const base = file.split('/').pop()!;
      for (const l of languages) {
        assert.ok(!(l.extensions ?? []).some((e) => base.endsWith(e)), `${l.id} claims ${file} by extension`);
        assert.ok(!(l.filenames ?? []).includes(base), `${l.id} claims ${file} by name`);
        assert.ok(!(l.filenamePatterns ?? []).some((p) => minimatch(base, p)), `${l.id} claims ${file} by pattern`);
      }
    }
    // The patterns are live: the same check does see the configuration files.
    assert.ok(languages.find((l) => l.id === 'pg-hba')!.filenamePatterns!.some((p) => minimatch('prod_pg_hba.conf', p)));
    assert.ok(languages.find((l) => l.id === 'pg-conf')!.filenamePatterns!.some((p) => minimatch('old-postgresql.conf', p)));
    assert.ok(languages.find((l) => l.id === 'pg-ident')!.filenamePatterns!.some((p) => minimatch('prod_pg_ident.conf', p)));
    // Each configuration file is claimed by exactly one language.
    for (const file of ['pg_hba.conf', 'pg_ident.conf', 'postgresql.conf']) {
      const claims = languages.filter((l) => (l.filenames ?? []).includes(file) || (l.filenamePatterns ?? []).some((p) => minimatch(file, p)));
      assert.equal(claims.length, 1, `${file}: ${claims.map((l) => l.id).join(', ')}`);
    }
  });
});
