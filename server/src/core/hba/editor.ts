// Editor help for pg_hba.conf, as pure functions of the text: hover, completion, an
// outline of records, and a formatter that aligns columns. They use the same tokenizer
// as the linter, so what they show is what the server reads. None of them throws.

import { TextEdit } from '../rules';
import { applyMask, formatAddress, parseNumericHost } from './address';
import { ALL_METHODS, checkOption, CONN_TYPES, ConnType, features } from './parse';
import { HbaToken, LogicalLine, tokenizeLines } from './tokenize';

export type FieldRole = 'type' | 'database' | 'user' | 'address' | 'mask' | 'method' | 'option' | 'include';

export interface HbaCompletionItem {
  label: string;
  kind: 'type' | 'keyword' | 'method' | 'option' | 'value';
  detail: string;
  /** Text to insert when it differs from the label (options end in "="). */
  insertText?: string;
}

export interface HbaOutlineItem {
  /** The record as written, fields separated by one space. */
  name: string;
  detail: string;
  kind: 'record' | 'include';
  /** 1-based line number of the record's first line. */
  line: number;
  /** The whole record (all physical lines), and its first field, as UTF-16 offsets. */
  start: number;
  end: number;
  selectionStart: number;
  selectionEnd: number;
}

const DEFAULT_VERSION = 17;

export const TYPE_DOCS: Record<ConnType | 'include' | 'include_if_exists' | 'include_dir', string> = {
  local: 'Connections over the Unix-domain socket. No address field.',
  host: 'TCP/IP connections, with or without TLS or GSSAPI encryption.',
  hostssl: 'TCP/IP connections that use TLS. Needs `ssl = on`.',
  hostnossl: 'TCP/IP connections that do **not** use TLS.',
  hostgssenc: 'TCP/IP connections that use GSSAPI encryption.',
  hostnogssenc: 'TCP/IP connections that do **not** use GSSAPI encryption (TLS or plain).',
  include: 'Reads another file here, relative to this one (PostgreSQL 16+). A missing file is an error.',
  include_if_exists: 'Reads another file here if it exists, relative to this one (PostgreSQL 16+).',
  include_dir: 'Reads every `*.conf` file of a directory (not dot-files), in C-locale order (PostgreSQL 16+).',
};

export const METHOD_DOCS: Record<string, string> = {
  trust: 'Allows the connection without a password, as any role the record names. **Unsafe** except for one trusted role on the local socket.',
  reject: 'Rejects the connection. Use it to carve exceptions before wider records.',
  'scram-sha-256': 'SCRAM-SHA-256 challenge-response: the password never crosses the wire and the stored verifier cannot be replayed. **Recommended** for passwords.',
  md5: 'MD5 challenge-response (uses SCRAM when the stored password is a SCRAM verifier). The md5 hash is a password equivalent; deprecated in PostgreSQL 18.',
  password: 'Sends the password in **clear text**. Avoid.',
  gss: 'Kerberos via GSSAPI. Options: `include_realm`, `krb_realm`, `map`.',
  sspi: 'Windows SSPI (Kerberos or NTLM). Only on Windows builds.',
  ident: 'Asks the client machine\'s ident server for the user name: unsafe over TCP. On `local` records it means `peer`.',
  peer: 'Takes the operating-system user of the socket peer as the user name (local only). Option: `map`.',
  ldap: 'Checks the password against an LDAP server; the password reaches PostgreSQL in clear. Use `ldaptls=1` or `ldaps`.',
  radius: 'Checks the password against RADIUS servers (`radiusservers`, `radiussecrets` required).',
  cert: 'Authenticates with the TLS client certificate (hostssl only; implies `clientcert=verify-full`). Options: `map`, `clientname`.',
  pam: 'Checks the password with PAM (`pamservice`, `pam_use_hostname`). The password reaches PostgreSQL in clear.',
  bsd: 'BSD Authentication. Only on OpenBSD builds.',
  oauth: 'OAuth 2.0 bearer tokens (PostgreSQL 18+). Needs `issuer`, `scope` and a validator library.',
};

