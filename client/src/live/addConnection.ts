// "pgwarden: Add Connection": a short QuickPick/InputBox flow that builds a profile from
// fields, a URL, a libpq key=value string or a service name. No step asks for a password
// (the connect step does, and keeps it in the secret storage), and a URL or string that
// carries one is refused with the reason. "Edit Connection" runs the same steps, filled
// in with the profile's values, for the way the profile was described.

import * as vscode from 'vscode';
import type { ConnectionProfile, SslMode } from '../../../server/src/shared/profile';
import { profileSummary, urlHasPassword } from './profiles';

const ADD = 'pgwarden: Add Connection';
const EDIT = 'pgwarden: Edit Connection';

/** The flow's title and, when editing, the profile whose values fill each step. */
interface Flow {
  title: string;
  initial?: ConnectionProfile;
}

async function input(flow: Flow, step: number, total: number, opts: vscode.InputBoxOptions): Promise<string | undefined> {
  return vscode.window.showInputBox({ title: `${flow.title} (${step}/${total})`, ignoreFocusOut: true, ...opts });
}

const SSL_PICKS: Array<vscode.QuickPickItem & { mode: SslMode }> = [
  { label: 'verify-full', mode: 'verify-full', description: 'TLS, certificate chain and host name verified (recommended off this machine)' },
  { label: 'verify-ca', mode: 'verify-ca', description: 'TLS, certificate chain verified, host name not checked' },
  { label: 'require', mode: 'require', description: 'TLS without verification (verifies the chain if a root certificate is set)' },
  { label: 'prefer', mode: 'prefer', description: 'TLS if the server offers it, unverified; plain text otherwise (libpq default)' },
  { label: 'allow', mode: 'allow', description: 'plain text first, TLS only if the server insists' },
  { label: 'disable', mode: 'disable', description: 'plain text only: for a local server' },
];

function validPort(v: string): string | undefined {
  if (v.trim() === '') return undefined;
  const n = Number(v.trim());
  return Number.isInteger(n) && n > 0 && n < 65536 ? undefined : 'A port is a number from 1 to 65535.';
}

async function fromFields(flow: Flow): Promise<ConnectionProfile | undefined> {
  const was = flow.initial;
  const host = await input(flow, 1, 6, { prompt: 'Host name, IP address or Unix socket directory', value: was ? was.host ?? '' : 'localhost' });
  if (host === undefined) return undefined;
  const port = await input(flow, 2, 6, { prompt: 'Port', value: was ? (was.port === undefined ? '' : String(was.port)) : '5432', validateInput: validPort });
  if (port === undefined) return undefined;
  const database = await input(flow, 3, 6, { prompt: 'Database', value: was ? was.database ?? '' : 'postgres' });
  if (database === undefined) return undefined;
  const user = await input(flow, 4, 6, { prompt: 'User name', value: was?.user ?? '' });
  if (user === undefined) return undefined;
  const local = /^(localhost|127\.\d+\.\d+\.\d+|::1|\/.*)$/i.test(host.trim());
  const first = was?.sslmode ?? (local ? 'prefer' : undefined);
  const picks = first ? [...SSL_PICKS].sort((a, b) => (a.mode === first ? -1 : b.mode === first ? 1 : 0)) : SSL_PICKS;
  const ssl = await vscode.window.showQuickPick(picks, { title: `${flow.title} (5/6): sslmode`, placeHolder: was?.sslmode ? `How to protect the connection (now ${was.sslmode})` : 'How to protect the connection', ignoreFocusOut: true });
  if (!ssl) return undefined;
  const p: ConnectionProfile = { name: '', host: host.trim() || 'localhost', database: database.trim() || undefined, user: user.trim() || undefined, sslmode: ssl.mode };
  if (port.trim()) p.port = Number(port.trim());
  if (ssl.mode === 'verify-full' || ssl.mode === 'verify-ca' || ssl.mode === 'require') {
    const root = await input(flow, 5, 6, {
      value: was?.sslrootcert ?? '',
      prompt: 'sslrootcert: path of the CA certificate that signed the server certificate, or "system" for the system roots',
      placeHolder: ssl.mode === 'require' ? 'leave empty to skip verification' : '/path/to/root.crt',
      validateInput: (v) => (ssl.mode !== 'require' && v.trim() === '' ? `sslmode=${ssl.mode} needs a root certificate` : undefined),
    });
    if (root === undefined) return undefined;
    if (root.trim()) p.sslrootcert = root.trim();
  }
  if (ssl.mode !== 'disable') {
    const certChoices = was?.sslcert ? ['Use a client certificate', 'No client certificate'] : ['No client certificate', 'Use a client certificate'];
    const cert = await vscode.window.showQuickPick(certChoices, { title: `${flow.title} (5/6): client certificate`, ignoreFocusOut: true });
    if (cert === undefined) return undefined;
    if (cert === 'Use a client certificate') {
      const sslcert = await input(flow, 5, 6, { prompt: 'sslcert: path of the client certificate', value: was?.sslcert ?? '' });
      if (sslcert === undefined) return undefined;
      const sslkey = await input(flow, 5, 6, { prompt: 'sslkey: path of the client key', value: was?.sslkey ?? '' });
      if (sslkey === undefined) return undefined;
      if (sslcert.trim()) p.sslcert = sslcert.trim();
      if (sslkey.trim()) p.sslkey = sslkey.trim();
    }
  }
  return p;
}

