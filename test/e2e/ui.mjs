// Playwright checks of what a user sees in the workbench: the squiggle under a finding,
// its hover naming the rule, the quick-fix menu and the Problems panel. Each check
// takes a screenshot; `npm run screenshots` writes them to docs/images/ for the README.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { answerPasswordPrompts, workbenchUrl } from './codeserver.mjs';

const T = 60_000;

/** Opens a file through Quick Open, the way a user would. */
export async function openFile(page, name) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: T });
  await input.fill(name);
  // Quick Open searches files asynchronously (ripgrep); wait for the row, then pick it.
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ timeout: T });
  await page.keyboard.press('Enter');
  await page.locator(`.tab.active[data-resource-name="${name}"], .tab.active:has-text("${name}")`).first().waitFor({ timeout: T });
}

/** The element's box once it is laid out (an editor re-render can detach it for a moment). */
export async function boxOf(locator) {
  const deadline = Date.now() + T;
  for (;;) {
    const box = await locator.boundingBox().catch(() => null);
    if (box) return box;
    if (Date.now() > deadline) throw new Error('the element never got a layout box');
    await locator.waitFor({ state: 'visible', timeout: Math.max(1, deadline - Date.now()) }).catch(() => {});
  }
}

/**
 * A runner of named checks: it runs each, records { name, ok, seconds, error? } in
 * `results` and, when one fails, saves a screenshot `failed-<prefix><name>.png` in
 * `failuresDir` so the failure can be seen. Resolves to whether the check passed.
 */
export function checkRunner(page, results, { failuresDir, prefix = '', label, log }) {
  return async (name, fn) => {
    const t0 = Date.now();
    try {
      await fn();
      results.push({ name, ok: true, seconds: (Date.now() - t0) / 1000 });
      return true;
    } catch (err) {
      results.push({ name, ok: false, seconds: (Date.now() - t0) / 1000, error: String(err?.message ?? err).split('\n')[0] });
      await page.screenshot({ path: join(failuresDir, `failed-${prefix}${name.replace(/\W+/g, '-')}.png`) }).catch(() => {});
      log(`${label} check "${name}" failed; screenshot in ${failuresDir}`);
      return false;
    }
  };
}

/** The steps of the Get started with pgwarden walkthrough, in order. */
export const WALKTHROUGH_STEPS = ['Connect a database', 'Read the audit', 'Fix a first finding', 'Set up CI with SARIF'];

/**
 * Opens the Get started with pgwarden walkthrough through Welcome: Open Walkthrough, clicks
 * the step titled `step` and waits until its Markdown media (a webview frame) has an
 * element matching `selector` with `text`.
 */
export async function openWalkthroughStep(page, step, selector, text) {
  const quickInput = page.locator('.quick-input-widget');
  const input = quickInput.locator('input').first();
  await page.keyboard.press('F1');
  await input.fill('>Welcome: Open Walkthrough');
  await quickInput.locator('.monaco-list-row', { hasText: 'Open Walkthrough' }).first().waitFor({ timeout: T });
  await page.keyboard.press('Enter');
  // The pick has a placeholder ("Select a walkthrough to open"), no title.
  await quickInput.locator('input[placeholder*="walkthrough" i]').waitFor({ state: 'visible', timeout: T });
  await input.fill('Get started with pgwarden');
  await quickInput.locator('.monaco-list-row', { hasText: 'Get started with pgwarden' }).first().waitFor({ timeout: T });
  await page.keyboard.press('Enter');
  for (const title of WALKTHROUGH_STEPS) await page.locator('.getting-started-step .step-title', { hasText: title }).first().waitFor({ timeout: T });
  await page.locator('.getting-started-step .step-title', { hasText: step }).first().click();
  for (const deadline = Date.now() + T; ; ) {
    let shown = false;
    for (const f of page.frames()) if (await f.locator(selector, { hasText: text }).count().catch(() => 0)) shown = true;
    if (shown) return;
    if (Date.now() > deadline) throw new Error(`the walkthrough step "${step}" shows no media with ${text}`);
    await page.waitForTimeout(250);
  }
}

/**
 * Runs the UI checks against `server` with `folder` open. Returns one result per check:
 * { name, ok, seconds, error? }. Screenshots go to `screenshotsDir`.
 */
