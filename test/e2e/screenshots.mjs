#!/usr/bin/env node
// `npm run screenshots`: the README's pictures, taken from the packaged extension in a real
// VS Code (code-server 4.100.3 in Debian's Chromium), the same way the e2e layer runs it:
// code-server offline in a sandbox, pgwarden.vsix installed, a registry PostgreSQL seeded
// with test/fixtures/seed/insecure.sql on 127.0.0.1 (an unprivileged user owns the cluster
// when run as root), and the demo workspace of `npm run demo` connected to it. A few
// client sessions (an API, a dashboard, a batch job) are opened so the Sessions node has
// something to show.
//
// Each picture is cropped to the panel it is about, quantised with pngquant when it is
// installed (Debian: apt-get install pngquant) and written to docs/images/. A picture whose
// view did not appear is not written: the run names what was missing and exits 1. A picture
// over MAX_BYTES fails the same way.
//
//   node test/e2e/screenshots.mjs [--only findings,sessions,...] [--list]
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureCodeServer } from '../../scripts/install-code-server.mjs';
import { packageVsix } from '../../scripts/package.mjs';
import { answerPasswordPrompts, installVsix, launchChromium, sandbox, startCodeServer, workbenchUrl } from './codeserver.mjs';
import { startDatabase } from './database.mjs';
import { ROOT } from './prepare.mjs';
import { treeHelpers } from './tree.mjs';
import { boxOf, openFile, openWalkthroughStep } from './ui.mjs';

const OUT = join(ROOT, 'docs', 'images');
const FAILURES = join(ROOT, 'test-results', 'screenshots');
/** The README should load fast: each picture stays well under this. */
export const MAX_BYTES = 150 * 1024;
const T = 60_000;
const PROFILE = 'demo';
/** Wide enough that a role's attributes fit on its row. */
const SIDEBAR_WIDTH = 440;

const started = Date.now();
const log = (msg) => console.log(`[screenshots ${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] ${msg}`);

const cleanups = [];
async function cleanup() {
  for (const fn of cleanups.splice(0).reverse()) {
    try {
      await fn();
    } catch {
      // Best effort: the next resource must still be released.
    }
  }
}
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, async () => {
    await cleanup();
    process.exit(130);
  });
}

const hasPngquant = spawnSync('pngquant', ['--version'], { encoding: 'utf8' }).status === 0;

/** Writes `png` as docs/images/`name`.png, quantised when pngquant is there; fails over MAX_BYTES. */
function save(name, png, tmp) {
  const raw = join(tmp, `${name}.raw.png`);
  const out = join(OUT, `${name}.png`);
  writeFileSync(raw, png);
  if (hasPngquant) {
    // 256 colours with dithering keeps UI text crisp; --strip drops the metadata chunks.
    const r = spawnSync('pngquant', ['256', '--speed', '1', '--strip', '--force', '--output', out, raw], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`pngquant failed on ${name}.png (exit ${r.status}): ${r.stderr}`);
  } else {
    copyFileSync(raw, out);
  }
  const bytes = statSync(out).size;
  if (bytes > MAX_BYTES) throw new Error(`${name}.png is ${(bytes / 1024).toFixed(0)} KiB, over ${MAX_BYTES / 1024} KiB: crop it tighter${hasPngquant ? '' : ' or install pngquant'}`);
  log(`wrote docs/images/${name}.png (${(bytes / 1024).toFixed(0)} KiB, ${(png.length / 1024).toFixed(0)} KiB before quantising)`);
}

/** The smallest rectangle holding every box, grown by `pad` and kept inside the viewport. */
function around(boxes, pad, viewport) {
  const bs = boxes.filter(Boolean);
  const x = Math.max(0, Math.min(...bs.map((b) => b.x)) - pad);
  const y = Math.max(0, Math.min(...bs.map((b) => b.y)) - pad);
  const right = Math.min(viewport.width, Math.max(...bs.map((b) => b.x + b.width)) + pad);
  const bottom = Math.min(viewport.height, Math.max(...bs.map((b) => b.y + b.height)) + pad);
  return { x, y, width: right - x, height: bottom - y };
}

/**
 * Two escalation paths on top of the seed, the kind a review finds (a support group holding
 * a superuser, a BYPASSRLS role granted to an analyst), so the role graph and the report
 * have red paths to show; then a few client sessions as the seed's roles, as an
 * application's pools would open them. Returns what closes the sessions.
 */