export const KEYWORD_DOCS: Record<string, string> = {
  'database:all': 'Every database, but **not** physical replication connections.',
  'database:sameuser': 'The database named like the connecting role.',
  'database:samerole': 'A database named like a role the connecting role is a member of.',
  'database:samegroup': 'Old spelling of `samerole`.',
  'database:replication': 'Physical replication connections (walsender). Logical replication connections name a database instead.',
  'user:all': 'Every role, **superusers included**.',
  'address:all': 'Every IP address.',
  'address:samehost': 'Any of this server\'s own IP addresses.',
  'address:samenet': 'Any address in a subnet this server is directly connected to.',
};

export const OPTION_DOCS: Record<string, string> = {
  map: 'User name map from pg_ident.conf (ident, peer, gss, sspi, cert; oauth in 18).',
  clientcert: '`verify-ca` or `verify-full`: require a client certificate (hostssl only).',
  clientname: '`CN` or `DN`: which certificate name to match (hostssl, 14+).',
  pamservice: 'The PAM service name (default `postgresql`).',
  pam_use_hostname: '`1` passes the client host name to PAM.',
  ldapserver: 'LDAP server names or addresses, separated by spaces.',
  ldapport: 'LDAP server port.',
  ldapscheme: '`ldaps` for LDAP over TLS.',
  ldaptls: '`1` uses StartTLS to the LDAP server.',
  ldapprefix: 'Simple bind: text before the user name in the DN.',
  ldapsuffix: 'Simple bind: text after the user name in the DN.',
  ldapbasedn: 'Search+bind: where to search for the user.',
  ldapbinddn: 'Search+bind: DN to bind as for the search.',
  ldapbindpasswd: 'Search+bind: password for the search bind (readable in pg_hba_file_rules).',
  ldapsearchattribute: 'Search+bind: attribute that holds the user name (default uid).',
  ldapsearchfilter: 'Search+bind: search filter, with `$username`.',
  ldapurl: 'An RFC 4516 LDAP URL setting server, base DN, attribute and scope at once.',
  radiusservers: 'RADIUS servers, comma-separated (quote the option).',
  radiussecrets: 'Shared secrets: one, or one per server.',
  radiusports: 'Ports: one, or one per server.',
  radiusidentifiers: 'NAS identifiers: one, or one per server.',
  krb_realm: 'Accept only users of this Kerberos realm.',
  include_realm: '`0` strips the realm from the principal (discouraged).',
  compat_realm: 'SSPI: use the SAM-compatible domain name.',
  upn_username: 'SSPI: use the user principal name.',
  issuer: 'OAuth issuer URL (18+).',
  scope: 'OAuth scopes required (18+).',
  validator: 'OAuth validator library (18+).',
  delegate_ident_mapping: 'OAuth: `1` lets the validator map users (18+).',
};

interface Located {
  line: LogicalLine;
  token: HbaToken;
  role: FieldRole;
  fieldIndex: number;
}

/** The role of each field of a logical line, positionally, as the server reads it. */
export function fieldRoles(line: LogicalLine, version = DEFAULT_VERSION): FieldRole[] {
  const out: FieldRole[] = [];
  const first = line.fields[0]?.tokens[0]?.value;
  if (first === undefined) return out;
  if (features(version).include && line.fields.length === 2 && (first === 'include' || first === 'include_if_exists' || first === 'include_dir')) {
    return ['type', 'include'];
  }
  const local = first === 'local';
  let i = 0;
  for (let n = 0; n < line.fields.length; n++) {
    let role: FieldRole;
    if (i === 0) role = 'type';
    else if (i === 1) role = 'database';
    else if (i === 2) role = 'user';
    else if (!local && i === 3) role = 'address';
    else if (!local && i === 4 && out[3] === 'address' && isBareNumeric(line.fields[3].tokens[0])) role = 'mask';
    else if (!out.includes('method')) role = 'method';
    else role = 'option';
    out.push(role);
    i++;
  }
  return out;
}

function isBareNumeric(t: HbaToken): boolean {
  if (!t.quoted && (t.value === 'all' || t.value === 'samehost' || t.value === 'samenet')) return false;
  return !t.value.includes('/') && parseNumericHost(t.value) !== undefined;
}

