// Driving pgwarden's tree views in the workbench the way a user does: rows found by their
// label, opened by clicking until their child shows, menus opened with a right click.
// A tree renders only the rows in view, so a row below the fold is "not there".

const T = 60_000;

export const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Helpers bound to `page`'s side bar. */
export function treeHelpers(page) {
  const sidebar = page.locator('#workbench\\.parts\\.sidebar');
  /** The first row whose label is exactly `label` (so "Roles" does not match "Login roles"). */
  const row = (label) => sidebar.locator('.monaco-list-row').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRe(label)}$`) }) }).first();
  const description = (label) => row(label).locator('.label-description').innerText();

  /** Closes a context menu left open: it would cover the rows a later click aims at. */
  async function closeMenus() {
    if (await page.locator('.monaco-menu').first().isVisible().catch(() => false)) await page.keyboard.press('Escape');
  }
  /** Clicks `parent` until `child` shows under it (a connection row connects on its first click). */
  async function openRow(parent, child, timeout = T) {
    const deadline = Date.now() + timeout;
    while (!(await row(child).isVisible().catch(() => false))) {
      await closeMenus();
      if (Date.now() > deadline) throw new Error(`"${child}" did not appear under "${parent}"; rows: ${JSON.stringify(await sidebar.locator('.monaco-list-row').allInnerTexts())}`);
      const r = row(parent);
      if ((await r.getAttribute('aria-expanded').catch(() => null)) !== 'true') await r.click().catch(() => {});
      await row(child).waitFor({ timeout: 5_000 }).catch(() => {});
    }
  }
  /** Clicks a row until its aria-expanded is `want` (a click on a row toggles it). */
  async function toggleTo(label, want) {
    for (const deadline = Date.now() + T; (await row(label).getAttribute('aria-expanded')) !== want; ) {
      if (Date.now() > deadline) throw new Error(`"${label}" never became ${want === 'true' ? 'expanded' : 'collapsed'}`);
      await closeMenus();
      await row(label).click();
      await page.waitForTimeout(300);
    }
  }
  /** Runs the context-menu item `action` of the row `label`. */
  async function menu(label, action) {
    const item = page.locator('.monaco-menu .action-item .action-label', { hasText: new RegExp(`^${escapeRe(action)}$`) }).first();
    // A row can move under the pointer while the tree re-renders; open the menu again then.
    for (const deadline = Date.now() + T; ; ) {
      await row(label).click({ button: 'right' });
      if (await item.waitFor({ state: 'visible', timeout: 5_000 }).then(() => true, () => false)) break;
      await page.keyboard.press('Escape');
      if (Date.now() > deadline) throw new Error(`the menu of "${label}" never showed "${action}"`);
    }
    // A menu ignores a click that comes right after it opened (it guards against the
    // right-click's own mouse-up): click again until the menu closes.
    for (const deadline = Date.now() + T; ; ) {
      await item.click({ timeout: 2_000 }).catch(() => {});
      if (await page.locator('.monaco-menu').first().waitFor({ state: 'hidden', timeout: 1_000 }).then(() => true, () => false)) break;
      if (Date.now() > deadline) throw new Error(`the menu item "${action}" of "${label}" never took a click`);
    }
  }
  /** The view pane titled `title` in the side bar ("Databases", "Findings"). */
  const pane = (title) => sidebar.locator('.pane', { has: page.locator('.pane-header', { hasText: new RegExp(`^${escapeRe(title)}`, 'i') }) }).first();
  /** Expands (`want` true) or collapses a view pane by its header. */
  async function paneTo(title, want) {
    const header = pane(title).locator('.pane-header').first();
    await header.waitFor({ state: 'visible', timeout: T });
    if (((await header.getAttribute('aria-expanded')) === 'true') !== want) await header.click();
  }

  return {
    sidebar,
    row,
    description,
    closeMenus,
    openRow,
    toggleTo,
    expand: (label) => toggleTo(label, 'true'),
    collapse: (label) => toggleTo(label, 'false'),
    menu,
    pane,
    paneTo,
  };
}
