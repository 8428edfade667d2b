// Recognising credentials in string values: which column names hold one, which values are
// placeholders or hashes rather than secrets, and which literals carry a secret whatever
// the column (a connection string with a password, a JSON Web Token, a provider's API key).
// Pure functions over strings; hardcoded-password decides where to look.

/**
 * Text that stands for a secret filled in later, not a secret: an upper-case template name
 * (`PG_PASSWORD`, `PGBOUNCER_PASSWORD`, substituted by a container's start script),
 * `<password>`, `${DB_PASS}`, `{{ secret }}`, `%(password)s`, `@PASSWORD@`, `__TOKEN__`,
 * `your-api-key`, or a mask like `xxxx` / `****`.
 */
export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  if (/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/.test(v) && /PASS|PWD|SECRET|TOKEN|KEY/.test(v)) return true;
  if (/^(?:<[^<>]+>|\$\{[^}]+\}|\{\{[^}]+\}\}|%\([^)]+\)s|%[sLI]|@[A-Za-z_]+@|__[A-Za-z0-9_]+__|\$[A-Z_][A-Z0-9_]*|\$\d+)$/.test(v)) return true;
  if (/^(?:your|my|the|some|example)[_ -]?[a-z_ -]*(?:password|passwd|secret|token|key)(?:[_ -]?here)?$/i.test(v)) return true;
  return /^(?:x{3,}|\*{3,}|\.{3,}|…)$/i.test(v);
}

/** Hash formats a password column legitimately stores: crypt(3) ($1$, $2b$, $5$, $6$), argon2, scrypt, PBKDF2, SCRAM, md5, bare hex digests. */
export function looksHashed(value: string): boolean {
  const v = value.trim();
  return (
    /^\$(?:1|2[abxy]?|5|6|7|y|gy|argon2(?:id|i|d)|scrypt|pbkdf2[-\w]*)\$/.test(v) ||
    /^(?:pbkdf2_sha\d+|bcrypt|argon2|sha\d+)\$/.test(v) ||
    /^SCRAM-SHA-256\$/.test(v) ||
    /^md5[0-9a-f]{32}$/.test(v) ||
    /^(?:[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64}|[0-9a-f]{128})$/i.test(v)
  );
}

/** Words that mark a value as made up for documentation or a demo. */
const DEMO_WORDS = /(?:^|[^a-z])(?:my|your|example|sample|demo|dummy|fake|test|placeholder)(?:[^a-z]|$)/i;

/**
 * Whether a value stored in a secret, token or key column looks like a real one: long,
 * unbroken, letters mixed with digits, varied (Shannon entropy of at least 3 bits a
 * character, as random tokens and hex digests have) and not spelled as a demo value. `'shhhhh'`, `'sekert1'` and
 * `'0xABC_my_payment_processor_key'` are documentation; `'sk_4f9a1c2e8b7d6a5f'` is not.
 */
export function looksLikeRealSecret(value: string): boolean {
  const v = value.trim();
  if (v.length < 16 || /\s/.test(v) || DEMO_WORDS.test(v) || !/[0-9]/.test(v) || !/[A-Za-z]/.test(v)) return false;
  const counts = new Map<string, number>();
  for (const ch of v) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let entropy = 0;
  for (const c of counts.values()) entropy -= (c / v.length) * Math.log2(c / v.length);
  return entropy >= 3;
}

/** A column name's words (snake_case or camelCase) that mark it as holding a secret. */
const SECRET_COLUMN = /(?:^|_)(?:password|passwd|pwd|passphrase|secret|token|api_?key|(?:private|access|secret|signing|client)_key)(?:_|$)/;
/** Words that make such a column about the secret rather than the secret itself (`password_hash`, `token_expires_at`, `secret_id`). */
const META_WORDS = new Set([
  'hash', 'hashed', 'digest', 'salt', 'hint', 'expires', 'expiry', 'expiration', 'at', 'type', 'id', 'ids', 'uuid',
  'count', 'length', 'policy', 'required', 'enabled', 'version', 'name', 'label', 'url', 'endpoint', 'path', 'changed',
  'encrypted', 'enc', 'ciphertext', 'nonce', 'iv', 'kid', 'prefix', 'last4', 'masked', 'sent', 'updated', 'created',
]);

/** Whether a column's name says it holds a password, secret, token or API key. */
export function isCredentialColumn(column: string): boolean {
  const words = column
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  return !words.some((w) => META_WORDS.has(w)) && SECRET_COLUMN.test(words.join('_'));
}

export interface SecretInText {
  /** What was found, for the message: "a password in a connection URI", "a JSON Web Token (role service_role)". */
  what: string;
  /** The secret-bearing part of the value, to place the finding on. */
  match: string;
}

const URI_WITH_PASSWORD = /\b[a-z][a-z0-9+.-]*:\/\/([^\s:@/?#'"]*):([^\s@/?#'"]+)@[^\s'"]+/gi;
const JWT = /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g;
/** API keys whose provider prefix makes them unmistakable (AWS, GitHub, Slack, Stripe, OpenAI). */
const PROVIDER_KEY =
  /\b(?:AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{60,}|xox[abprs]-[A-Za-z0-9-]{10,}|[sr]k_live_[A-Za-z0-9]{20,}|sk-(?:proj-)?[A-Za-z0-9_-]{32,})/g;

/** Secrets a literal carries whatever column or argument it is: URIs with a password, JWTs, provider keys. */
export function secretsIn(value: string): SecretInText[] {
  const out: SecretInText[] = [];
  for (const m of value.matchAll(URI_WITH_PASSWORD)) {
    if (!isPlaceholder(decodeSafe(m[2]))) out.push({ what: 'a password in a connection URI', match: m[0] });
  }
  for (const m of value.matchAll(JWT)) {
    const role = jwtClaim(m[0], 'role');
    out.push({ what: `a JSON Web Token${role ? ` (role ${role})` : ''}`, match: m[0] });
  }
  for (const m of value.matchAll(PROVIDER_KEY)) out.push({ what: 'an API key', match: m[0] });
  return out;
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** A string claim of a JWT's payload, if it decodes. */
function jwtClaim(token: string, claim: string): string | undefined {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8'));
    const v = payload?.[claim];
    return typeof v === 'string' && /^[\w.-]{1,64}$/.test(v) ? v : undefined;
  } catch {
    return undefined;
  }
}
