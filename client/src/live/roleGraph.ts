// The role graph webview: the picture the server draws of a connected database's roles
// (memberships as arrows, superusers and BYPASSRLS roles marked, escalation paths in red)
// and the paths as text. It follows VS Code's webview security guidance: scripts off, no
// local resource roots (it loads no file), and a Content-Security-Policy that allows only
// its own style element, by nonce; the SVG uses presentation attributes, which the policy
// does not govern, and every name in it was escaped by the server.

import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { DbRoleGraph } from '../../../server/src/shared/protocol';

export const ROLE_GRAPH_VIEW = 'pgwarden.roleGraph';

const panels = new Map<string, vscode.WebviewPanel>();

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** The page, for a graph and a connection name; `nonce` admits the one style element. */
export function roleGraphHtml(conn: string, g: DbRoleGraph, nonce: string): string {
  const csp = `default-src 'none'; style-src 'nonce-${nonce}'; img-src data:;`;
  const paths = g.paths.length
    ? `<h2>Escalation paths (${g.paths.length})</h2><ul class="paths">${g.paths.map((p) => `<li>${esc(p)}</li>`).join('')}</ul>`
    : '<p class="none">No login role can reach a superuser or a BYPASSRLS role through its memberships.</p>';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Role graph: ${esc(conn)}</title>
<style nonce="${nonce}">
body{font-family:var(--vscode-font-family);color:var(--vscode-foreground);padding:0 16px}
.graph{overflow:auto;border:1px solid var(--vscode-panel-border);max-height:75vh}
.paths li{font-family:var(--vscode-editor-font-family)}
.muted{color:var(--vscode-descriptionForeground)}
</style></head><body>
<h1>Role graph: ${esc(conn)}</h1>
<p class="muted">Roles as boxes, memberships as arrows from the member to the role it belongs to (dashed: a grant without SET or INHERIT). ${g.drawn} role(s) drawn${
    g.omitted ? `; ${g.omitted} more in memberships left out (kept: escalation paths, superusers, BYPASSRLS roles)` : ''
  }.</p>
<div class="graph">${g.svg}</div>
${paths}
</body></html>`;
}

/** Opens (or refreshes and reveals) the role graph of a connection. */
export function showRoleGraph(conn: string, g: DbRoleGraph): vscode.WebviewPanel {
  let panel = panels.get(conn);
  if (!panel) {
    panel = vscode.window.createWebviewPanel(ROLE_GRAPH_VIEW, `Role graph: ${conn}`, vscode.ViewColumn.Active, {
      enableScripts: false,
      enableCommandUris: false,
      enableForms: false,
      localResourceRoots: [],
    });
    panels.set(conn, panel);
    const p = panel;
    panel.onDidDispose(() => {
      if (panels.get(conn) === p) panels.delete(conn);
    });
  } else panel.reveal();
  panel.webview.html = roleGraphHtml(conn, g, randomBytes(16).toString('base64'));
  return panel;
}