function locate(text: string, offset: number, version: number): Located | undefined {
  const lines = tokenizeLines(text, features(version).continuation);
  const line = lines.find((l) => offset >= l.start && offset <= l.end);
  if (!line) return undefined;
  const roles = fieldRoles(line, version);
  for (let i = 0; i < line.fields.length; i++) {
    for (const t of line.fields[i].tokens) if (offset >= t.start && offset <= t.end) return { line, token: t, role: roles[i], fieldIndex: i };
  }
  return undefined;
}

/** Markdown explaining the token under the cursor, or undefined. */
export function hbaHover(text: string, offset: number, version = DEFAULT_VERSION): string | undefined {
  try {
    const at = locate(text, offset, version);
    if (!at) return undefined;
    const { token: t, role } = at;
    const v = t.value;
    switch (role) {
      case 'type': {
        const doc = (TYPE_DOCS as Record<string, string>)[v];
        return doc ? `**${v}**: ${doc}` : `\`${v}\` is not a connection type: local, host, hostssl, hostnossl, hostgssenc or hostnogssenc.`;
      }
      case 'include':
        return `File read by \`${at.line.fields[0].tokens[0].value}\`, relative to this file's directory.`;
      case 'database':
      case 'user': {
        if (!t.quoted) {
          const doc = KEYWORD_DOCS[`${role}:${v}`];
          if (doc) return `**${v}** (keyword): ${doc}`;
          if (role === 'user' && v.startsWith('+')) return `**+${v.slice(1)}**: every role that is a member of \`${v.slice(1)}\`, directly or indirectly (superusers only as explicit members).`;
          if (v.startsWith('@')) return `**${v}**: the names listed in the file \`${v.slice(1)}\`, relative to this file.`;
        }
        if (v.startsWith('/')) {
          return features(version).regex
            ? `**${v}**: a regular expression matched against the ${role === 'user' ? 'role' : 'database'} name (PostgreSQL 16+).`
            : `**${v}**: before PostgreSQL 16 this is a plain name, not a regular expression.`;
        }
        const lower = v.toLowerCase();
        if (KEYWORD_DOCS[`${role}:${lower}`]) return `\`${v}\` is a plain ${role === 'user' ? 'role' : 'database'} name here, not the keyword \`${lower}\` (keywords count only unquoted, in lower case).`;
        return `The ${role === 'user' ? 'role' : 'database'} named \`${v}\`.`;
      }
      case 'address': {
        if (!t.quoted && KEYWORD_DOCS[`address:${v}`]) return `**${v}** (keyword): ${KEYWORD_DOCS[`address:${v}`]}`;
        const slash = v.indexOf('/');
        const host = slash >= 0 ? v.slice(0, slash) : v;
        const num = parseNumericHost(host);
        if (!num) return v.startsWith('.') ? `Host names ending in \`${v}\` (reverse DNS, confirmed forward).` : `The host name \`${v}\` (reverse DNS of the client, confirmed forward).`;
        if (slash < 0) return `IPv${num.family} address \`${formatAddress(num.family, num.bytes)}\`; the next field is its mask.`;
        const bits = Number(v.slice(slash + 1));
        if (!Number.isInteger(bits)) return undefined;
        const mask: number[] = [];
        for (let k = 0; k < num.bytes.length; k++) mask.push(Math.max(0, Math.min(8, bits - 8 * k)) === 0 ? 0 : (0xff << (8 - Math.max(0, Math.min(8, bits - 8 * k)))) & 0xff);
        const net = formatAddress(num.family, applyMask(num.bytes, mask));
        const size = num.family === 4 ? 2 ** (32 - bits) : undefined;
        return `IPv${num.family} network \`${net}/${bits}\`${size !== undefined ? ` (${size.toLocaleString('en-US')} address${size === 1 ? '' : 'es'})` : ''}.`;
      }
      case 'mask':
        return `Netmask for the address before it.`;
      case 'method': {
        const doc = METHOD_DOCS[v];
        return doc ? `**${v}**: ${doc}` : `\`${v}\` is not an authentication method.`;
      }
      case 'option': {
        const eq = v.indexOf('=');
        const name = eq < 0 ? v : v.slice(0, eq);
        const doc = OPTION_DOCS[name];
        return doc ? `**${name}**: ${doc}` : `\`${name}\` is not an authentication option.`;
      }
    }
    return undefined;
  } catch {
    return undefined;
  }
}

