// The hand-on report as its reader gets it: the built CLI (bin/pgwarden.js) runs
// `pgwarden audit --format html` against the seeded PostgreSQL, the page it writes is opened
// from disk in Chromium, and the checks look at what the browser shows and fetches: the
// findings under their area headings, the role graph drawn inline, the CSP, and no request
// but the file itself (a self-contained page must open the same offline).
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './prepare.mjs';
import { checkRunner } from './ui.mjs';

const T = 60_000;

/** Runs the checks; returns one result per check: { name, ok, seconds, error? }. */
export async function reportChecks(browser, { db, dir, failuresDir, log = console.log }) {
  mkdirSync(dir, { recursive: true });
  const results = [];
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const check = checkRunner(page, results, { failuresDir, prefix: 'report-', label: 'report', log });
  const file = join(dir, 'audit.html');
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  try {
    await check('pgwarden audit --format html writes the report (exit 1: the seed has error-severity findings)', async () => {
      const conn = `host=127.0.0.1 port=${db.port} user=${db.user} dbname=postgres sslmode=disable`;
      // The password through the environment, as a user's script would pass it; never on the command line.
      const env = { PATH: process.env.PATH, HOME: dir, PGPASSWORD: db.password };
      const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'pgwarden.js'), 'audit', '--db', conn, '--format', 'html'], { cwd: dir, env, encoding: 'utf8', timeout: T });
      if (r.status !== 1) throw new Error(`exit ${r.status ?? r.signal}, expected 1: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
      if (!r.stdout.startsWith('<!DOCTYPE html>')) throw new Error(`stdout is not an HTML page: ${r.stdout.slice(0, 80)}`);
      writeFileSync(file, r.stdout);
    });

    await check('the report opens from disk: findings under area headings, the role graph as inline SVG, a CSP, nothing fetched but the file', async () => {
      const url = pathToFileURL(file).href;
      await page.goto(url, { timeout: T });
      const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
      if (csp !== "default-src 'none'; style-src 'unsafe-inline'; img-src data:") throw new Error(`report CSP: ${csp}`);
      if (await page.locator('script, link, img, iframe, object, embed').count()) throw new Error('the report loads or runs something');
      // Each area section: its heading counts exactly the finding rows under it.
      const areas = await page.locator('main > section:has(tr.finding)').evaluateAll((ss) =>
        ss.map((s) => ({ id: s.id, heading: s.querySelector(':scope > h2')?.textContent ?? '', rows: s.querySelectorAll('tr.finding').length })),
      );
      for (const a of areas) if (a.heading !== `${/^(.*) \(\d+\)$/.exec(a.heading)?.[1]} (${a.rows})`) throw new Error(`section ${a.id}: heading "${a.heading}" for ${a.rows} finding row(s)`);
      const headings = areas.map((a) => a.heading.replace(/ \(\d+\)$/, ''));
      for (const want of ['Roles and privileges', 'Row-level security']) if (!headings.includes(want)) throw new Error(`no "${want}" section; areas: ${JSON.stringify(headings)}`);
      // The seed's always-true policy on app.accounts is an RLS finding, and it says which pgrls/splinter check it is.
      const policy = page.locator('section#row-level-security tr.finding[data-rule="db-policy-always-true"]').first();
      await policy.waitFor({ timeout: T });
      if (!/app\.accounts/.test(await policy.innerText())) throw new Error(`db-policy-always-true row: ${await policy.innerText()}`);
      const svg = page.locator('section#role-graph > .graph > svg.role-graph');
      if ((await svg.count()) !== 1) throw new Error(`${await svg.count()} inline role-graph SVGs in the Role graph section`);
      const superusers = await svg.locator('g.role.superuser').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-role')));
      if (!superusers.includes('ops_admin')) throw new Error(`superusers drawn: ${JSON.stringify(superusers)}`);
      if (((await svg.boundingBox())?.width ?? 0) < 50) throw new Error('the role graph is not laid out');
      if (requests.length !== 1 || requests[0] !== url) throw new Error(`requests: ${JSON.stringify(requests)}`);
    });
  } finally {
    await context.close();
  }
  return results;
}
