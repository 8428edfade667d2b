// Every command the pgwarden view offers, run the way a user runs it: by clicking the
// welcome button, the view title's actions, a row's inline actions and its context menu
// in a real workbench (code-server in Chromium). VS Code passes menu commands arguments
// that executeCommand-based tests never see (the focused tree item for a title action,
// the row for an item action), which is how the title's "+" came to fail while the palette
// command worked. The list of what must be exercised is read from package.json, so a new
// menu entry without a click here fails the run.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { workbenchUrl } from './codeserver.mjs';
import { ROOT } from './prepare.mjs';
import { escapeRe, treeHelpers } from './tree.mjs';
import { checkRunner, openWalkthroughStep } from './ui.mjs';

const T = 60_000;

/** What package.json puts in the view's menus and welcome content, as "where:command" keys. */
export function menuCommands() {
  const m = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).contributes;
  const out = new Set();
  for (const e of m.menus?.['view/title'] ?? []) if (/view == pgwarden\./.test(e.when ?? '')) out.add(`title:${e.command}`);
  for (const e of m.menus?.['view/item/context'] ?? []) if (/view == pgwarden\./.test(e.when ?? '')) out.add(`${e.group === 'inline' ? 'inline' : 'menu'}:${e.command}`);
  for (const w of m.viewsWelcome ?? []) for (const [, c] of w.contents.matchAll(/\(command:(pgwarden\.[\w.]+)\)/g)) out.add(`welcome:${c}`);
  return out;
}

/**
 * Runs the checks with `folder` open (a trusted workspace with no connection profile) and
 * `db` the seeded PostgreSQL. Returns one result per check: { name, ok, seconds, error? }.
 */
