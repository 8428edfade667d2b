// "pgwarden: Add Connection": a short QuickPick/InputBox flow that builds a profile from
// fields, a URL, a libpq key=value string or a service name. No step asks for a password
// (the connect step does, and keeps it in the secret storage), and a URL or string that
// carries one is refused with the reason.

import * as vscode from 'vscode';
import type { ConnectionProfile, SslMode } from '../../../server/src/shared/profile';
import { profileSummary, urlHasPassword } from './profiles';

const TITLE = 'pgwarden: Add Connection';

async function input(step: number, total: number, opts: vscode.InputBoxOptions): Promise<string | undefined> {
  return vscode.window.showInputBox({ title: `${TITLE} (${step}/${total})`, ignoreFocusOut: true, ...opts });
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

async function fromFields(): Promise<ConnectionProfile | undefined> {
  const host = await input(1, 6, { prompt: 'Host name, IP address or Unix socket directory', value: 'localhost' });
  if (host === undefined) return undefined;
  const port = await input(2, 6, { prompt: 'Port', value: '5432', validateInput: validPort });
  if (port === undefined) return undefined;
  const database = await input(3, 6, { prompt: 'Database', value: 'postgres' });
  if (database === undefined) return undefined;
  const user = await input(4, 6, { prompt: 'User name' });
  if (user === undefined) return undefined;
  const local = /^(localhost|127\.\d+\.\d+\.\d+|::1|\/.*)$/i.test(host.trim());
  const picks = local ? [...SSL_PICKS].sort((a, b) => (a.mode === 'prefer' ? -1 : b.mode === 'prefer' ? 1 : 0)) : SSL_PICKS;
  const ssl = await vscode.window.showQuickPick(picks, { title: `${TITLE} (5/6): sslmode`, placeHolder: 'How to protect the connection', ignoreFocusOut: true });
  if (!ssl) return undefined;
  const p: ConnectionProfile = { name: '', host: host.trim() || 'localhost', database: database.trim() || undefined, user: user.trim() || undefined, sslmode: ssl.mode };
  if (port.trim()) p.port = Number(port.trim());
  if (ssl.mode === 'verify-full' || ssl.mode === 'verify-ca' || ssl.mode === 'require') {
    const root = await input(5, 6, {
      prompt: 'sslrootcert: path of the CA certificate that signed the server certificate, or "system" for the system roots',
      placeHolder: ssl.mode === 'require' ? 'leave empty to skip verification' : '/path/to/root.crt',
      validateInput: (v) => (ssl.mode !== 'require' && v.trim() === '' ? `sslmode=${ssl.mode} needs a root certificate` : undefined),
    });
    if (root === undefined) return undefined;
    if (root.trim()) p.sslrootcert = root.trim();
  }
  if (ssl.mode !== 'disable') {
    const cert = await vscode.window.showQuickPick(['No client certificate', 'Use a client certificate'], { title: `${TITLE} (5/6): client certificate`, ignoreFocusOut: true });
    if (cert === undefined) return undefined;
    if (cert === 'Use a client certificate') {
      const sslcert = await input(5, 6, { prompt: 'sslcert: path of the client certificate' });
      if (sslcert === undefined) return undefined;
      const sslkey = await input(5, 6, { prompt: 'sslkey: path of the client key' });
      if (sslkey === undefined) return undefined;
      if (sslcert.trim()) p.sslcert = sslcert.trim();
      if (sslkey.trim()) p.sslkey = sslkey.trim();
    }
  }
  return p;
}

async function fromUrl(): Promise<ConnectionProfile | undefined> {
  const url = await input(1, 2, {
    prompt: 'Connection URL',
    placeHolder: 'postgresql://user@host:5432/database?sslmode=verify-full',
    validateInput: (v) => {
      if (!/^postgres(ql)?:\/\//i.test(v.trim())) return 'A URL starts with postgresql:// or postgres://';
      if (urlHasPassword(v)) return 'Leave the password out: pgwarden asks for it when connecting and keeps it in the secret storage.';
      return undefined;
    },
  });
  return url === undefined ? undefined : { name: '', url: url.trim() };
}

async function fromConninfo(): Promise<ConnectionProfile | undefined> {
  const conninfo = await input(1, 2, {
    prompt: 'libpq connection string',
    placeHolder: 'host=db.example.com port=5432 dbname=app user=alice sslmode=verify-full sslrootcert=/path/root.crt',
    validateInput: (v) => {
      if (!/=/.test(v)) return 'Write key=value pairs separated by spaces.';
      if (/(^|\s)password\s*=/i.test(v)) return 'Leave the password out: pgwarden asks for it when connecting and keeps it in the secret storage.';
      return undefined;
    },
  });
  return conninfo === undefined ? undefined : { name: '', conninfo: conninfo.trim() };
}

async function fromService(): Promise<ConnectionProfile | undefined> {
  const service = await input(1, 2, { prompt: 'Service name from pg_service.conf (PGSERVICEFILE, ~/.pg_service.conf or PGSYSCONFDIR)', validateInput: (v) => (/^[^\s=]+$/.test(v.trim()) ? undefined : 'A service name is one word.') });
  return service === undefined ? undefined : { name: '', service: service.trim() };
}

/** Runs the flow; undefined when the user cancels any step. `taken` are the names already used. */
export async function pickProfile(taken: readonly string[]): Promise<ConnectionProfile | undefined> {
  const how = await vscode.window.showQuickPick(
    [
      { label: 'Host, port, database and user', id: 'fields', description: 'with sslmode and certificates' },
      { label: 'Connection URL', id: 'url', description: 'postgresql://user@host/db' },
      { label: 'libpq connection string', id: 'conninfo', description: 'host=... dbname=... (key=value)' },
      { label: 'Service name', id: 'service', description: 'from pg_service.conf' },
    ],
    { title: TITLE, placeHolder: 'How do you want to describe the connection?', ignoreFocusOut: true },
  );
  if (!how) return undefined;
  const p = how.id === 'fields' ? await fromFields() : how.id === 'url' ? await fromUrl() : how.id === 'conninfo' ? await fromConninfo() : await fromService();
  if (!p) return undefined;
  const name = await vscode.window.showInputBox({
    title: `${TITLE}: name`,
    prompt: 'A name for this connection (shown in the pgwarden view; saved in your user settings without any password)',
    value: profileSummary(p),
    ignoreFocusOut: true,
    validateInput: (v) => (!v.trim() ? 'The connection needs a name.' : taken.includes(v.trim()) ? 'A connection with this name exists.' : undefined),
  });
  if (!name) return undefined;
  return { ...p, name: name.trim() };
}
