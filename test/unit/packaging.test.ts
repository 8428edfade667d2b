// The packaged extension: `vsce ls` lists only allowed files, the .vsix holds exactly
// those (plus vsce's manifest), stays under 5 MB, carries no credentials, and the
// manifest's engine agrees with @types/vscode and with the VS Code the e2e suite runs.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ALL_RULES } from '../../server/src/core/registry';

const ROOT = resolve(__dirname, '..', '..');
const VSCE = join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
const MAX_BYTES = 5 * 1024 * 1024;

/** Every path the package may contain, relative to the extension root. */
const ALLOWED: RegExp[] = [
  /^package\.json$/,
  /^README\.md$/,
  /^CHANGELOG\.md$/,
  /^LICENSE$/,
  /^dist\/[\w-]+\.js$/,
  /^dist\/libpg-query\.wasm$/,
  /^syntaxes\/[\w.-]+\.json$/,
  /^schemas\/[\w.-]+\.json$/,
  /^([\w-]+\/)?[\w-]*language-configuration[\w-]*\.json$/,
  /^docs\/rules\/[a-z0-9-]+\.md$/,
  /^images\/icon\.png$/,
  /^media\/[\w-]+\.(svg|png|md)$/,
];
const REQUIRED = ['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', 'dist/client.js', 'dist/server.js', 'dist/cli.js', 'dist/libpg-query.wasm', 'images/icon.png'];

