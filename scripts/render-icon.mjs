#!/usr/bin/env node
// Renders images/icon.svg to the 128x128 images/icon.png the marketplace manifest
// needs (vsce refuses SVG icons), with Debian's Chromium through playwright-core.
import { readFileSync } from 'node:fs';
import { launchChromium } from '../test/e2e/codeserver.mjs';

const svg = readFileSync('images/icon.svg', 'utf8');
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 128, height: 128 }, deviceScaleFactor: 1 });
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
  await page.locator('svg').screenshot({ path: 'images/icon.png', omitBackground: true });
  console.log('wrote images/icon.png');
} finally {
  await browser.close();
}
