// Connection profiles: where they are saved (user settings), where else they may come
// from (workspace settings: trusted workspaces only, and only for hosts the user has
// confirmed once), and the checks that keep a password out of settings.

import * as vscode from 'vscode';
import { ConnectionProfile, sanitizeProfile, urlHasPassword } from '../../../server/src/shared/profile';

export const SETTING = 'pgwarden.connections';

export interface Profile extends ConnectionProfile {
  /** Where the profile was read from: user settings are the user's own; workspace settings come with the folder. */
  source: 'user' | 'workspace';
}

export { sanitizeProfile as sanitize, urlHasPassword };

/**
 * Where a profile points, as `user@host:port/database` (or the service name): the
 * suggested name of a new connection and the description of a disconnected row. A URL or
 * key=value profile is read for its parts, so the row never just says "URL".
 */
export function profileSummary(p: ConnectionProfile): string {
  if (p.service) return `service=${p.service}`;
  let user = p.user;
  let host = p.host;
  let port = p.port;
  let database = p.database;
  if (p.url) {
    try {
      const u = new URL(p.url);
      user = u.username ? decodeURIComponent(u.username) : user;
      host = u.hostname || host;
      port = u.port ? Number(u.port) : port;
      database = u.pathname.length > 1 ? decodeURIComponent(u.pathname.slice(1)) : database;
    } catch {
      return 'database';
    }
  } else if (p.conninfo) {
    const get = (key: string) => new RegExp(`(?:^|\\s)${key}\\s*=\\s*(?:'((?:[^'\\\\]|\\\\.)*)'|(\\S+))`).exec(p.conninfo!)?.slice(1).find((x) => x !== undefined);
    user = get('user') ?? user;
    host = get('host') ?? get('hostaddr') ?? host;
    port = get('port') ? Number(get('port')) : port;
    database = get('dbname') ?? database;
  }
  return `${user ? `${user}@` : ''}${host ?? 'localhost'}${port && port !== 5432 ? `:${port}` : ''}/${database ?? ''}`;
}


/**
 * Every profile: user settings first, then (in a trusted workspace) the workspace's and
 * its folders'. A workspace profile with the name of a user profile is left out, so a
 * folder cannot redirect a profile the user made.
 */
export function readProfiles(problems: string[] = []): Profile[] {
  const info = vscode.workspace.getConfiguration().inspect<unknown[]>(SETTING);
  const out: Profile[] = [];
  const names = new Set<string>();
  const take = (list: unknown, source: Profile['source']) => {
    if (!Array.isArray(list)) return;
    for (const raw of list) {
      const p = sanitizeProfile(raw, problems);
      if (!p || names.has(p.name)) continue;
      names.add(p.name);
      out.push({ ...p, source });
    }
  };
  take(info?.globalValue, 'user');
  if (vscode.workspace.isTrusted) {
    take(info?.workspaceValue, 'workspace');
    take(info?.workspaceFolderValue, 'workspace');
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      take(vscode.workspace.getConfiguration(undefined, folder.uri).inspect<unknown[]>(SETTING)?.workspaceFolderValue, 'workspace');
    }
  }
  return out;
}

/** Saves (or replaces, by name) a profile in the user settings. Never writes a password. */
export async function saveProfile(profile: ConnectionProfile): Promise<void> {
  const clean = sanitizeProfile(profile);
  if (!clean) throw new Error('a connection needs a name');
  const config = vscode.workspace.getConfiguration();
  const current = (config.inspect<unknown[]>(SETTING)?.globalValue ?? []).filter((p) => !(p && typeof p === 'object' && (p as { name?: unknown }).name === clean.name));
  await config.update(SETTING, [...current, clean], vscode.ConfigurationTarget.Global);
}

/** Removes a profile from the user settings; false when it is not there (e.g. it lives in workspace settings). */
export async function removeProfile(name: string): Promise<boolean> {
  const config = vscode.workspace.getConfiguration();
  const current = config.inspect<unknown[]>(SETTING)?.globalValue ?? [];
  const next = current.filter((p) => !(p && typeof p === 'object' && (p as { name?: unknown }).name === name));
  if (next.length === current.length) return false;
  await config.update(SETTING, next, vscode.ConfigurationTarget.Global);
  return true;
}
