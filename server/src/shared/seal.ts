// The password of a connect request travels sealed (AES-256-GCM) under a key the client
// hands to the server process through its environment, never through the LSP channel.
// With `pgwarden.trace.server` set to "verbose", vscode-languageclient writes every
// request's parameters to the output channel; sealing keeps the password out of it.

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** The environment variable carrying the hex key from the extension host to the server. */
export const SEAL_ENV = 'PGWARDEN_DB_SEAL_KEY';

export interface Sealed {
  iv: string;
  data: string;
  tag: string;
}

export function newSealKey(): string {
  return randomBytes(32).toString('hex');
}

function keyBytes(hex: string): Buffer {
  const k = Buffer.from(hex, 'hex');
  if (k.length !== 32) throw new Error('bad seal key');
  return k;
}

export function seal(hexKey: string, text: string): Sealed {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', keyBytes(hexKey), iv);
  const data = Buffer.concat([c.update(text, 'utf8'), c.final()]);
  return { iv: iv.toString('base64'), data: data.toString('base64'), tag: c.getAuthTag().toString('base64') };
}

/** The sealed text, or undefined when it was not sealed under this key (or was altered). */
export function unseal(hexKey: string, s: Sealed): string | undefined {
  try {
    const d = createDecipheriv('aes-256-gcm', keyBytes(hexKey), Buffer.from(s.iv, 'base64'));
    d.setAuthTag(Buffer.from(s.tag, 'base64'));
    return Buffer.concat([d.update(Buffer.from(s.data, 'base64')), d.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}