/** Completion items for the field at the cursor. */
export function hbaComplete(text: string, offset: number, version = DEFAULT_VERSION): HbaCompletionItem[] {
  try {
    const f = features(version);
    const lines = tokenizeLines(text, f.continuation);
    // A cursor just past a line break is on the next line, not at the end of this one.
    const line = lines.find((l) => offset >= l.start && offset <= l.end);
    // The field index at the cursor: fields that end before it, plus one when it is past a blank.
    let index = 0;
    let inToken = false;
    if (line) {
      if (line.comment && offset > line.comment.start) return [];
      for (const fl of line.fields) {
        if (offset > fl.end) index++;
        else if (offset >= fl.start) {
          inToken = true;
          break;
        }
      }
    }
    const fields = line?.fields ?? [];
    const before = fields.slice(0, index);
    // Roles of the fields so far plus the one being typed (a placeholder when the cursor is past a blank).
    const current = inToken ? fields[index] : { tokens: [{ value: 'x', quoted: false, sawQuote: false, start: offset, end: offset }], start: offset, end: offset };
    const roles: FieldRole[] = line ? fieldRoles({ ...line, fields: [...before, current] }, version) : ['type'];
    const role = roles[index] ?? 'type';
    const type = (before[0]?.tokens[0]?.value ?? '') as ConnType;
    const method = roles.indexOf('method') >= 0 ? (roles.indexOf('method') < index ? before[roles.indexOf('method')]?.tokens[0]?.value : undefined) : undefined;
    switch (role) {
      case 'type':
        return [
          ...CONN_TYPES.map((t) => ({ label: t, kind: 'type' as const, detail: TYPE_DOCS[t] })),
          ...(f.include ? (['include', 'include_if_exists', 'include_dir'] as const).map((t) => ({ label: t, kind: 'keyword' as const, detail: TYPE_DOCS[t] })) : []),
        ];
      case 'database':
        return ['all', 'sameuser', 'samerole', 'replication'].map((k) => ({ label: k, kind: 'keyword' as const, detail: KEYWORD_DOCS[`database:${k}`] }));
      case 'user':
        return [{ label: 'all', kind: 'keyword', detail: KEYWORD_DOCS['user:all'] }];
      case 'address':
        return [
          ...['samehost', 'samenet', 'all'].map((k) => ({ label: k, kind: 'keyword' as const, detail: KEYWORD_DOCS[`address:${k}`] })),
          { label: '127.0.0.1/32', kind: 'value', detail: 'IPv4 loopback' },
          { label: '::1/128', kind: 'value', detail: 'IPv6 loopback' },
        ];
      case 'mask':
        return [{ label: '255.255.255.255', kind: 'value', detail: 'a single address' }];
      case 'method':
        return ALL_METHODS.filter((m) => methodAllowed(m, type, version)).map((m) => ({ label: m, kind: 'method' as const, detail: METHOD_DOCS[m] }));
      case 'option':
        return Object.keys(OPTION_DOCS)
          .filter((name) => method !== undefined && optionAllowed(name, type, method, version))
          .map((name) => ({ label: name, kind: 'option' as const, detail: OPTION_DOCS[name], insertText: `${name}=` }));
      default:
        return [];
    }
  } catch {
    return [];
  }
}

function methodAllowed(m: string, type: ConnType, version: number): boolean {
  if (m === 'oauth' && version < 18) return false;
  if (m === 'sspi' || m === 'bsd') return false;
  if (type === 'local') return !['gss', 'cert'].includes(m);
  if (m === 'peer') return false;
  if (m === 'cert') return type === 'hostssl';
  return true;
}

function optionAllowed(name: string, type: ConnType, method: string, version: number): boolean {
  const sample: Record<string, string> = { clientcert: 'verify-full', clientname: 'CN', ldapport: '389', radiusports: '1812' };
  const m = type === 'local' && method === 'ident' ? 'peer' : method;
  return checkOption(name, sample[name] ?? 'x', type, m, version, new Map()) === undefined;
}

