// Projects: each file's layout as the CLI and the editor compute it, including what only
// the file system tells (an extension's control file).

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Projects } from '../../server/src/projects';

describe('Projects', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'pgwarden-projects-'));
    writeFileSync(join(dir, 'pgsodium.control'), "# pgsodium extension\ndefault_version = '3.1.11'\nrelocatable = false\nschema = pgsodium\n");
    writeFileSync(join(dir, 'pgmq.control'), "comment = 'queue'\nschema = 'pgmq'\n");
    mkdirSync(join(dir, 'extension'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("gives an extension script the schema its control file names, from a folder above it", () => {
    const p = new Projects({ boundaries: [dir] });
    assert.deepEqual(p.layoutOf(join(dir, 'extension', 'pgsodium--3.0.4--3.0.5.sql'), '').extension, { name: 'pgsodium', from: '3.0.4', to: '3.0.5', schema: 'pgsodium' });
    assert.equal(p.layoutOf(join(dir, 'pgmq--1.0.0.sql'), '').extension?.schema, 'pgmq');
  });

  it('leaves the schema out when no control file names one', () => {
    const p = new Projects({ boundaries: [dir] });
    assert.deepEqual(p.layoutOf(join(dir, 'extension', 'vault--0.3.0.sql'), '').extension, { name: 'vault', to: '0.3.0' });
    assert.equal(p.layoutOf(join(dir, 'schema.sql'), '').extension, undefined);
  });
});
