// Project roots: for each file, the exact root folder and the pgwarden.json that applies,
// from a described tree (folders with pgwarden.json, project markers, boundaries).
// The pg_dump de-duplication across one root's files is tested here too.

import assert from 'node:assert/strict';
import { dumpRepeats, normalise } from '../../../server/src/core/model/dedupe';
import { classifyFile } from '../../../server/src/core/model/layout';
import fc from 'fast-check';
import { join, relative, resolve } from 'node:path';
import { absolute, childOf, hasProjectMarker, rootOf, rootRelative } from '../../../server/src/core/model/roots';
import { Finding } from '../../../server/src/core/rules';

/** A probe over a described tree: folders holding pgwarden.json, project folders, and config-named roots. */
function probe(configs: string[], projects: string[] = [], named: Record<string, string[]> = {}) {
  return {
    hasConfig: (d: string) => configs.includes(d),
    isProject: (d: string) => projects.includes(d),
    configRoots: (d: string) => named[d] ?? [],
  };
}

describe('project roots', () => {
  it('makes each boundary (a CLI path) its own root when no pgwarden.json is above', () => {
    const p = probe([]);
    assert.deepEqual(rootOf('/w/projects/a/db/1.sql', ['/w/projects/a', '/w/projects/b'], p), { dir: '/w/projects/a' });
    assert.deepEqual(rootOf('/w/projects/b/x.sql', ['/w/projects/a', '/w/projects/b'], p), { dir: '/w/projects/b' });
  });

  it('finds pgwarden.json from the file\'s folder upward, and its folder is the root', () => {
    const p = probe(['/w/app']);
    assert.deepEqual(rootOf('/w/app/db/migrations/1.sql', ['/w/app/db'], p), { dir: '/w/app', configDir: '/w/app' });
    assert.deepEqual(rootOf('/w/other/1.sql', ['/w/other'], p), { dir: '/w/other' });
  });

  it('splits at a project marker below the config, which still applies', () => {
    const p = probe(['/w'], ['/w/services/a', '/w/services/b']);
    assert.deepEqual(rootOf('/w/services/a/migrations/1.sql', ['/w'], p), { dir: '/w/services/a', configDir: '/w' });
    assert.deepEqual(rootOf('/w/services/b/1.sql', ['/w'], p), { dir: '/w/services/b', configDir: '/w' });
    assert.deepEqual(rootOf('/w/shared.sql', ['/w'], p), { dir: '/w', configDir: '/w' });
  });

  it('honours "migrations.roots" of the pgwarden.json above', () => {
    const p = probe(['/w'], [], { '/w': ['/w/db/tenant', '/w/db/admin'] });
    assert.deepEqual(rootOf('/w/db/tenant/1.sql', [], p), { dir: '/w/db/tenant', configDir: '/w' });
    assert.deepEqual(rootOf('/w/db/admin/x/1.sql', [], p), { dir: '/w/db/admin', configDir: '/w' });
  });

  it('falls back to the widest boundary holding the file, else the file\'s folder', () => {
    assert.deepEqual(rootOf('/w/a/b/1.sql', ['/elsewhere'], probe([])), { dir: '/w/a/b' });
  });

  it('knows project markers by name', () => {
    assert.deepEqual(
      [['.git'], ['package.json'], ['vector.control'], ['sqitch.plan'], ['README.md', 'x.sql'], ['pg_net.control.in']].map(hasProjectMarker),
      [true, true, true, true, false, false],
    );
    assert.equal(rootRelative('/w/a', '/w/a/db/1.sql'), 'db/1.sql');
  });
});