export async function commandChecks(browser, server, folder, { db, failuresDir, log = console.log }) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const results = [];
  const covered = new Set();
  let broken = false;
  const run = checkRunner(page, results, { failuresDir, prefix: 'commands-', label: 'command', log });
  const check = async (name, fn) => {
    // The steps build on each other: after a failure the rest cannot mean anything.
    if (broken) return results.push({ name, ok: false, seconds: 0, error: 'not run: an earlier step failed' });
    broken = !(await run(name, async () => {
      await fn();
      await noErrorToast();
    }));
  };

  const tree = treeHelpers(page);
  const { sidebar, row, description, openRow, expand, collapse } = tree;
  const quickInput = page.locator('.quick-input-widget');
  const errorToast = page.locator('.notifications-toasts .notification-list-item').filter({ has: page.locator('.codicon-error') });

  /** Fails on any error notification (the "+" bug showed as one), then clears them. */
  async function noErrorToast() {
    await page.waitForTimeout(300);
    if (await errorToast.count()) throw new Error(`error notification: ${(await errorToast.allInnerTexts()).join(' | ')}`);
  }
  async function inline(label, action) {
    const r = row(label);
    await r.hover();
    const a = r.locator(`.actions .action-label[aria-label="${action}"]`);
    await a.waitFor({ state: 'visible', timeout: T });
    await a.click();
    covered.add(`inline:${commandOf(action)}`);
  }
  async function menu(label, action) {
    await tree.menu(label, action);
    covered.add(`menu:${commandOf(action)}`);
  }
  /** Runs a command from the palette by its "pgwarden: Title" name. */
  async function palette(action) {
    await page.keyboard.press('F1');
    const input = quickInput.locator('input').first();
    await input.waitFor({ state: 'visible', timeout: T });
    await input.fill(`>pgwarden: ${action}`);
    await quickInput.locator('.monaco-list-row', { hasText: `pgwarden: ${action}` }).first().waitFor({ timeout: T });
    await page.keyboard.press('Enter');
    covered.add(`palette:${commandOf(action)}`);
  }
  async function title(action) {
    // The view-title actions show while the pointer is over the view. A row's tooltip left
    // open by an earlier step may cover the view's middle: leave it first (it closes), then
    // point at the view without waiting for the tooltip that may open again.
    await page.mouse.move(0, 0);
    await sidebar.hover({ force: true });
    const a = sidebar.locator(`.action-label[aria-label="${action}"]`).first();
    await a.waitFor({ state: 'visible', timeout: T });
    await a.click();
    covered.add(`title:${commandOf(action)}`);
  }
  /** Waits for the quick input titled like `titleRe`, types `text` (or picks the row) and presses Enter. */
  async function answer(titleRe, text, { pick = false } = {}) {
    await quickInput.locator('.quick-input-title', { hasText: titleRe }).waitFor({ state: 'visible', timeout: T });
    const input = quickInput.locator('input').first();
    await input.fill(text);
    if (pick) await quickInput.locator('.monaco-list-row', { hasText: text }).first().waitFor({ timeout: T });
    await page.keyboard.press('Enter');
  }
  async function passwordPrompt() {
    const input = quickInput.locator('input[type="password"]');
    await input.waitFor({ state: 'visible', timeout: T });
    return input;
  }
  async function typePassword() {
    const input = await passwordPrompt();
    await input.fill(db.password);
    await page.keyboard.press('Enter');
    await input.waitFor({ state: 'hidden', timeout: T });
  }
  async function cancelPassword() {
    const input = await passwordPrompt();
    await page.keyboard.press('Escape');
    await input.waitFor({ state: 'hidden', timeout: T });
  }
  /** A visible editor line matching `re` (the editor renders blanks as no-break spaces, so write \s). */
  async function editorShows(re) {
    const line = page.locator('.monaco-editor .view-line', { hasText: re }).first();
    await line.waitFor({ state: 'visible', timeout: T }).catch(async () => {
      throw new Error(`no visible editor line matches ${re}: ${JSON.stringify(await page.locator('.monaco-editor .view-line').allInnerTexts().catch(() => []))}`);
    });
  }

  const titles = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).contributes.commands;
  const commandOf = (t) => titles.find((c) => c.title === t)?.command ?? `?${t}`;

  try {
    await page.goto(workbenchUrl(server, folder), { timeout: 180_000 });
    await page.locator('.monaco-workbench').waitFor({ timeout: T });

    await check('the activity bar shows the pgwarden icon, served from the extension', async () => {
      const icon = page.locator('.activitybar .action-item .action-label[aria-label*="pgwarden" i]').first();
      await icon.waitFor({ state: 'visible', timeout: T });
      const css = await icon.evaluate((e) => {
        const s = getComputedStyle(e);
        return `${s.webkitMaskImage} ${s.maskImage} ${s.backgroundImage}`;
      });
      const url = /url\("?([^")]*pgwarden\.svg[^")]*)"?\)/.exec(css)?.[1];
      if (!url) throw new Error(`the icon has no pgwarden.svg image: ${css}`);
      const res = await page.request.get(url);
      const body = await res.text();
      if (!res.ok() || !body.includes('<svg')) throw new Error(`${url} answered ${res.status()}: ${body.slice(0, 80)}`);
      await icon.click();
    });

    await check('welcome view: Add Connection builds a profile from a URL and connects', async () => {
      const button = sidebar.locator('.welcome-view-content .monaco-button', { hasText: 'Add Connection' });
      await button.waitFor({ state: 'visible', timeout: T });
      await button.click();
      covered.add('welcome:pgwarden.addConnection');
      await answer(/Add Connection/, 'Connection URL', { pick: true });
      await answer(/Add Connection \(1\/2\)/, `postgresql://${db.user}@127.0.0.1:${db.port}/postgres?sslmode=disable`);
      await answer(/Add Connection: name/, 'ui-db');
      await typePassword();
      await row('Roles').waitFor({ timeout: T });
    });

    await check('status bar: pgwarden\'s errors and warnings and the connected database; a click opens Problems', async () => {
      const item = page.locator('#workbench\\.parts\\.statusbar [aria-label^="pgwarden:"]').first();
      const want = /^pgwarden: (\d+) errors?, (\d+) warnings?, connected to ui-db$/;
      for (const deadline = Date.now() + T; !want.test((await item.getAttribute('aria-label').catch(() => null)) ?? ''); ) {
        if (Date.now() > deadline) throw new Error(`the status item says "${await item.getAttribute('aria-label').catch(() => '?')}"`);
        await page.waitForTimeout(200);
      }
      // The workspace's own findings (closed files included) are counted: there are some.
      const [, errors, warnings] = want.exec(await item.getAttribute('aria-label')).map(Number);
      if (errors + warnings === 0) throw new Error('the status item counts no finding');
      const text = (await item.innerText()).replace(/\s+/g, ' ').trim();
      if (text !== `pgwarden ${errors} ${warnings} ui-db`) throw new Error(`the status item shows "${text}"`);
      await item.click();
      await page.locator('.markers-panel').first().waitFor({ state: 'visible', timeout: T });
    });

    await check('palette: Lint Workspace shows a closed file\'s finding in Problems', async () => {
      await palette('Lint Workspace');
      // The totals arrive as an information message. Its toast hides after a while on a slow
      // run; the notification center (the bell) keeps it.
      const totals = /pgwarden: \d+ files linted: \d+ errors?, \d+ warnings?\./;
      const center = page.locator('.notifications-center');
      for (const deadline = Date.now() + T; ; ) {
        if (await page.locator('.notifications-toasts', { hasText: totals }).count()) break;
        if (await center.filter({ hasText: totals }).count()) {
          await page.keyboard.press('Escape');
          break;
        }
        if (Date.now() > deadline) {
          const shown = await page.locator('.notifications-toasts, .notifications-center').allInnerTexts().catch(() => []);
          throw new Error(`no "files linted" message; notifications: ${JSON.stringify(shown)}`);
        }
        // After a few seconds without the toast, look in the notification center.
        if (!(await center.isVisible().catch(() => false)) && Date.now() > deadline - T + 5_000) {
          await page.locator('#workbench\\.parts\\.statusbar [id="status.notifications"], #workbench\\.parts\\.statusbar [aria-label*="Notifications" i]').first().click().catch(() => {});
        }
        await page.waitForTimeout(250);
      }
      const problems = page.locator('.markers-panel');
      await problems.first().waitFor({ state: 'visible', timeout: T });
      // 003_suppressed.sql was never opened in this workbench; its second GRANT is reported.
      // Problems lists every file's findings, more than its rows show: filter to that file.
      const filter = page.locator('#workbench\\.parts\\.panel input[placeholder^="Filter"]').first();
      await filter.fill('003_suppressed');
      await problems.locator('.monaco-list-row', { hasText: '003_suppressed.sql' }).first().waitFor({ timeout: T });
      const finding = problems.locator('.monaco-list-row', { hasText: /GRANT to PUBLIC[\s\S]*grant-to-public[\s\S]*\[Ln 4, Col 40\]/ });
      await finding.first().waitFor({ timeout: T }).catch(async () => {
        throw new Error(`Problems rows: ${JSON.stringify(await problems.locator('.monaco-list-row').allInnerTexts())}`);
      });
      await filter.fill('');
      await page.keyboard.press('Escape');
    });

    await check('view title: Add Connection with a tree row focused starts the flow', async () => {
      // VS Code passes the focused row to a title action; it is not a profile.
      await row('Roles').click();
      await title('Add Connection');
      await quickInput.locator('.quick-input-title', { hasText: /Add Connection/ }).waitFor({ state: 'visible', timeout: T });
      await noErrorToast();
      await page.keyboard.press('Escape');
      await quickInput.waitFor({ state: 'hidden', timeout: T });
    });

    await check('row menu: Edit Connection fills in the URL, refuses a password in it, and reconnects with the stored password', async () => {
      const url = `postgresql://${db.user}@127.0.0.1:${db.port}/postgres?sslmode=disable`;
      await menu('ui-db', 'Edit Connection');
      await quickInput.locator('.quick-input-title', { hasText: /Edit Connection \(1\/2\)/ }).waitFor({ state: 'visible', timeout: T });
      const input = quickInput.locator('input').first();
      if ((await input.inputValue()) !== url) throw new Error(`the URL step shows "${await input.inputValue()}", not the profile's URL`);
      await input.fill(`postgresql://${db.user}:secret@127.0.0.1:${db.port}/postgres`);
      await quickInput.locator('.quick-input-message', { hasText: 'Leave the password out' }).waitFor({ state: 'visible', timeout: T });
      // A parameter that changes neither the server, the database, the user nor TLS: the stored password still fits.
      await input.fill(`${url}&connect_timeout=10`);
      await page.keyboard.press('Enter');
      await quickInput.locator('.quick-input-title', { hasText: /Edit Connection: name/ }).waitFor({ state: 'visible', timeout: T });
      if ((await input.inputValue()) !== 'ui-db') throw new Error(`the name step shows "${await input.inputValue()}"`);
      await page.keyboard.press('Enter');
      // The password stayed in the secret storage: the connection comes back without a prompt.
      const done = page.locator('.notifications-toasts', { hasText: 'the connection "ui-db" is saved and connected again' });
      const prompt = quickInput.locator('input[type="password"]');
      await Promise.race([done.waitFor({ timeout: T }), prompt.waitFor({ state: 'visible', timeout: T })]);
      if (await prompt.isVisible()) throw new Error('editing the connection asked for the password again');
      await row('Roles').waitFor({ timeout: T });
    });

    await check('view title: Refresh All Connections keeps the tree', async () => {
      await title('Refresh All Connections');
      await row('Roles').waitFor({ timeout: T });
    });

    await check('row menu: Refresh Role Tree', async () => {
      await menu('ui-db', 'Refresh Role Tree');
      await row('Roles').waitFor({ timeout: T });
    });

    await check('Roles menu: Show Role Graph opens a webview with the roles and superusers marked, under a strict CSP', async () => {
      await menu('Roles', 'Show Role Graph');
      await page.locator('.tab', { hasText: 'Role graph: ui-db' }).first().waitFor({ timeout: T });
      // The webview's document sits in nested frames; find the one holding the picture.
      let frame;
      for (const deadline = Date.now() + T; !frame; ) {
        for (const f of page.frames()) if (await f.locator('svg.role-graph').count().catch(() => 0)) frame = f;
        if (!frame && Date.now() > deadline) throw new Error(`no frame shows the role graph; frames: ${page.frames().map((f) => f.url()).join(', ')}`);
        if (!frame) await page.waitForTimeout(250);
      }
      const superusers = await frame.locator('svg.role-graph g.role.superuser').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-role')).sort());
      if (!superusers.includes('ops_admin')) throw new Error(`superusers drawn: ${JSON.stringify(superusers)}`);
      const memberOf = await frame.locator('svg.role-graph line.edge title').allTextContents();
      if (!memberOf.includes('alice is a member of app_rw (INHERIT, SET)')) throw new Error(`edges: ${JSON.stringify(memberOf)}`);
      const csp = await frame.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
      if (!/^default-src 'none'; style-src 'nonce-[A-Za-z0-9+/=]+'; img-src data:;$/.test(csp ?? '')) throw new Error(`webview CSP: ${csp}`);
      if (await frame.locator('script, link, img, iframe').count()) throw new Error('the role graph page loads or runs something');
      await frame.locator('p.none', { hasText: 'No login role can reach a superuser or a BYPASSRLS role' }).waitFor({ timeout: T });
    });

    await check('Sessions node: the counts, and this workbench\'s own session with its role and application', async () => {
      // The expanded Roles node would push Sessions below the fold, where the tree renders no row.
      await collapse('Roles');
      await openRow('ui-db', 'Sessions');
      await openRow('Sessions', 'By role');
      const summary = sidebar.locator('.monaco-list-row .label-name', { hasText: /^\d+ client sessions?, \d+ of \d+ connections$/ });
      await summary.first().waitFor({ timeout: T });
      // pgwarden's own connection is a client session: at least one, and never more than the server allows.
      const [, clients, used, max] = /^(\d+) client sessions?, (\d+) of (\d+) connections$/.exec(await summary.first().innerText()).map(Number);
      if (!(clients >= 1 && used >= clients && max >= used)) throw new Error(`summary: ${await summary.first().innerText()}`);
      if (!/^[1-9]\d*$/.test(await description('By role'))) throw new Error(`By role counts "${await description('By role')}" roles`);
      await openRow('By role', db.user);
      if (!/^[1-9]\d*$/.test(await description(db.user))) throw new Error(`the By role count of ${db.user} is "${await description(db.user)}"`);
      await expand('All sessions');
      // A session row: "<pid> role@database", described by state, client, TLS and application.
      const mine = sidebar.locator('.monaco-list-row').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^\\d+ ${escapeRe(db.user)}@postgres$`) }) });
      await mine.first().waitFor({ timeout: T });
      const described = await mine.locator('.label-description').allInnerTexts();
      if (!described.some((d) => /^\w[\w ]*, 127\.0\.0\.1, no TLS, pgwarden \(VS Code\)$/.test(d))) throw new Error(`${db.user}@postgres sessions: ${JSON.stringify(described)}`);
      await collapse('Sessions');
    });

    await check('table menu: Who Can Access This Table? lists the roles', async () => {
      await openRow('ui-db', 'Tables');
      await openRow('Tables', 'app');
      await openRow('app', 'accounts');
      await menu('accounts', 'Who Can Access This Table?');
      await quickInput.locator('.quick-input-title', { hasText: 'Who can access app.accounts' }).waitFor({ state: 'visible', timeout: T });
      await quickInput.locator('.monaco-list-row', { hasText: 'alice' }).first().waitFor({ timeout: T });
      await page.keyboard.press('Escape');
    });

    await check('table: Who can access shows each role with its path and what row-level security leaves; the exports share one editor', async () => {
      // app.accounts has RLS on, a permissive policy for PUBLIC that is constant true
      // (accounts_everyone) and an INSERT policy for app_writer, which alice inherits through app_rw.
      await openRow('accounts', 'Who can access');
      await openRow('Who can access', 'alice');
      const want = 'SELECT, INSERT · via app_rw · RLS differs by privilege';
      if ((await description('alice')) !== want) throw new Error(`alice under Who can access shows "${await description('alice')}", not "${want}"`);
      await openRow('alice', 'INSERT');
      const insert = await description('INSERT');
      if (insert !== 'via app_rw · every row: accounts_everyone OR accounts_own_insert') throw new Error(`alice's INSERT shows "${insert}"`);
      // The owner skips the policies while RLS is not forced.
      await collapse('alice');
      if (!/· owner · bypassed \(owner, RLS not forced\): every row$/.test(await description('app_owner'))) throw new Error(`app_owner shows "${await description('app_owner')}"`);
      await collapse('Who can access');
      await menu('accounts', 'Export Access as Markdown');
      await editorShows(/^#\sWho\scan\saccess\sapp\.accounts\s\(RLS\son,\s2\spolicies,\sowner\sapp_owner\)$/);
      await editorShows(/^\|\salice\s\|\sSELECT\s\|\svia\sapp_rw\s\|\severy\srow:\saccounts_everyone\s\|$/);
      const tabs = await page.locator('.tab').count();
      await menu('accounts', 'Export Access as CSV');
      await editorShows(/^alice,SELECT,via\sapp_rw,every\srow:\saccounts_everyone$/);
      // The CSV replaced the Markdown in the same untitled editor.
      if ((await page.locator('.tab').count()) !== tabs) throw new Error(`the CSV export opened a new tab (${tabs} before, ${await page.locator('.tab').count()} after)`);
    });

    await check('table menu: Find in Workspace opens the statement', async () => {
      await menu('accounts', 'Find in Workspace');
      // One statement opens at once; several are offered in a pick first.
      const pick = quickInput.locator('.quick-input-title', { hasText: 'Statements for table app.accounts' });
      const tab = page.locator('.tab.active', { hasText: /\.sql/ }).first();
      await Promise.race([pick.waitFor({ state: 'visible', timeout: T }), tab.waitFor({ timeout: T })]);
      if (await pick.isVisible()) await page.keyboard.press('Enter');
      await tab.waitFor({ timeout: T });
      await editorShows(/app\.accounts/);
    });

    await check('privilege menu: Open REVOKE Statement and Open GRANT Statement', async () => {
      // Grantees are grouped by role, each privilege under its grantee.
      await openRow('accounts', 'Grantees');
      await openRow('Grantees', 'app_rw: INSERT, SELECT');
      await openRow('app_rw: INSERT, SELECT', 'SELECT');
      await menu('SELECT', 'Open REVOKE Statement');
      await editorShows(/REVOKE\s+SELECT\s+ON/);
      await menu('SELECT', 'Open GRANT Statement');
      await editorShows(/^GRANT\s+SELECT\s+ON/);
      // The same statement again shows its editor: no third tab.
      await menu('SELECT', 'Open REVOKE Statement');
      await editorShows(/REVOKE\s+SELECT\s+ON/);
      const tabs = await page.locator('.tab', { hasText: 'Generated by pgwarden' }).count();
      if (tabs !== 2) throw new Error(`${tabs} generated-SQL tabs, expected 2 (one REVOKE, one GRANT)`);
    });

    await check('role tree: a table a live finding concerns carries a warning badge', async () => {
      // app.accounts has db-policy-always-true: its row is decorated (FileDecorationProvider).
      for (const deadline = Date.now() + T; ; ) {
        const badges = await row('accounts').evaluate((r) => [...r.querySelectorAll('*')].map((e) => getComputedStyle(e, '::after').content).filter((c) => /\d/.test(c)));
        if (badges.length) break;
        if (Date.now() > deadline) throw new Error('the accounts row has no finding badge');
        await page.waitForTimeout(250);
      }
    });

    await check('Findings view: grouped by severity, then rule, with counts and a badge; a click opens the statement creating the object', async () => {
      const pane = page.locator('.pane', { has: page.locator('.pane-header', { hasText: /^Findings/ }) });
      const header = pane.locator('.pane-header').first();
      if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
      // The role tree folds away so the findings have room.
      await row('ui-db').click();
      await page.keyboard.press('ArrowLeft');
      const finding = 'Table app.audit_log has row-level security enabled but no policy';
      await openRow('Warnings', 'db-rls-no-policy');
      if (!/^\d+$/.test(await description('Warnings'))) throw new Error(`the Warnings group shows "${await description('Warnings')}", not a count`);
      if ((await description('db-rls-no-policy')) !== '1') throw new Error(`db-rls-no-policy shows "${await description('db-rls-no-policy')}", not 1`);
      await openRow('db-rls-no-policy', finding);
      if ((await description(finding)) !== 'db-rls-no-policy') throw new Error(`the finding's description is "${await description(finding)}"`);
      const badge = page.locator('.activitybar .action-item', { has: page.locator('.action-label[aria-label*="pgwarden" i]') }).locator('.badge-content');
      await badge.waitFor({ state: 'visible', timeout: T });
      if (!/^\d+$/.test((await badge.innerText()).trim())) throw new Error(`the view's badge shows "${await badge.innerText()}"`);
      await row(finding).click();
      await page.locator('.tab.active', { hasText: '000_schema.sql' }).waitFor({ timeout: T });
      await editorShows(/CREATE\s+TABLE\s+app\.audit_log/);
    });

    await check('finding actions: Open Declaring Statement, Find Object in Workspace, Copy Finding, Open Rule Page', async () => {
      const finding = 'Table app.audit_log has row-level security enabled but no policy';
      await menu(finding, 'Open Declaring Statement');
      await page.locator('.tab.active', { hasText: '000_schema.sql' }).waitFor({ timeout: T });
      await menu(finding, 'Find Object in Workspace');
      const pick = quickInput.locator('.quick-input-title', { hasText: 'Statements for table app.audit_log' });
      await pick.waitFor({ state: 'visible', timeout: T });
      await page.keyboard.press('Escape');
      await menu(finding, 'Copy Finding');
      await page.locator('.statusbar', { hasText: 'pgwarden: finding copied' }).waitFor({ timeout: T });
      await inline(finding, 'Open Rule Page');
      await page.locator('.tab.active', { hasText: 'Preview db-rls-no-policy.md' }).waitFor({ timeout: T });
      const pane = page.locator('.pane', { has: page.locator('.pane-header', { hasText: /^Findings/ }) });
      await pane.locator('.pane-header').first().hover();
      await pane.locator('.action-label[aria-label="Refresh Findings"]').click();
      covered.add('title:pgwarden.refreshFindings');
      await row('db-rls-no-policy').waitFor({ timeout: T });
    });

    await check('finding menu: Open Fix SQL shows the quoted statement in one reused editor', async () => {
      await collapse('db-rls-no-policy');
      const fixes = [
        ['db-superuser-login', 'Role "ops_admin" is a superuser that can log in', /^ALTER\s+ROLE\s+ops_admin\s+NOSUPERUSER;$/],
        ['db-bypassrls', 'Role "etl" has BYPASSRLS', /^ALTER\s+ROLE\s+etl\s+NOBYPASSRLS;$/],
      ];
      for (const [rule, finding, statement] of fixes) {
        await openRow('Warnings', rule);
        await openRow(rule, finding);
        await menu(finding, 'Open Fix SQL');
        await editorShows(statement);
        await collapse(rule);
      }
      // The second fix replaced the first in the same editor: one tab for fix SQL.
      const tabs = await page.locator('.tab', { hasText: 'pgwarden: db-' }).count();
      if (tabs !== 1) throw new Error(`${tabs} fix-SQL tabs, expected 1`);
    });

    await check('Drift node: grouped by kind with counts; a row opens its statement, whose CodeLens follows a hand change', async () => {
      // The Findings pane folds away and the role tree opens again, Tables closed, so Drift is in view.
      const findingsHeader = page.locator('.pane', { has: page.locator('.pane-header', { hasText: /^Findings/ }) }).locator('.pane-header').first();
      if ((await findingsHeader.getAttribute('aria-expanded')) === 'true') await findingsHeader.click();
      await openRow('ui-db', 'Drift');
      if ((await row('Tables').getAttribute('aria-expanded')) === 'true') await collapse('Tables');
      await openRow('Drift', 'Grants');
      const counts = {};
      for (const g of ['Grants', 'Memberships', 'Roles and attributes', 'Owners', 'Row-level security', 'Default privileges', 'Objects']) counts[g] = await description(g);
      const want = { Grants: '3', Memberships: '7', 'Roles and attributes': '12', Owners: '1', 'Row-level security': '1', 'Default privileges': '1', Objects: '1' };
      if (JSON.stringify(counts) !== JSON.stringify(want)) throw new Error(`drift groups: ${JSON.stringify(counts)}`);
      await collapse('Memberships').catch(() => {});
      const entry = 'SELECT on table app.audit_log to public';
      await openRow('Grants', entry);
      if ((await description(entry)) !== 'declared: granted · live: none') throw new Error(`the entry shows "${await description(entry)}"`);
      await menu(entry, 'Go to Declaring Statement');
      await page.locator('.tab.active', { hasText: '004_config.sql' }).waitFor({ timeout: T });
      const lens = (text) => page.locator('.monaco-editor .codelens-decoration', { hasText: text }).first();
      await lens('live: missing').waitFor({ timeout: T });
      // The hand change pgwarden's lens must notice: made here, the way someone does it in psql.
      const { default: pg } = await import('pg');
      const c = new pg.Client({ host: '127.0.0.1', port: db.port, user: db.user, password: db.password, database: 'postgres' });
      await c.connect();
      try {
        await c.query('GRANT SELECT ON app.audit_log TO PUBLIC');
      } finally {
        await c.end();
      }
      await title('Refresh All Connections');
      await lens('live: has it').waitFor({ timeout: T });
      await row('Drift').waitFor({ timeout: T });
    });

    await check('Drift node follows an edit of the migration without a refresh; a policy USING changed by hand shows both states', async () => {
      const byHand = async (sql) => {
        const { default: pg } = await import('pg');
        const c = new pg.Client({ host: '127.0.0.1', port: db.port, user: db.user, password: db.password, database: 'postgres' });
        await c.connect();
        try {
          await c.query(sql);
        } finally {
          await c.end();
        }
      };
      await collapse('Grants');
      // In the database by hand, unseen until a refresh: the edit below is compared with the database as last read.
      await byHand('CREATE POLICY e2e_own ON app.audit_log USING (false)');
      await page.locator('#workbench\\.parts\\.editor .monaco-editor .view-lines').first().click();
      await page.keyboard.press('Control+End');
      await page.keyboard.insertText('\nCREATE POLICY e2e_own ON app.audit_log USING (true);\n');
      const declared = 'policy e2e_own on table app.audit_log';
      await openRow('Policies', declared);
      if ((await description(declared)) !== 'declared: permissive for all to public · live: none') throw new Error(`the entry shows "${await description(declared)}"`);
      await title('Refresh All Connections');
      const using = 'USING of policy e2e_own on table app.audit_log';
      await openRow('Policies', using);
      if ((await description(using)) !== 'declared: as written · live: false') throw new Error(`the entry shows "${await description(using)}"`);
      if ((await description('Policies')) !== '1') throw new Error(`Policies counts "${await description('Policies')}"`);
      // Back as the steps after this one expect: the file as on disk, the policy gone.
      await page.keyboard.press('F1');
      await quickInput.locator('input').first().fill('>File: Revert File');
      await quickInput.locator('.monaco-list-row', { hasText: 'File: Revert File' }).first().waitFor({ timeout: T });
      await page.keyboard.press('Enter');
      await byHand('DROP POLICY e2e_own ON app.audit_log');
      await title('Refresh All Connections');
      await row('Policies').waitFor({ state: 'detached', timeout: T });
    });

    await check('Drift node menu: Generate Reconciling Migration (one editor, reused) and Adopt into Migrations (the next migration file)', async () => {
      await menu('Drift', 'Generate Reconciling Migration');
      await editorShows(/^--\sReconciling\smigration/);
      await editorShows(/^REVOKE\s+CREATE\s+ON\s+SCHEMA\s+public\s+FROM\s+PUBLIC;/);
      await inline('Drift', 'Generate Reconciling Migration');
      await editorShows(/^--\sReconciling\smigration/);
      const tabs = await page.locator('.tab', { hasText: 'Reconciling migration' }).count();
      if (tabs !== 1) throw new Error(`${tabs} reconciling-migration tabs, expected 1`);
      await menu('Drift', 'Adopt into Migrations');
      await page.locator('.tab.active', { hasText: '005_adopt_live_access.sql' }).waitFor({ timeout: T });
      await editorShows(/^--\sAdopting\smigration/);
      await editorShows(/^CREATE\s+ROLE\s+ops_admin\b/);
    });

    await check('row menu: Forget Stored Password', async () => {
      await menu('ui-db', 'Forget Stored Password');
      await page.locator('.notifications-toasts', { hasText: 'the stored password for "ui-db" is forgotten' }).waitFor({ timeout: T });
    });

    await check('inline: Disconnect, then Connect asks for the forgotten password', async () => {
      await inline('ui-db', 'Disconnect');
      // A URL profile's row names its user, host, port and database, not just "URL".
      const want = `disconnected · ${db.user}@127.0.0.1:${db.port}/postgres`;
      for (const deadline = Date.now() + T; (await description('ui-db').catch(() => '')) !== want; ) {
        if (Date.now() > deadline) throw new Error(`ui-db shows "${await description('ui-db').catch(() => '?')}", not "${want}"`);
        await page.waitForTimeout(200);
      }
      await inline('ui-db', 'Connect');
      await cancelPassword();
      await row('Not connected: no password entered.').waitFor({ timeout: T });
    });

    await check('row menu: Connect from the disconnected row', async () => {
      await menu('ui-db', 'Connect');
      await cancelPassword();
      await row('Not connected: no password entered.').waitFor({ timeout: T });
    });

    await check('inline: Reconnect on the message row connects with the password typed', async () => {
      await inline('Reconnect', 'Reconnect');
      await typePassword();
      await row('Roles').waitFor({ timeout: T });
    });

    await check('row menu: Remove Connection asks first, then the welcome view returns', async () => {
      await menu('ui-db', 'Remove Connection');
      const dialog = page.locator('.monaco-dialog-box', { hasText: 'Remove the connection "ui-db"?' });
      await dialog.waitFor({ state: 'visible', timeout: T });
      await dialog.locator('.monaco-button', { hasText: /^Remove$/ }).click();
      await sidebar.locator('.welcome-view-content', { hasText: 'No database connection yet.' }).waitFor({ timeout: T });
    });

    await check('a host off this machine without verified TLS: a modal question before connecting, declined', async () => {
      await title('Add Connection');
      await answer(/Add Connection/, 'Connection URL', { pick: true });
      // Never resolved or reached: declining the question must stop everything before that.
      await answer(/Add Connection \(1\/2\)/, 'postgresql://auditor@db.example.invalid:5432/app?sslmode=require');
      await answer(/Add Connection: name/, 'remote');
      const dialog = page.locator('.monaco-dialog-box', { hasText: 'Connect "remote" without verified TLS?' });
      await dialog.waitFor({ state: 'visible', timeout: T });
      if (await quickInput.locator('input[type="password"]').isVisible()) throw new Error('the password was asked before the TLS question');
      await dialog.locator('.monaco-button', { hasText: /^Cancel$/ }).click();
      await row('Not connected: the connection "remote" would not be protected by verified TLS, and that was not confirmed.').waitFor({ timeout: T });
    });

    await check('walkthrough: Get started with pgwarden shows its four steps and the CI step\'s workflow', () =>
      openWalkthroughStep(page, 'Set up CI with SARIF', 'code', 'upload-sarif'),
    );

    const required = menuCommands();
    const missed = [...required].filter((k) => !covered.has(k));
    results.push({ name: `every view-title, row and welcome command was clicked (${required.size})`, ok: !broken && missed.length === 0, seconds: 0, error: missed.length ? `not exercised: ${missed.join(', ')}` : undefined });
  } finally {
    await context.close();
  }
  return results;
}