async function fromUrl(flow: Flow): Promise<ConnectionProfile | undefined> {
  const url = await input(flow, 1, 2, {
    prompt: 'Connection URL',
    value: flow.initial?.url ?? '',
    placeHolder: 'postgresql://user@host:5432/database?sslmode=verify-full',
    validateInput: (v) => {
      if (!/^postgres(ql)?:\/\//i.test(v.trim())) return 'A URL starts with postgresql:// or postgres://';
      if (urlHasPassword(v)) return 'Leave the password out: pgwarden asks for it when connecting and keeps it in the secret storage.';
      return undefined;
    },
  });
  return url === undefined ? undefined : { name: '', url: url.trim() };
}

async function fromConninfo(flow: Flow): Promise<ConnectionProfile | undefined> {
  const conninfo = await input(flow, 1, 2, {
    prompt: 'libpq connection string',
    value: flow.initial?.conninfo ?? '',
    placeHolder: 'host=db.example.com port=5432 dbname=app user=alice sslmode=verify-full sslrootcert=/path/root.crt',
    validateInput: (v) => {
      if (!/=/.test(v)) return 'Write key=value pairs separated by spaces.';
      if (/(^|\s)password\s*=/i.test(v)) return 'Leave the password out: pgwarden asks for it when connecting and keeps it in the secret storage.';
      return undefined;
    },
  });
  return conninfo === undefined ? undefined : { name: '', conninfo: conninfo.trim() };
}

async function fromService(flow: Flow): Promise<ConnectionProfile | undefined> {
  const service = await input(flow, 1, 2, { value: flow.initial?.service ?? '', prompt: 'Service name from pg_service.conf (PGSERVICEFILE, ~/.pg_service.conf or PGSYSCONFDIR)', validateInput: (v) => (/^[^\s=]+$/.test(v.trim()) ? undefined : 'A service name is one word.') });
  return service === undefined ? undefined : { name: '', service: service.trim() };
}

/** Runs the flow; undefined when the user cancels any step. `taken` are the names already used. */
export async function pickProfile(taken: readonly string[]): Promise<ConnectionProfile | undefined> {
  const how = await vscode.window.showQuickPick(
    [
      { label: 'Host, port, database and user', id: 'fields' as const, description: 'with sslmode and certificates' },
      { label: 'Connection URL', id: 'url' as const, description: 'postgresql://user@host/db' },
      { label: 'libpq connection string', id: 'conninfo' as const, description: 'host=... dbname=... (key=value)' },
      { label: 'Service name', id: 'service' as const, description: 'from pg_service.conf' },
    ],
    { title: ADD, placeHolder: 'How do you want to describe the connection?', ignoreFocusOut: true },
  );
  if (!how) return undefined;
  return describe(how.id, { title: ADD }, taken);
}

/**
 * "Edit Connection": the steps of the way `profile` is described (URL, string, service or
 * fields), each filled in with its value, then its name (another connection's name is
 * refused). Undefined when the user cancels.
 */
export function editProfile(profile: ConnectionProfile, taken: readonly string[]): Promise<ConnectionProfile | undefined> {
  const kind = profile.url ? 'url' : profile.conninfo ? 'conninfo' : profile.service ? 'service' : 'fields';
  return describe(kind, { title: EDIT, initial: profile }, taken.filter((n) => n !== profile.name));
}

async function describe(kind: 'fields' | 'url' | 'conninfo' | 'service', flow: Flow, taken: readonly string[]): Promise<ConnectionProfile | undefined> {
  const p = kind === 'fields' ? await fromFields(flow) : kind === 'url' ? await fromUrl(flow) : kind === 'conninfo' ? await fromConninfo(flow) : await fromService(flow);
  if (!p) return undefined;
  const name = await vscode.window.showInputBox({
    title: `${flow.title}: name`,
    prompt: 'A name for this connection (shown in the pgwarden view; saved in your user settings without any password)',
    value: flow.initial?.name ?? profileSummary(p),
    ignoreFocusOut: true,
    validateInput: (v) => (!v.trim() ? 'The connection needs a name.' : taken.includes(v.trim()) ? 'A connection with this name exists.' : undefined),
  });
  if (!name) return undefined;
  return { ...p, name: name.trim() };
}