describe('pg_dump repeats', () => {
  const finding = (ruleId: string, message: string): Finding => ({ ruleId, message, start: 0, end: 1 });

  it('drops a dump\'s finding that a migration of the same root has, and only that', () => {
    const migration = { root: '/a', layout: classifyFile('migrations/1_init.sql'), findings: [finding('missing-rls', 'Table accounts has no row-level security. Add ALTER TABLE accounts ENABLE ROW LEVEL SECURITY.')] };
    const dumped = finding('missing-rls', 'Table public.accounts has no row-level security. Add ALTER TABLE public.accounts ENABLE ROW LEVEL SECURITY.');
    const onlyInDump = finding('missing-rls', 'Table public.audit has no row-level security. Add ALTER TABLE public.audit ENABLE ROW LEVEL SECURITY.');
    const dump = { root: '/a', layout: classifyFile('schema.sql', '--\n-- PostgreSQL database dump\n--\n'), findings: [dumped, onlyInDump] };
    const otherRootDump = { root: '/b', layout: dump.layout, findings: [{ ...dumped }] };
    const repeats = dumpRepeats([migration, dump, otherRootDump]);
    assert.deepEqual([...repeats], [dumped]);
  });

  it('tells objects apart by the statement when the message is generic', () => {
    const grant = finding('grant-to-public', 'GRANT to PUBLIC gives this privilege to every role.');
    const migration = { root: '/a', layout: classifyFile('m/1_a.sql'), findings: [grant], statementOf: () => 'GRANT SELECT ON accounts TO PUBLIC' };
    const same = { ...grant };
    const other = { ...grant };
    const texts = new Map([[same, 'GRANT SELECT ON TABLE public.accounts TO PUBLIC'], [other, 'GRANT SELECT ON TABLE public.audit TO PUBLIC']]);
    const dump = { root: '/a', layout: classifyFile('d.sql', '-- Dumped from database version 16\n'), findings: [same, other], statementOf: (f: Finding) => texts.get(f) };
    assert.deepEqual([...dumpRepeats([migration, dump])], [same]);
  });

  it('normalises pg_dump\'s spelling: quotes, public., case and blanks', () => {
    assert.equal(normalise('GRANT ALL on table "public"."Accounts"  to x'), normalise('grant all on table accounts to x'));
  });

  describe('the fast paths of path.resolve, path.join and path.relative', () => {
    // Segments with the spellings resolve changes: empty, '.', '..', and names that only look like them.
    const segment = fc.constantFrom('', '.', '..', '...', '.a', 'a.', 'migrations', 'b', '..x', 'x..');
    const path = fc.tuple(fc.boolean(), fc.array(segment, { maxLength: 6 }), fc.boolean()).map(([abs, segs, slash]) => `${abs ? '/' : ''}${segs.join('/')}${slash ? '/' : ''}`);

    it('absolute(p) is path.resolve(p), whatever the spelling', () => {
      fc.assert(fc.property(path, (p) => absolute(p) === resolve(p)), { seed: 20261205, numRuns: 2000 });
      assert.equal(absolute('/srv/app/migrations/001.sql'), '/srv/app/migrations/001.sql');
      assert.equal(absolute('/srv/app/../x/./y//z/'), '/srv/x/y/z');
      assert.equal(absolute('/'), '/');
    });

    it('childOf(dir, name) is path.join for a normal folder and an entry name', () => {
      const name = fc.stringMatching(/^[^/\u0000]+$/).filter((n) => n !== '.' && n !== '..');
      fc.assert(fc.property(path, name, (p, n) => childOf(resolve(p), n) === join(resolve(p), n)), { seed: 20261205, numRuns: 2000 });
      assert.equal(childOf('/', 'etc'), '/etc');
    });

    it('rootRelative(root, file) is path.relative with / separators', () => {
      fc.assert(fc.property(path, path, (r, f) => rootRelative(r, f) === relative(r, f)), { seed: 20261205, numRuns: 2000 });
      assert.equal(rootRelative('/srv/app', '/srv/app/migrations/001.sql'), 'migrations/001.sql');
      assert.equal(rootRelative('/', '/srv/a.sql'), 'srv/a.sql');
      assert.equal(rootRelative('/srv/app', '/srv/application/x.sql'), '../application/x.sql');
    });
  });
});