async function stageDemo(db) {
  const { Client } = (await import('pg')).default;
  const admin = new Client({ host: '127.0.0.1', port: db.port, database: 'postgres', user: db.user, password: db.password });
  await admin.connect();
  try {
    await admin.query('CREATE ROLE support NOLOGIN; GRANT ops_admin TO support; GRANT support TO carol; GRANT etl TO analyst');
  } finally {
    await admin.end();
  }
  const sessions = [
    ['alice', 'demo-alice', 'billing-api'],
    ['alice', 'demo-alice', 'billing-api'],
    ['analyst', 'demo-analyst', 'metabase'],
    ['etl', 'demo-etl', 'nightly-etl'],
    // carol has CONNECTION LIMIT 5: four sessions put her near it.
    ['carol', 'demo-carol', 'admin-console'],
    ['carol', 'demo-carol', 'admin-console'],
    ['carol', 'demo-carol', 'admin-console'],
    ['carol', 'demo-carol', 'admin-console'],
  ];
  const clients = [];
  for (const [user, password, application_name] of sessions) {
    const c = new Client({ host: '127.0.0.1', port: db.port, database: 'postgres', user, password, application_name });
    await c.connect();
    clients.push(c);
  }
  // The batch job holds a transaction open: its session shows "idle in transaction".
  await clients[3].query('BEGIN; SELECT count(*) FROM pg_class');
  return () => Promise.all(clients.map((c) => c.end().catch(() => {})));
}

/** A `needs` test: package.json contributes the command `id`. */
const contributesCommand = (id) => (m) => (m.contributes?.commands ?? []).some((c) => c.command === id);

/**
 * The pictures, in the order they are taken (each builds on the workbench state the ones
 * before left). `sidebar`: whether the side bar shows (editor pictures get the width).
 * `needs`: [feature, test of package.json] for a picture of a feature that may not be in
 * this build yet; without it the picture is left as it is, and the run says so.
 * `take(ctx)` returns the PNG bytes, or throws naming what did not appear.
 */