/** One outline item per record and include line, in order. */
export function hbaOutline(text: string, version = DEFAULT_VERSION): HbaOutlineItem[] {
  try {
    const roles = (l: LogicalLine) => fieldRoles(l, version);
    return tokenizeLines(text, features(version).continuation)
      .filter((l) => l.fields.length > 0)
      .map((l) => {
        const r = roles(l);
        const name = l.fields.map((f) => text.slice(f.start, f.end).replace(/\\\r?\n/g, '')).join(' ');
        const include = r[1] === 'include';
        const method = l.fields[r.indexOf('method')]?.tokens[0]?.value;
        return {
          name: name.length > 120 ? name.slice(0, 117) + '...' : name,
          detail: include ? 'include' : `line ${l.lineNumber}${method ? ` · ${method}` : ''}`,
          kind: include ? ('include' as const) : ('record' as const),
          line: l.lineNumber,
          start: l.start,
          end: Math.max(l.end, l.fields[l.fields.length - 1].end),
          selectionStart: l.fields[0].start,
          selectionEnd: l.fields[0].end,
        };
      });
  } catch {
    return [];
  }
}

const MAX_COLUMN = 32;

/**
 * Edits that align the columns of one-line records (type, database, user, address,
 * method, options) with spaces. Only the blanks between fields change; a line whose
 * tokens would read differently afterwards, a continued record and an include line are
 * left as they are.
 */
export function hbaFormat(text: string, version = DEFAULT_VERSION): TextEdit[] {
  try {
    const f = features(version);
    const lines = tokenizeLines(text, f.continuation);
    type Row = { line: LogicalLine; cols: string[]; comment?: string };
    const rows: Row[] = [];
    for (const l of lines) {
      if (l.fields.length === 0 || l.physicalLines > 1 || text.slice(l.start, l.end).includes('\0')) continue;
      const roles = fieldRoles(l, version);
      if (roles[1] === 'include') continue;
      const raw = l.fields.map((fl) => text.slice(fl.start, fl.end));
      const cols: string[] = [];
      const at = (role: FieldRole) => roles.indexOf(role);
      cols.push(raw[0], raw[at('database')] ?? '', raw[at('user')] ?? '');
      const addr = at('address') >= 0 ? raw[at('address')] + (at('mask') >= 0 ? ' ' + raw[at('mask')] : '') : '';
      cols.push(addr);
      const m = at('method');
      if (m < 0) continue;
      cols.push(raw[m]);
      const opts = raw.slice(m + 1).join(' ');
      if (opts) cols.push(opts);
      rows.push({ line: l, cols, comment: l.comment ? text.slice(l.comment.start, l.comment.end) : undefined });
    }
    const widths = [0, 0, 0, 0, 0];
    for (const r of rows) for (let k = 0; k < 5; k++) if (r.cols[k].length <= MAX_COLUMN) widths[k] = Math.max(widths[k], r.cols[k].length);
    const edits: TextEdit[] = [];
    for (const r of rows) {
      let out = '';
      const last = r.cols.length - 1;
      r.cols.forEach((c, k) => {
        out += c;
        if (k < last) out += ' '.repeat(Math.max(1, (widths[k] ?? 0) - c.length + 1));
      });
      if (r.comment) out += ' ' + r.comment;
      out = out.replace(/[ \t]+$/, '');
      const start = r.line.start;
      const end = r.line.end;
      const old = text.slice(start, end);
      if (old === out) continue;
      // Refuse any change that would alter what the server reads.
      const before = tokenizeLines(old, f.continuation)[0];
      const after = tokenizeLines(out, f.continuation)[0];
      const sig = (l: LogicalLine | undefined) => JSON.stringify(l?.fields.map((fl) => fl.tokens.map((t) => [t.value, t.quoted])) ?? []) + (l?.comment?.body ?? '');
      if (sig(before) !== sig(after)) continue;
      edits.push({ start, end, newText: out });
    }
    return edits;
  } catch {
    return [];
  }
}
