// Connection profiles: where they are saved (user settings), where else they may come
// from (workspace settings: trusted workspaces only, and only for hosts the user has
// confirmed once), and the checks that keep a password out of settings.

import * as vscode from 'vscode';
import type { ConnectionProfile } from '../../../server/src/db/types';

export const SETTING = 'pgwarden.connections';
const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];
const STRING_FIELDS = ['host', 'database', 'user', 'sslrootcert', 'sslcert', 'sslkey', 'service', 'url', 'conninfo'] as const;

export interface Profile extends ConnectionProfile {
  /** Where the profile was read from: user settings are the user's own; workspace settings come with the folder. */
  source: 'user' | 'workspace';
}

/**
 * A profile from settings with only the known fields, typed; undefined when it has no
 * usable name. A `password` field is never read (`problems` says so).
 */
export function sanitize(raw: unknown, problems: string[] = []): ConnectionProfile | undefined {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const r = raw as Record<string, unknown>;
  if (typeof r.name !== 'string' || !r.name.trim()) return undefined;
  const p: ConnectionProfile = { name: r.name.trim() };
  for (const k of STRING_FIELDS) if (typeof r[k] === 'string' && r[k] !== '') p[k] = r[k] as string;
  if (typeof r.port === 'number' || (typeof r.port === 'string' && r.port !== '')) {
    const port = Number(r.port);
    if (Number.isInteger(port) && port > 0 && port < 65536) p.port = port;
    else problems.push(`connection "${p.name}": invalid port`);
  }
  if (typeof r.sslmode === 'string' && SSL_MODES.includes(r.sslmode)) p.sslmode = r.sslmode as ConnectionProfile['sslmode'];
  if ('password' in r) problems.push(`connection "${p.name}" has a "password" field in settings; pgwarden ignores it (passwords belong in the secret storage) — remove it`);
  if (p.url && urlHasPassword(p.url)) {
    problems.push(`connection "${p.name}": the URL holds a password; pgwarden ignores the URL — remove the password from it`);
    delete p.url;
  }
  if (p.conninfo && /(^|\s)password\s*=/i.test(p.conninfo)) {
    problems.push(`connection "${p.name}": the connection string holds a password; pgwarden ignores the string — remove the password from it`);
    delete p.conninfo;
  }
  return p;
}

/** Whether a postgres:// URL carries a password (user:password@host). */
export function urlHasPassword(url: string): boolean {
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^@/?#]*)@/i.exec(url.trim());
  if (m && m[1].includes(':')) return true;
  return /[?&]password=/i.test(url);
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
      const p = sanitize(raw, problems);
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
  const clean = sanitize(profile);
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