function run(args: string[]): string {
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  assert.equal(r.status, 0, `node ${args.join(' ')} failed:\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

/**
 * Every file the manifest points at: the package icon and entry point, and each
 * contribution's icon, grammar, language configuration, schema, walkthrough media and
 * so on. Found by walking `contributes` for values that are relative paths, so a new
 * contribution point is covered without naming it here. Theme icons (`$(add)`),
 * URLs, command ids and glob patterns are not paths.
 */
function contributedPaths(manifest: { main?: string; icon?: string; contributes?: unknown }): string[] {
  const out = new Set<string>();
  const add = (v: string) => out.add(v.replace(/^\.\//, ''));
  if (manifest.main) add(/\.js$/.test(manifest.main) ? manifest.main : `${manifest.main}.js`);
  if (manifest.icon) add(manifest.icon);
  // Keys under which a manifest names a file: icons (also {light, dark}), grammars' path,
  // languages' configuration, jsonValidation's url, walkthrough media.
  const PATH_KEYS = new Set(['icon', 'light', 'dark', 'path', 'configuration', 'url', 'image', 'svg', 'markdown']);
  const isFile = (s: string) => !s.includes('://') && !s.startsWith('$(') && /^(\.\/)?[\w.-]+(\/[\w.-]+)*\.(svg|png|gif|jpe?g|json|md|tmLanguage)$/i.test(s);
  const walk = (v: unknown, key?: string): void => {
    if (typeof v === 'string') {
      if (key !== undefined && PATH_KEYS.has(key) && isFile(v)) add(v);
    } else if (Array.isArray(v)) {
      for (const x of v) walk(x, key);
    } else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) walk(x, k);
    }
  };
  walk(manifest.contributes);
  return [...out].sort();
}

/** Entry names from a zip's central directory (enough of the format for a .vsix). */
function zipEntries(zip: Buffer): string[] {
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 65_535); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  assert.ok(eocd >= 0, 'the .vsix is a zip file');
  const count = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let n = 0; n < count; n++) {
    assert.equal(zip.readUInt32LE(p), 0x02014b50, 'central directory entry');
    const nameLen = zip.readUInt16LE(p + 28);
    const extraLen = zip.readUInt16LE(p + 30);
    const commentLen = zip.readUInt16LE(p + 32);
    names.push(zip.toString('utf8', p + 46, p + 46 + nameLen));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}

describe('packaging (pgwarden.vsix)', function () {
  this.timeout(180_000);
  let files: string[];
  let vsix: string;
  let tmp: string;

  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'pgwarden-pkg-'));
    vsix = join(tmp, 'pgwarden.vsix');
    // The package script builds dist/ itself, so this checks what `npm run package` ships.
    run([join(ROOT, 'scripts', 'package.mjs'), '--out', vsix]);
    files = run([VSCE, 'ls', '--no-dependencies'])
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '');
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('lists only allowed files (no sources, tests, maps or node_modules)', () => {
    const unexpected = files.filter((f) => !ALLOWED.some((re) => re.test(f)));
    assert.deepEqual(unexpected, [], `files outside the allow-list: ${unexpected.join(', ')}`);
  });

  it('contains the bundles, the parser, the icon, the README, LICENSE and CHANGELOG', () => {
    const missing = REQUIRED.filter((f) => !files.includes(f));
    assert.deepEqual(missing, []);
  });

  it('contains every bundle the build wrote to dist/ (a new worker or entry point must ship)', () => {
    const built = readdirSync(join(ROOT, 'dist'))
      .filter((f) => /\.(js|wasm)$/.test(f))
      .map((f) => `dist/${f}`);
    assert.ok(built.includes('dist/server.js'));
    assert.deepEqual(built.filter((f) => !files.includes(f)), []);
  });

  it('contains every file package.json points at (icons, grammars, language configurations, schemas, walkthrough media)', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    const wanted = contributedPaths(manifest);
    // The walk must see the paths this manifest is known to use, or it finds nothing at all.
    for (const known of ['dist/client.js', 'images/icon.png', 'media/pgwarden.svg', 'syntaxes/pg-hba.tmLanguage.json', 'schemas/pgwarden.schema.json']) {
      assert.ok(wanted.includes(known), `contributedPaths misses ${known}: ${wanted.join(', ')}`);
    }
    assert.deepEqual(wanted.filter((f) => !files.includes(f)), [], 'referenced by package.json but not packaged');
  });

  it('contributedPaths finds paths under any contribution point and ignores theme icons, URLs and ids', () => {
    const found = contributedPaths({
      main: './dist/client',
      contributes: {
        commands: [{ command: 'x.y', icon: '$(add)' }, { command: 'x.z', icon: { light: 'media/l.svg', dark: './media/d.svg' } }],
        jsonValidation: [{ fileMatch: 'a.json', url: 'https://example.com/s.json' }],
        walkthroughs: [{ steps: [{ media: { image: 'media/step.png', altText: 'a picture.png' } }, { media: { markdown: 'media/step.md' } }] }],
      },
    });
    assert.deepEqual(found, ['dist/client.js', 'media/d.svg', 'media/l.svg', 'media/step.md', 'media/step.png']);
  });

  it('contains a docs page for every rule', () => {
    const missing = ALL_RULES.map((r) => `docs/rules/${r.id}.md`).filter((f) => !files.includes(f));
    assert.deepEqual(missing, []);
  });

  it('the .vsix holds exactly the listed files and stays under 5 MB', () => {
    const bytes = statSync(vsix).size;
    assert.ok(bytes < MAX_BYTES, `pgwarden.vsix is ${bytes} bytes`);
    const inZip = zipEntries(readFileSync(vsix))
      .filter((n) => n.startsWith('extension/'))
      .map((n) => n.slice('extension/'.length))
      // vsce stores LICENSE as LICENSE.txt and lower-cases the README and CHANGELOG names.
      .map((n) => ({ 'LICENSE.txt': 'LICENSE', 'readme.md': 'README.md', 'changelog.md': 'CHANGELOG.md' })[n] ?? n)
      .sort();
    assert.deepEqual(inZip, [...files].sort());
  });

  it('carries no credentials: no key, certificate or password files and no private key blocks', () => {
    const credentialName = /(^|\/)(\.?pgpass|\.env(\..*)?|id_(rsa|ed25519|ecdsa)|.*\.(pem|key|crt|p12|pfx|jks))$/i;
    assert.deepEqual(files.filter((f) => credentialName.test(f)), []);
    for (const f of files) {
      const text = readFileSync(join(ROOT, f), 'latin1');
      // A real key is a PEM header followed by base64; the words alone (e.g. in a rule's
      // message) are not a key.
      assert.doesNotMatch(text, /-----BEGIN [A-Z ]*PRIVATE KEY-----\s*[A-Za-z0-9+/=]{40}/, `${f} contains a private key`);
      assert.doesNotMatch(text, /\bAKIA[0-9A-Z]{16}\b/, `${f} contains an AWS access key id`);
      assert.doesNotMatch(text, /postgres(ql)?:\/\/[^:/\s'"]+:[^@/\s'"]{6,}@(?!host\b|localhost\b)[\w.-]+/, `${f} contains a connection URL with a password`);
    }
  });

  it('engines.vscode agrees with @types/vscode and is met by the VS Code the e2e suite runs (1.100.3)', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    const types = JSON.parse(readFileSync(join(ROOT, 'node_modules', '@types', 'vscode', 'package.json'), 'utf8'));
    const engine = /^\^(\d+)\.(\d+)\.(\d+)$/.exec(manifest.engines.vscode);
    assert.ok(engine, `engines.vscode ${manifest.engines.vscode} is a caret range`);
    const [maj, min] = [Number(engine[1]), Number(engine[2])];
    const [tMaj, tMin] = String(types.version).split('.').map(Number);
    assert.equal(`${tMaj}.${tMin}`, `${maj}.${min}`, `@types/vscode ${types.version} vs engines.vscode ${manifest.engines.vscode}`);
    assert.ok(maj === 1 && min <= 100, 'code-server 4.100.3 (VS Code 1.100.3) satisfies engines.vscode');
    assert.equal(manifest.icon, 'images/icon.png');
    const png = readFileSync(join(ROOT, manifest.icon));
    assert.equal(png.toString('latin1', 1, 4), 'PNG');
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128], 'the icon is 128x128');
  });
});