const SHOTS = [
  {
    name: 'overview',
    sidebar: true,
    what: 'the demo migration with its squiggles, the Problems panel and the connected database tree',
    async take({ page, tree, viewport }) {
      await openFile(page, '001_schema.sql');
      await page.locator('.monaco-editor .squiggly-warning').first().waitFor({ state: 'attached', timeout: T });
      await tree.paneTo('Findings', false);
      await tree.openRow(PROFILE, 'Roles');
      await tree.openRow('Roles', 'Superusers');
      await tree.openRow('Roles', 'Login roles');
      await page.keyboard.press('Control+Shift+M');
      await page.locator('.markers-panel .monaco-list-row', { hasText: 'pgwarden' }).nth(4).waitFor({ timeout: T });
      await page.mouse.move(viewport.width - 5, viewport.height / 2);
      return page.screenshot();
    },
  },
  {
    name: 'quick-fix',
    sidebar: false,
    what: 'the quick-fix menu on GRANT ... TO PUBLIC',
    async take({ page, viewport }) {
      await openFile(page, '001_schema.sql');
      // The cursor goes inside PUBLIC the keyboard's way: Go to Line, End, three to the left.
      const lineNo = readFileSync(join(ROOT, 'demo', 'migrations', '001_schema.sql'), 'utf8').split('\n').findIndex((l) => /TO PUBLIC;/.test(l)) + 1;
      const first = await boxOf(page.locator('.monaco-editor .view-line').first());
      await page.mouse.click(first.x + 5, first.y + first.height / 2);
      await page.keyboard.press('Control+G');
      await page.keyboard.type(String(lineNo));
      await page.keyboard.press('Enter');
      await page.keyboard.press('End');
      for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowLeft');
      const line = page.locator('.monaco-editor .view-line', { hasText: /TO\sPUBLIC;/ }).first();
      await line.waitFor({ timeout: T });
      await page.keyboard.press('Control+.');
      const menu = page.locator('.action-widget:visible').first();
      await menu.waitFor({ state: 'visible', timeout: T });
      await menu.locator('text=Replace PUBLIC with a named role').waitFor({ timeout: T });
      const editor = await boxOf(page.locator('.editor-group-container .monaco-editor').first());
      const m = await boxOf(menu);
      const png = await page.screenshot({ clip: { x: editor.x, y: editor.y, width: Math.min(viewport.width, m.x + m.width + 12) - editor.x, height: m.y + m.height + 12 - editor.y } });
      await page.keyboard.press('Escape');
      return png;
    },
  },
  {
    name: 'pg-hba',
    sidebar: false,
    what: 'pg_hba.conf with its findings and the Problems panel',
    async take({ page, viewport }) {
      await openFile(page, 'pg_hba.conf');
      await page.locator('.monaco-editor .squiggly-error').first().waitFor({ state: 'attached', timeout: T });
      await page.locator('.markers-panel .monaco-list-row', { hasText: 'hba-trust' }).first().waitFor({ timeout: T });
      await page.mouse.move(viewport.width - 5, viewport.height / 2);
      const editor = await boxOf(page.locator('#workbench\\.parts\\.editor'));
      const panel = await boxOf(page.locator('#workbench\\.parts\\.panel'));
      return page.screenshot({ clip: around([editor, panel], 0, viewport) });
    },
  },
  {
    name: 'impact-hover',
    sidebar: false,
    what: 'the access hover on a GRANT, with the members that inherit it',
    async take({ page, viewport }) {
      await openFile(page, '004_reporting.sql');
      const line = page.locator('.monaco-editor .view-line', { hasText: /^GRANT\sSELECT/ }).first();
      await line.waitFor({ timeout: T });
      const at = await boxOf(line);
      const hover = page.locator('.monaco-hover:visible', { hasText: 'pgwarden: access' }).first();
      for (const deadline = Date.now() + T; !(await hover.isVisible().catch(() => false)); ) {
        if (Date.now() > deadline) throw new Error('no hover with "pgwarden: access" appeared over the GRANT');
        await page.mouse.move(at.x + 5, at.y + at.height / 2);
        await page.mouse.move(at.x + 20, at.y + at.height / 2);
        await hover.waitFor({ state: 'visible', timeout: 5_000 }).catch(() => {});
      }
      const text = await hover.innerText();
      if (!/members?\s\(/.test(text)) throw new Error(`the hover names no inheriting member: ${text}`);
      const first = await boxOf(page.locator('.monaco-editor .view-line').first());
      return page.screenshot({ clip: around([await boxOf(hover), at, first], 12, viewport) });
    },
  },
  {
    name: 'codelens',
    sidebar: false,
    needs: ['the drift CodeLens', contributesCommand('pgwarden.openDriftFinding')],
    what: 'the drift CodeLens over the GRANTs of a migration: what the live database has',
    async take({ page, viewport }) {
      await showPanel(page, false);
      // A hover left open would take the Quick Open keystrokes.
      await page.keyboard.press('Escape');
      await openFile(page, '001_schema.sql');
      const lens = page.locator('.monaco-editor .codelens-decoration', { hasText: /live:/ });
      await lens.first().waitFor({ timeout: T });
      const grant = page.locator('.monaco-editor .view-line', { hasText: /^GRANT\sALL/ }).first();
      await grant.waitFor({ timeout: T });
      await page.mouse.move(viewport.width - 5, viewport.height - 5);
      const editor = await boxOf(page.locator('.editor-group-container .monaco-editor').first());
      const last = await boxOf(grant);
      const lenses = await lens.evaluateAll((ls) => ls.map((l) => l.getBoundingClientRect().right));
      const right = Math.min(viewport.width, Math.max(last.x + 700, ...lenses.map((r) => r + 40)));
      return page.screenshot({ clip: { x: editor.x, y: editor.y, width: right - editor.x, height: last.y + last.height + 8 - editor.y } });
    },
  },
  {
    name: 'roles',
    sidebar: true,
    what: 'the database tree: warning badges on roles and tables, grantees grouped by role',
    async take({ page, tree, viewport }) {
      await tree.paneTo('Findings', false);
      await tree.paneTo('Databases', true);
      await tree.openRow(PROFILE, 'Roles');
      await tree.openRow('Roles', 'Superusers');
      await tree.collapse('Login roles').catch(() => {});
      await tree.collapse('Group roles').catch(() => {});
      await tree.openRow(PROFILE, 'Tables');
      await tree.openRow('Tables', 'app');
      await tree.openRow('app', 'accounts');
      await tree.openRow('accounts', 'Grantees');
      await tree.openRow('Grantees', 'app_rw: INSERT, SELECT');
      await tree.openRow('app_rw: INSERT, SELECT', 'SELECT');
      await waitForBadge(page, tree.row('accounts'), 'accounts');
      await waitForBadge(page, tree.row('ops_admin'), 'ops_admin');
      return sidebarShot(page, tree, viewport);
    },
  },
  {
    name: 'who-can-access',
    sidebar: true,
    needs: ['the tree\'s Who can access', contributesCommand('pgwarden.exportAccessMarkdown')],
    what: 'a table\'s Who can access: each role, its path and what row-level security leaves of the rows',
    async take({ page, tree, viewport }) {
      await tree.paneTo('Findings', false);
      await tree.paneTo('Databases', true);
      await tree.collapse('Roles').catch(() => {});
      await tree.openRow(PROFILE, 'Tables');
      await tree.openRow('Tables', 'app');
      await tree.collapse('accounts').catch(() => {});
      await tree.openRow('app', 'secrets');
      await tree.openRow('secrets', 'Who can access');
      await tree.openRow('Who can access', 'carol');
      await tree.openRow('carol', 'INSERT');
      await tree.row('ops_admin').waitFor({ timeout: T });
      const alice = await tree.description('alice');
      if (!/filtered/.test(alice)) throw new Error(`alice under Who can access of app.secrets shows "${alice}", no RLS filter`);
      // The descriptions are long: the side bar takes most of the window for this one.
      await widenSidebar(page, tree, 820);
      try {
        return await sidebarShot(page, tree, viewport, { from: tree.row('secrets') });
      } finally {
        await widenSidebar(page, tree, SIDEBAR_WIDTH);
      }
    },
  },
  {
    name: 'sessions',
    sidebar: true,
    what: 'the Sessions node: what to look at, counts by role, every session',
    async take({ page, tree, viewport }) {
      await tree.collapse('Roles').catch(() => {});
      await tree.collapse('Tables').catch(() => {});
      await tree.openRow(PROFILE, 'Sessions');
      await tree.openRow('Sessions', 'To look at');
      await tree.openRow('By role', 'carol');
      await tree.expand('All sessions');
      await page.locator('.monaco-list-row .label-name', { hasText: /carol@postgres$/ }).first().waitFor({ timeout: T });
      return sidebarShot(page, tree, viewport);
    },
  },
  {
    name: 'findings',
    sidebar: true,
    what: 'the Findings view: grouped by severity and rule, with counts and the activity-bar badge',
    async take({ page, tree, viewport }) {
      await tree.collapse('Sessions').catch(() => {});
      await tree.paneTo('Databases', false);
      await tree.paneTo('Findings', true);
      await tree.openRow('Warnings', 'db-role-escalation');
      await tree.expand('db-role-escalation');
      await tree.expand('db-rls-off-granted');
      await tree.expand('db-rls-no-policy');
      await tree.row('Table app.audit_log has row-level security enabled but no policy').waitFor({ timeout: T });
      const badge = page.locator('.activitybar .action-item', { has: page.locator('.action-label[aria-label*="pgwarden" i]') }).locator('.badge-content');
      await badge.waitFor({ state: 'visible', timeout: T });
      if (!/^\d+$/.test((await badge.innerText()).trim())) throw new Error(`the activity bar's badge shows "${await badge.innerText()}"`);
      return sidebarShot(page, tree, viewport, { activityBar: true });
    },
  },
  {
    name: 'drift',
    sidebar: true,
    needs: ['the Drift node', contributesCommand('pgwarden.openDriftFinding')],
    what: 'the Drift node: what the migrations declare against what the database has, grouped by kind',
    async take({ page, tree, viewport }) {
      await tree.paneTo('Findings', false);
      await tree.paneTo('Databases', true);
      for (const open of ['Roles', 'Tables', 'Sessions']) await tree.collapse(open).catch(() => {});
      await tree.openRow(PROFILE, 'Drift');
      await tree.openRow('Drift', 'Grants');
      const grants = await tree.description('Grants');
      if (!/^[1-9]\d*$/.test(grants)) throw new Error(`the Drift node's Grants group counts "${grants}"`);
      await tree.expand('Grants');
      // Each entry says both states: the side bar takes the room for them.
      await widenSidebar(page, tree, 700);
      try {
        return await sidebarShot(page, tree, viewport);
      } finally {
        await widenSidebar(page, tree, SIDEBAR_WIDTH);
      }
    },
  },
  {
    name: 'role-graph',
    sidebar: true,
    what: 'the role graph webview',
    async take({ page, tree, viewport }) {
      await tree.paneTo('Databases', true);
      await tree.openRow(PROFILE, 'Roles');
      await tree.menu('Roles', 'Show Role Graph');
      await page.locator('.tab', { hasText: `Role graph: ${PROFILE}` }).first().waitFor({ timeout: T });
      // The webview's document sits in nested frames; find the one holding the picture.
      let frame;
      for (const deadline = Date.now() + T; !frame; ) {
        for (const f of page.frames()) if (await f.locator('svg.role-graph').count().catch(() => 0)) frame = f;
        if (!frame && Date.now() > deadline) throw new Error('no webview frame shows svg.role-graph');
        if (!frame) await page.waitForTimeout(250);
      }
      if (!(await frame.locator('svg.role-graph g.role.superuser').count())) throw new Error('the role graph draws no superuser');
      // The side bar closes so the graph gets the width.
      await showSidebar(page, tree, false);
      await page.waitForTimeout(500);
      const svg = await boxOf(frame.locator('svg.role-graph'));
      const tabs = await boxOf(page.locator('.editor-group-container .tabs-container').first());
      return page.screenshot({ clip: around([svg, { x: svg.x, y: tabs.y, width: 1, height: 1 }], 8, viewport) });
    },
  },
  {
    name: 'status-bar',
    sidebar: false,
    needs: ['the status bar summary', contributesCommand('pgwarden.lintWorkspace')],
    what: 'the status bar summary (errors, warnings, the connected database) with its tooltip',
    async take({ page, viewport }) {
      const item = page.locator('#workbench\\.parts\\.statusbar [aria-label^="pgwarden:"]').first();
      const want = new RegExp(`^pgwarden: \\d+ errors?, \\d+ warnings?, connected to ${PROFILE}$`);
      for (const deadline = Date.now() + T; !want.test((await item.getAttribute('aria-label').catch(() => null)) ?? ''); ) {
        if (Date.now() > deadline) throw new Error(`the status item says "${await item.getAttribute('aria-label').catch(() => '?')}"`);
        await page.waitForTimeout(200);
      }
      await showPanel(page, false);
      const box = await boxOf(item);
      const tip = page.locator('.monaco-hover:visible, .workbench-hover:visible').first();
      for (const deadline = Date.now() + T; !(await tip.isVisible().catch(() => false)); ) {
        if (Date.now() > deadline) throw new Error('the status item shows no tooltip');
        await page.mouse.move(box.x + 4, box.y + box.height / 2);
        await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
        await tip.waitFor({ state: 'visible', timeout: 3_000 }).catch(() => {});
      }
      const bar = await boxOf(page.locator('#workbench\\.parts\\.statusbar'));
      const t = await boxOf(tip);
      const x = Math.max(0, Math.min(t.x, box.x) - 24);
      return page.screenshot({ clip: { x, y: t.y - 8, width: viewport.width - x, height: bar.y + bar.height - (t.y - 8) } });
    },
  },
  {
    name: 'walkthrough',
    sidebar: false,
    needs: ['the walkthrough', (m) => (m.contributes?.walkthroughs ?? []).some((w) => w.id === 'pgwarden.gettingStarted')],
    what: 'the Get started with pgwarden walkthrough',
    async take({ page, viewport }) {
      await showPanel(page, false);
      await openWalkthroughStep(page, 'Read the audit', 'body', /Once connected, the\s+Findings/);
      await page.mouse.move(viewport.width - 5, viewport.height - 5);
      await page.waitForTimeout(500);
      const editor = await boxOf(page.locator('#workbench\\.parts\\.editor'));
      return page.screenshot({ clip: editor });
    },
  },
];

/** Shows or hides the panel (Problems, Output...; Ctrl+J toggles it). */
async function showPanel(page, want) {
  const panel = page.locator('#workbench\\.parts\\.panel');
  for (const deadline = Date.now() + T; (await panel.isVisible().catch(() => false)) !== want; ) {
    if (Date.now() > deadline) throw new Error(`the panel did not ${want ? 'show' : 'hide'}`);
    await page.keyboard.press('Control+J');
    await page.waitForTimeout(300);
  }
}

/** Shows or hides the side bar (Ctrl+B toggles it). */
async function showSidebar(page, tree, want) {
  for (const deadline = Date.now() + T; (await tree.sidebar.isVisible().catch(() => false)) !== want; ) {
    if (Date.now() > deadline) throw new Error(`the side bar did not ${want ? 'show' : 'hide'}`);
    await page.keyboard.press('Control+B');
    await page.waitForTimeout(300);
  }
}

/** Drags the sash between the side bar and the editor, so tree rows are not cut short. */
async function widenSidebar(page, tree, width) {
  const side = await boxOf(tree.sidebar);
  const y = side.y + side.height / 2;
  await page.mouse.move(side.x + side.width + 1, y);
  await page.mouse.down();
  await page.mouse.move(side.x + width / 2, y, { steps: 5 });
  await page.mouse.move(side.x + width, y, { steps: 5 });
  await page.mouse.up();
  const now = (await boxOf(tree.sidebar)).width;
  if (Math.abs(now - width) > 20) log(`the side bar is ${now} px wide, not ${width}: tree rows may be cut short`);
}

/** Waits for the FileDecorationProvider's badge on a row (a ::after holding a count). */
async function waitForBadge(page, row, label) {
  for (const deadline = Date.now() + T; ; ) {
    const badges = await row.evaluate((r) => [...r.querySelectorAll('*')].map((e) => getComputedStyle(e, '::after').content).filter((c) => /\d/.test(c))).catch(() => []);
    if (badges.length) return;
    if (Date.now() > deadline) throw new Error(`the row "${label}" has no finding badge`);
    await page.waitForTimeout(250);
  }
}

/** The side bar down to its last row (and the activity bar beside it, for the badge). */
async function sidebarShot(page, tree, viewport, { activityBar = false, from } = {}) {
  // The focus goes to the editor, so the selected row loses its focus outline.
  await page.keyboard.press('Control+1');
  await page.mouse.move(viewport.width - 5, viewport.height - 5);
  await page.waitForTimeout(300);
  const side = await boxOf(tree.sidebar);
  const lastRow = await tree.sidebar.locator('.monaco-list-row').evaluateAll((rs) => Math.max(...rs.map((r) => r.getBoundingClientRect().bottom)));
  const left = activityBar ? 0 : side.x;
  const top = from ? (await boxOf(from)).y - 4 : side.y;
  return page.screenshot({ clip: { x: left, y: top, width: side.x + side.width - left, height: Math.min(side.y + side.height, lastRow + 6) - top } });
}

/** The HTML report from the CLI, opened from disk; the top of the page: header, counts, areas. */
async function reportShot(browser, db, tmp) {
  const dir = join(tmp, 'report');
  mkdirSync(dir, { recursive: true });
  const conn = `host=127.0.0.1 port=${db.port} user=${db.user} dbname=postgres sslmode=disable`;
  const env = { PATH: process.env.PATH, HOME: dir, PGPASSWORD: db.password };
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'pgwarden.js'), 'audit', '--db', conn, '--format', 'html'], { cwd: dir, env, encoding: 'utf8', timeout: T });
  if (!r.stdout.startsWith('<!DOCTYPE html>')) throw new Error(`pgwarden audit --format html wrote no page (exit ${r.status ?? r.signal}): ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  const file = join(dir, 'audit.html');
  writeFileSync(file, r.stdout);
  const viewport = { width: 1000, height: 900 };
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  try {
    const page = await context.newPage();
    await page.goto(pathToFileURL(file).href, { timeout: T });
    const section = page.locator('main > section:has(tr.finding)').first();
    await section.waitFor({ timeout: T });
    const rows = section.locator('tr.finding');
    if (!(await rows.count())) throw new Error('the report has no finding rows');
    // Down to the end of the last finding row that fits, so no row is cut in half.
    const bottoms = await rows.evaluateAll((rs) => rs.map((r) => r.getBoundingClientRect().bottom));
    const bottom = Math.max(...bottoms.filter((b) => b <= viewport.height - 8), bottoms[0]);
    return await page.screenshot({ clip: { x: 0, y: 0, width: viewport.width, height: Math.ceil(bottom) + 1 } });
  } finally {
    await context.close();
  }
}

async function main() {
  const argv = process.argv.slice(2);
  const all = [...SHOTS.map((s) => s.name), 'audit-report'];
  if (argv.includes('--list')) {
    for (const s of SHOTS) console.log(`${s.name.padEnd(14)} ${s.what}`);
    console.log(`${'audit-report'.padEnd(14)} pgwarden audit --format html, opened in Chromium`);
    return 0;
  }
  const only = argv.includes('--only') ? argv[argv.indexOf('--only') + 1].split(',') : all;
  const unknown = only.filter((n) => !all.includes(n));
  if (unknown.length) throw new Error(`unknown picture(s) ${unknown.join(', ')}; --list names them`);
  if (!hasPngquant) console.warn('[screenshots] pngquant is not installed (Debian: apt-get install pngquant): the pictures are written unquantised and may exceed the size limit');

  const cs = ensureCodeServer();
  const pkg = packageVsix();
  log(`packaged ${pkg.vsix} (${(pkg.bytes / 1024).toFixed(0)} KiB)`);
  const tmp = mkdtempSync(join(tmpdir(), 'pgwarden-shots-'));
  cleanups.push(() => rmSync(tmp, { recursive: true, force: true }));
  mkdirSync(OUT, { recursive: true });
  mkdirSync(FAILURES, { recursive: true });

  const db = await startDatabase();
  cleanups.push(() => db.stop());
  log(`PostgreSQL ${db.version} (seeded) on 127.0.0.1:${db.port}`);
  cleanups.push(await stageDemo(db));

  const browser = await launchChromium();
  cleanups.push(() => browser.close());
  const failed = [];
  let missing = [];

  if (only.includes('audit-report')) {
    try {
      save('audit-report', await reportShot(browser, db, tmp), tmp);
    } catch (err) {
      failed.push(`audit-report: ${err.message.split('\n')[0]}`);
    }
  }

  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  missing = SHOTS.filter((s) => only.includes(s.name) && s.needs && !s.needs[1](manifest));
  for (const s of missing) console.warn(`[screenshots] NOT TAKEN: ${s.name}.png: this build's package.json does not have ${s.needs[0]} yet`);
  const wanted = SHOTS.filter((s) => only.includes(s.name) && !missing.includes(s));
  if (wanted.length) {
    const dirs = sandbox(join(tmp, 'sandbox'), {
      'pgwarden.connections': [{ name: PROFILE, host: '127.0.0.1', port: db.port, database: 'postgres', user: db.user, sslmode: 'disable' }],
      'workbench.colorTheme': 'Default Light Modern',
      'editor.minimap.enabled': false,
      'window.commandCenter': false,
      'workbench.layoutControl.enabled': false,
      // The hover opens below its line, so the statements above it stay in the picture.
      'editor.hover.above': false,
    });
    installVsix(cs.entry, pkg.vsix, dirs);
    const folder = join(tmp, 'demo');
    cpSync(join(ROOT, 'demo'), folder, { recursive: true });
    const server = await startCodeServer({ entry: cs.entry, dirs, folder, trusted: true });
    cleanups.push(() => server.stop());
    log(`code-server on ${server.url} with the demo workspace`);

    const viewport = { width: 1280, height: 760 };
    const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
    cleanups.push(() => context.close());
    const page = await context.newPage();
    const responder = answerPasswordPrompts(page, db.password);
    cleanups.push(() => responder.stop());
    await page.goto(workbenchUrl(server, folder), { timeout: 180_000 });
    await page.locator('.monaco-workbench').waitFor({ timeout: T });
    await page.locator('.activitybar .action-item .action-label[aria-label*="pgwarden" i]').first().click();
    const tree = treeHelpers(page);
    await tree.row(PROFILE).waitFor({ timeout: T });
    await widenSidebar(page, tree, SIDEBAR_WIDTH);
    await tree.openRow(PROFILE, 'Roles');
    for (const shot of wanted) {
      try {
        await showSidebar(page, tree, shot.sidebar);
        save(shot.name, await shot.take({ page, tree, viewport }), tmp);
      } catch (err) {
        const debug = join(FAILURES, `failed-${shot.name}.png`);
        await page.screenshot({ path: debug }).catch(() => {});
        failed.push(`${shot.name} (${shot.what}): ${String(err?.message ?? err).split('\n')[0]}; the workbench as it was: ${debug}`);
      }
    }
  }

  if (failed.length) {
    console.error(`\n[screenshots] FAILED: ${failed.length} picture(s) not written:\n${failed.map((f) => `  - ${f}`).join('\n')}`);
    return 1;
  }
  log(`done: ${only.filter((n) => !missing.some((s) => s.name === n)).join(', ')}`);
  return 0;
}

let exitCode = 1;
try {
  exitCode = await main();
} catch (err) {
  console.error(`[screenshots] FAILED: ${err instanceof Error ? err.stack ?? err.message : err}`);
} finally {
  await cleanup();
}
process.exit(exitCode);