export async function uiChecks(browser, server, folder, { screenshotsDir, failuresDir = screenshotsDir, demoFolder, db, log = console.log }) {
  mkdirSync(screenshotsDir, { recursive: true });
  mkdirSync(failuresDir, { recursive: true });
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const results = [];
  const check = checkRunner(page, results, { failuresDir, label: 'ui', log });
  try {
    await page.goto(workbenchUrl(server, folder), { timeout: 180_000 });
    await page.locator('.monaco-workbench').waitFor({ timeout: T });

    let squiggle;
    await check('squiggle under GRANT ... TO PUBLIC', async () => {
      await openFile(page, '001_grants.sql');
      squiggle = page.locator('.monaco-editor .squiggly-warning').first();
      await squiggle.waitFor({ state: 'attached', timeout: T });
      const box = await squiggle.boundingBox();
      // The finding is the 6 characters of PUBLIC on line 2; the squiggle must be short.
      if (!box || box.width < 10 || box.width > 120) throw new Error(`unexpected squiggle box ${JSON.stringify(box)}`);
    });

    await check('hover names the rule and its message', async () => {
      const box = await boxOf(squiggle);
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      const hover = page.locator('.monaco-hover:visible', { hasText: 'grant-to-public' }).first();
      await hover.waitFor({ state: 'visible', timeout: T });
      const text = await hover.innerText();
      if (!/GRANT to PUBLIC/.test(text)) throw new Error(`hover text lacks the message: ${text}`);
      // The hover's status bar first says "Checking for quick fixes..."; wait for the answer.
      await hover.locator('text=/Quick Fix/').first().waitFor({ timeout: T });
      await page.screenshot({ path: join(screenshotsDir, 'hover.png') });
    });

    await check('quick-fix menu offers the fix and the suppression', async () => {
      await page.keyboard.press('Escape');
      const box = await boxOf(squiggle);
      await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
      await page.keyboard.press('Control+.');
      const menu = page.locator('.action-widget:visible').first();
      await menu.waitFor({ state: 'visible', timeout: T });
      await menu.locator('text=Replace PUBLIC with a named role').waitFor({ timeout: T });
      await menu.locator('text=/Disable grant-to-public for this line/').waitFor({ timeout: T });
      await page.screenshot({ path: join(screenshotsDir, 'quick-fix.png') });
      await page.keyboard.press('Escape');
    });

    await check('Problems panel lists the findings', async () => {
      await openFile(page, '002_fixall.sql');
      await page.keyboard.press('Control+Shift+M');
      const rows = page.locator('.markers-panel .monaco-list-row', { hasText: 'grant-to-public' });
      await rows.first().waitFor({ timeout: T });
      await page.mouse.move(5, 400);
      await page.screenshot({ path: join(screenshotsDir, 'problems.png') });
    });

    if (db) {
      await check('role tree shows the seeded roles after the password prompt', async () => {
        const responder = answerPasswordPrompts(page, db.password);
        try {
          await page.locator('.activitybar .action-item a[aria-label*="pgwarden" i], .activitybar .action-item .action-label[aria-label*="pgwarden" i]').first().click();
          // Rows are matched by their leading label: "Roles" must not match "Login roles".
          const sidebar = page.locator('#workbench\\.parts\\.sidebar');
          const row = (text) => sidebar.locator('.monaco-list-row').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${text}$`) }) }).first();
          await row('e2e').waitFor({ timeout: T });
          // The connection row connects on click (the responder answers the prompt) and
          // then opens; the Roles node and its groups open on click too.
          const deadline = Date.now() + T;
          for (const [parent, child] of [['e2e', 'Roles'], ['Roles', 'Superusers'], ['Superusers', 'ops_admin'], ['Login roles', 'alice']]) {
            for (;;) {
              if (await row(child).isVisible().catch(() => false)) break;
              if (Date.now() > deadline) {
                const seen = await sidebar.locator('.monaco-list-row').allInnerTexts().catch(() => []);
                throw new Error(`"${child}" did not appear under "${parent}"; rows: ${JSON.stringify(seen)}`);
              }
              const r = row(parent);
              if ((await r.getAttribute('aria-expanded').catch(() => null)) !== 'true') await r.click().catch(() => {});
              await row(child).waitFor({ timeout: 5_000 }).catch(() => {});
            }
          }
          for (const role of ['ops_admin', 'alice', 'etl', 'legacy']) await row(role).waitFor({ timeout: T });
          await page.mouse.move(5, 400);
          await page.screenshot({ path: join(screenshotsDir, 'roles.png') });
        } finally {
          responder.stop();
        }
      });
    }

    if (demoFolder) {
      // The README's overview picture: the demo workspace's first migration with its
      // squiggles and the Problems panel, and its pg_hba.conf.
      await page.goto(workbenchUrl(server, demoFolder), { timeout: 180_000 });
      await page.locator('.monaco-workbench').waitFor({ timeout: T });
      await check('demo workspace: SQL findings in the editor and the Problems panel', async () => {
        await openFile(page, '001_schema.sql');
        await page.locator('.monaco-editor .squiggly-warning').first().waitFor({ state: 'attached', timeout: T });
        await page.keyboard.press('Control+Shift+M');
        const rows = page.locator('.markers-panel .monaco-list-row', { hasText: 'pgwarden' });
        await rows.nth(4).waitFor({ timeout: T });
        await page.mouse.move(5, 400);
        await page.screenshot({ path: join(screenshotsDir, 'overview.png') });
      });
      await check('demo workspace: pg_hba.conf findings', async () => {
        await openFile(page, 'pg_hba.conf');
        await page.locator('.monaco-editor .squiggly-error').first().waitFor({ state: 'attached', timeout: T });
        await page.locator('.markers-panel .monaco-list-row', { hasText: 'hba-trust' }).first().waitFor({ timeout: T });
        await page.mouse.move(5, 400);
        await page.screenshot({ path: join(screenshotsDir, 'pg-hba.png') });
      });
    }
  } finally {
    await context.close();
  }
  return results;
}
