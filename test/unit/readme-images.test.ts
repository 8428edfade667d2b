// The pictures of the README and the docs: every image a page shows exists in the repository
// (a broken picture link fails here, not on the project page), every picture in docs/images
// is shown somewhere (`npm run screenshots` rewrites them; an orphan is a picture nobody
// refreshes), and each is a PNG small enough for the page to load fast.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
const IMAGES = join(ROOT, 'docs', 'images');
/** The limit test/e2e/screenshots.mjs holds each picture to. */
const MAX_BYTES = 150 * 1024;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** README.md and every Markdown page under docs/. */
function pages(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.md') ? [join(dir, e.name)] : []));
  return [join(ROOT, 'README.md'), ...walk(join(ROOT, 'docs'))];
}

/** The local images a Markdown page shows (`![alt](path)` and `<img src="path">`), resolved against the page. */
export function imageRefs(markdown: string): string[] {
  const refs = [
    ...[...markdown.matchAll(/!\[[^\]]*\]\(\s*(?:<([^>]+)>|([^)\s]+))(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1] ?? m[2]),
    ...[...markdown.matchAll(/<img\b[^>]*\bsrc\s*=\s*["']([^"']+)["']/gi)].map((m) => m[1]),
  ];
  return refs.filter((r) => !/^[a-z][a-z0-9+.-]*:/i.test(r) && !r.startsWith('#')).map((r) => decodeURI(r.replace(/[?#].*$/, '')));
}

describe('README and docs pictures', () => {
  it('finds the images a page shows, and only local ones', () => {
    const md = '![a](docs/images/a.png) ![b](<docs/images/b c.png> "title") <img alt="x" src="images/x.png"> ![web](https://example.com/y.png) [link](docs/z.png)';
    assert.deepEqual(imageRefs(md), ['docs/images/a.png', 'docs/images/b c.png', 'images/x.png']);
  });

  const shown = new Set<string>();
  for (const page of pages()) {
    const refs = imageRefs(readFileSync(page, 'utf8'));
    for (const ref of refs) shown.add(resolve(dirname(page), ref));
    if (refs.length === 0) continue;
    it(`every picture ${relative(ROOT, page)} shows exists`, () => {
      const missing = refs.filter((ref) => !existsSync(resolve(dirname(page), ref)));
      assert.deepEqual(missing, [], `${relative(ROOT, page)} shows pictures that are not in the repository`);
    });
  }

  it('the README shows at least the pictures of the views it describes', () => {
    const readme = new Set(imageRefs(readFileSync(join(ROOT, 'README.md'), 'utf8')));
    for (const name of ['overview', 'roles', 'findings', 'sessions', 'role-graph', 'audit-report', 'impact-hover', 'who-can-access', 'status-bar', 'walkthrough', 'drift', 'codelens']) {
      assert.ok(readme.has(`docs/images/${name}.png`), `the README does not show docs/images/${name}.png`);
    }
  });

  it('every picture in docs/images is shown by a page, is a PNG and stays under 150 KiB', () => {
    const files = readdirSync(IMAGES);
    assert.ok(files.length > 0, 'docs/images is empty');
    for (const f of files) {
      const path = join(IMAGES, f);
      assert.ok(shown.has(path), `docs/images/${f} is shown by no page (README.md or docs/): remove it, or show it`);
      assert.ok(readFileSync(path).subarray(0, 8).equals(PNG_SIGNATURE), `docs/images/${f} is not a PNG`);
      assert.ok(statSync(path).size <= MAX_BYTES, `docs/images/${f} is ${(statSync(path).size / 1024).toFixed(0)} KiB, over ${MAX_BYTES / 1024} KiB`);
    }
  });
});
