// pg_hba.conf records as the server parses them (hba.c: parse_hba_line and
// parse_hba_auth_opt of PostgreSQL 13 to 18). A record the server would refuse carries
// `error` with the server's own reason text; the first error wins, as in the server.
// The parser never throws: whatever the text, it returns entries.
// Longer than 400 lines because it follows hba.c's two functions option by option, in
// their order, so the two read side by side.

import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CommentSpan } from '../suppress';
import { Family, maskFromPrefix, parseMaskBits, parseNumericHost, prefixOfMask } from './address';
import { HbaField, HbaToken, LogicalLine, tokenizeLines } from './tokenize';

export type ConnType = 'local' | 'host' | 'hostssl' | 'hostnossl' | 'hostgssenc' | 'hostnogssenc';
export const CONN_TYPES: readonly ConnType[] = ['local', 'host', 'hostssl', 'hostnossl', 'hostgssenc', 'hostnogssenc'];

export const ALL_METHODS = [
  'trust', 'reject', 'scram-sha-256', 'md5', 'password', 'gss', 'sspi', 'ident', 'peer', 'ldap', 'radius', 'cert', 'pam', 'bsd', 'oauth',
] as const;

export interface HbaError {
  message: string;
  /** The token the error is about, when there is one. */
  token?: HbaToken;
  /** Platform-dependent verdicts (sspi, bsd) are warnings: another build may accept them. */
  severity?: 'warning';
}

export interface HbaAddress {
  kind: 'all' | 'samehost' | 'samenet' | 'ip' | 'hostname';
  token: HbaToken;
  maskToken?: HbaToken;
  family?: Family;
  bytes?: number[];
  mask?: number[];
  /** Prefix length of a contiguous mask. */
  prefix?: number;
  hostname?: string;
}

export interface HbaOption {
  name: string;
  value: string;
  token: HbaToken;
}

export interface HbaRecord {
  kind: 'record';
  line: LogicalLine;
  /** The file holding the record: the document's URI or an included file's path. */
  file: string;
  inDocument: boolean;
  error?: HbaError;
  type?: ConnType;
  typeToken?: HbaToken;
  databases: HbaToken[];
  users: HbaToken[];
  address?: HbaAddress;
  /** The method as the server stores it (ident on a local line becomes peer). */
  method?: string;
  /** The method as written. */
  writtenMethod?: string;
  methodToken?: HbaToken;
  options: HbaOption[];
  /** Position in the effective sequence of records, included files counted. */
  index: number;
}

export type IncludeDirective = 'include' | 'include_if_exists' | 'include_dir';

export interface HbaInclude {
  kind: 'include';
  directive: IncludeDirective;
  line: LogicalLine;
  file: string;
  inDocument: boolean;
  pathToken: HbaToken;
  /** The resolved path, when the document's location is known. */
  target?: string;
  error?: HbaError;
}

export type HbaEntry = HbaRecord | HbaInclude;

export interface HbaParseOptions {
  version: number;
  uri?: string;
  readFile?: (path: string) => string | undefined;
  /** Lists a directory's entries (names), for include_dir; undefined when missing. */
  readDir?: (path: string) => string[] | undefined;
}

export interface HbaParse {
  /** The document's own records and include lines, in order. */
  entries: HbaEntry[];
  /** Every record the server would read, included files spliced in, in order. */
  records: HbaRecord[];
  comments: CommentSpan[];
  lines: LogicalLine[];
  version: number;
  uri?: string;
}

/** The deepest include nesting the server follows (CONF_FILE_MAX_DEPTH). */
const MAX_DEPTH = 10;
/** A bound on files read for one document, so a wide include tree cannot take forever. */
const MAX_FILES = 200;

export interface Features {
  continuation: boolean;
  include: boolean;
  regex: boolean;
  oauth: boolean;
  clientname: boolean;
  oldClientcert: boolean;
}

const FEATURES = new Map<number, Features>();

/** What a server version's pg_hba.conf knows. */
export function features(version: number): Features {
  let f = FEATURES.get(version);
  if (!f) {
    f = {
      continuation: version >= 14,
      include: version >= 16,
      regex: version >= 16,
      oauth: version >= 18,
      clientname: version >= 14,
      oldClientcert: version <= 13,
    };
    FEATURES.set(version, f);
  }
  return f;
}

export function uriToPath(uri: string | undefined): string | undefined {
  if (!uri) return undefined;
  if (uri.startsWith('file:')) {
    try {
      return fileURLToPath(uri);
    } catch {
      return undefined;
    }
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(uri) && !/^[a-z]:[\\/]/i.test(uri)) return undefined;
  return uri;
}

function resolveFrom(outer: string | undefined, name: string): string | undefined {
  if (isAbsolute(name)) return name;
  if (!outer) return undefined;
  return join(dirname(outer), name);
}

/** What an auth file's line parser is given: one logical line whose @files are expanded. */
export type LineParser<R> = (line: LogicalLine, fields: HbaField[], file: string, inDocument: boolean, version: number, index: number) => R;

interface State<R> {
  opts: HbaParseOptions;
  records: R[];
  filesRead: number;
  parseLine: LineParser<R>;
}

/** An auth file (pg_hba.conf or pg_ident.conf) read as the server's tokenize_auth_file reads it. */
export interface AuthFile<R> {
  entries: Array<R | HbaInclude>;
  records: R[];
  comments: CommentSpan[];
  lines: LogicalLine[];
}

/**
 * Reads an auth file the way the server does for pg_hba.conf and pg_ident.conf alike:
 * the shared tokenizer, @file expansion, and (16+) include directives, with each line's
 * fields handed to `parseLine`.
 */
export function readAuthFile<R extends { error?: HbaError }>(text: string, opts: HbaParseOptions, parseLine: LineParser<R>): AuthFile<R> {
  const state: State<R> = { opts, records: [], filesRead: 0, parseLine };
  const path = uriToPath(opts.uri);
  const lines = safeTokenize(text, opts.version);
  const entries: Array<R | HbaInclude> = [];
  const comments: CommentSpan[] = [];
  for (const l of lines) if (l.comment) comments.push(l.comment);
  processLines(lines, opts.uri ?? '', path, true, 0, [path ?? ''], state, entries);
  return { entries, records: state.records, comments, lines };
}

export function parseHba(text: string, opts: HbaParseOptions): HbaParse {
  const f = readAuthFile(text, opts, parseRecord);
  return { entries: f.entries, records: f.records, comments: f.comments, lines: f.lines, version: opts.version, uri: opts.uri };
}

function safeTokenize(text: string, version: number): LogicalLine[] {
  return tokenizeLines(typeof text === 'string' ? text : '', features(version).continuation);
}

function processLines<R extends { error?: HbaError }>(
  lines: LogicalLine[],
  file: string,
  path: string | undefined,
  inDocument: boolean,
  depth: number,
  stack: string[],
  state: State<R>,
  entries: Array<R | HbaInclude> | undefined,
): { line: number; message: string } | undefined {
  const f = features(state.opts.version);
  let firstError: { line: number; message: string } | undefined;
  for (const line of lines) {
    if (line.fields.length === 0) continue;
    const expanded = expandAtFiles(line, path, depth, stack, state);
    if (!expanded.error && f.include && line.fields.length === 2) {
      const directive = line.fields[0].tokens[0].value;
      if (directive === 'include' || directive === 'include_if_exists' || directive === 'include_dir') {
        const inc: HbaInclude = {
          kind: 'include',
          directive,
          line,
          file,
          inDocument,
          pathToken: line.fields[1].tokens[0],
        };
        followInclude(inc, path, depth, stack, state);
        entries?.push(inc);
        if (inc.error && !firstError) firstError = { line: line.lineNumber, message: inc.error.message };
        continue;
      }
    }
    const rec = state.parseLine(line, expanded.fields, file, inDocument, state.opts.version, state.records.length);
    if (expanded.error) rec.error = expanded.error;
    state.records.push(rec);
    entries?.push(rec);
    if (rec.error && rec.error.severity !== 'warning' && !firstError) firstError = { line: line.lineNumber, message: rec.error.message };
  }
  return firstError;
}

function followInclude<R extends { error?: HbaError }>(inc: HbaInclude, outer: string | undefined, depth: number, stack: string[], state: State<R>): void {
  const { readFile, readDir } = state.opts;
  const target = resolveFrom(outer, inc.pathToken.value);
  inc.target = target;
  if (!target || !readFile) return;
  const includeFile = (full: string, missingOk: boolean): HbaError | undefined => {
    if (depth + 1 > MAX_DEPTH || stack.includes(full)) {
      const chain = [...stack.slice(stack.indexOf(full) >= 0 ? stack.indexOf(full) : 0), full].map((p) => `"${p}"`).join(' -> ');
      return {
        message: stack.includes(full)
          ? `include cycle ${chain}: the server follows it ${MAX_DEPTH} levels deep, then fails with "could not open file "${full}": maximum nesting depth exceeded"`
          : `could not open file "${full}": maximum nesting depth exceeded`,
        token: inc.pathToken,
      };
    }
    if (state.filesRead >= MAX_FILES) return undefined;
    let content: string | undefined;
    try {
      content = readFile(full);
    } catch {
      content = undefined;
    }
    state.filesRead++;
    if (content === undefined) {
      if (missingOk) return undefined;
      return { message: `could not open file "${full}": No such file or directory`, token: inc.pathToken };
    }
    const bad = processLines(safeTokenize(content, state.opts.version), full, full, false, depth + 1, [...stack, full], state, undefined);
    // Errors deeper down already name their file; keep the chain readable.
    return bad ? { message: `included file "${full}" line ${bad.line}: ${bad.message}`, token: inc.pathToken } : undefined;
  };
  if (inc.directive === 'include_dir') {
    if (!readDir) return;
    let names: string[] | undefined;
    try {
      names = readDir(target);
    } catch {
      names = undefined;
    }
    if (names === undefined) {
      inc.error = { message: `could not open directory "${target}": No such file or directory`, token: inc.pathToken };
      return;
    }
    // The server reads the *.conf files that do not start with a dot, in C-locale order.
    const files = names.filter((n) => n.endsWith('.conf') && !n.startsWith('.')).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const errs: string[] = [];
    for (const name of files) {
      const e = includeFile(join(target, name), false);
      if (e) errs.push(e.message);
    }
    if (errs.length) inc.error = { message: errs.join('; '), token: inc.pathToken };
    return;
  }
  inc.error = includeFile(target, inc.directive === 'include_if_exists');
}

/** Replaces unquoted @file tokens by the tokens of the file, as next_field_expand does. */
function expandAtFiles<R>(
  line: LogicalLine,
  path: string | undefined,
  depth: number,
  stack: string[],
  state: State<R>,
): { fields: HbaField[]; error?: HbaError } {
  const { readFile, version } = state.opts;
  if (!readFile) return { fields: line.fields };
  let any = false;
  for (const fl of line.fields) for (const t of fl.tokens) if (t.value.charCodeAt(0) === 64 && !t.quoted && t.value.length > 1) any = true;
  if (!any) return { fields: line.fields };
  const fields: HbaField[] = [];
  for (const fl of line.fields) {
    const tokens: HbaToken[] = [];
    for (const t of fl.tokens) {
      if (t.quoted || t.value.length <= 1 || t.value[0] !== '@') {
        tokens.push(t);
        continue;
      }
      const name = t.value.slice(1);
      const full = resolveFrom(path, name);
      if (!full) {
        tokens.push(t);
        continue;
      }
      const missing =
        version >= 16
          ? `could not open file "${full}": No such file or directory`
          : `could not open secondary authentication file "@${name}" as "${full}": No such file or directory`;
      if (depth + 1 > MAX_DEPTH || stack.includes(full)) {
        return { fields, error: { message: `could not open file "${full}": maximum nesting depth exceeded`, token: t } };
      }
      let content: string | undefined;
      if (state.filesRead < MAX_FILES) {
        try {
          content = readFile(full);
        } catch {
          content = undefined;
        }
        state.filesRead++;
      } else content = '';
      if (content === undefined) return { fields, error: { message: missing, token: t } };
      const sub = safeTokenize(content, version);
      for (const l of sub) {
        const inner = expandAtFiles(l, full, depth + 1, [...stack, full], state);
        if (inner.error) return { fields, error: { message: inner.error.message, token: t } };
        for (const f2 of inner.fields) for (const t2 of f2.tokens) tokens.push({ ...t2, start: t.start, end: t.end, fromFile: full });
      }
    }
    if (tokens.length) fields.push({ tokens, start: fl.start, end: fl.end });
  }
  return { fields };
}

const KW = (t: HbaToken, k: string) => !t.quoted && t.value === k;

function mapMethods(version: number): string {
  return version >= 18 ? 'ident, peer, gssapi, sspi, cert, and oauth' : 'ident, peer, gssapi, sspi, and cert';
}

// Records that have no databases, users or options (yet) share these frozen empty lists
// rather than each carrying its own.
const NO_TOKENS = Object.freeze([]) as unknown as HbaToken[];
const NO_OPTIONS = Object.freeze([]) as unknown as HbaOption[];

const MASKS: number[][][] = [[], [], [], [], [], [], []];

/**
 * The mask of a prefix length, one array per family and length shared by every record
 * (nothing writes to a record's mask): a file of 10,000 records has a handful of masks.
 */
function sharedMask(bits: number, family: 4 | 6): number[] {
  return (MASKS[family][bits] ??= maskFromPrefix(bits, family));
}

/** Marks a record refused (module-level rather than a closure per record: 10,000 records). */
function fail(rec: HbaRecord, message: string, token?: HbaToken, severity?: 'warning'): HbaRecord {
  rec.error = severity ? { message, token, severity } : { message, token };
  return rec;
}

const lastOf = (fields: HbaField[], k: number): HbaToken => fields[k].tokens[fields[k].tokens.length - 1];

/** parse_hba_line: the record's fields, or the first error the server reports for it. */
export function parseRecord(line: LogicalLine, fields: HbaField[], file: string, inDocument: boolean, version: number, index: number): HbaRecord {
  // Every field from the start, so all records share one shape whose properties live in the
  // object itself (fields added later go to a separate, reallocated property store).
  const rec: HbaRecord = {
    kind: 'record',
    line,
    file,
    inDocument,
    error: undefined,
    type: undefined,
    typeToken: undefined,
    databases: NO_TOKENS,
    users: NO_TOKENS,
    address: undefined,
    method: undefined,
    writtenMethod: undefined,
    methodToken: undefined,
    options: NO_OPTIONS,
    index,
  };
  const f = features(version);
  if (fields.length === 0) return rec;
  let fi = 0;
  const typeField = fields[fi];
  if (typeField.tokens.length > 1) return fail(rec, 'multiple values specified for connection type', typeField.tokens[1]);
  const typeTok = typeField.tokens[0];
  rec.typeToken = typeTok;
  if (!(CONN_TYPES as readonly string[]).includes(typeTok.value)) return fail(rec, `invalid connection type "${typeTok.value}"`, typeTok);
  const type = typeTok.value as ConnType;
  rec.type = type;

  fi++;
  if (fi >= fields.length) return fail(rec, 'end-of-line before database specification', typeTok);
  rec.databases = fields[fi].tokens;
  if (f.regex) {
    for (const t of rec.databases) {
      const bad = regexError(t);
      if (bad) return fail(rec, bad, t);
    }
  }
  fi++;
  if (fi >= fields.length) return fail(rec, 'end-of-line before role specification', fields[fi - 1].tokens[fields[fi - 1].tokens.length - 1]);
  rec.users = fields[fi].tokens;
  if (f.regex) {
    for (const t of rec.users) {
      const bad = regexError(t);
      if (bad) return fail(rec, bad, t);
    }
  }

  if (type !== 'local') {
    fi++;
    if (fi >= fields.length) return fail(rec, 'end-of-line before IP address specification', lastOf(fields, fi - 1));
    const addrField = fields[fi];
    if (addrField.tokens.length > 1) return fail(rec, 'multiple values specified for host address', addrField.tokens[1]);
    const tok = addrField.tokens[0];
    if (KW(tok, 'all')) rec.address = { kind: 'all', token: tok };
    else if (KW(tok, 'samehost')) rec.address = { kind: 'samehost', token: tok };
    else if (KW(tok, 'samenet')) rec.address = { kind: 'samenet', token: tok };
    else {
      const slash = tok.value.indexOf('/');
      const hostPart = slash >= 0 ? tok.value.slice(0, slash) : tok.value;
      const num = parseNumericHost(hostPart);
      if (slash >= 0) {
        if (!num) return fail(rec, `specifying both host name and CIDR mask is invalid: "${tok.value}"`, tok);
        const bits = parseMaskBits(tok.value.slice(slash + 1), num.family);
        if (bits === undefined) return fail(rec, `invalid CIDR mask in address "${tok.value}"`, tok);
        rec.address = { kind: 'ip', token: tok, family: num.family, bytes: num.bytes, prefix: bits, mask: sharedMask(bits, num.family) };
      } else if (!num) {
        rec.address = { kind: 'hostname', token: tok, hostname: hostPart };
      } else {
        fi++;
        if (fi >= fields.length) return fail(rec, 'end-of-line before netmask specification', tok);
        const maskField = fields[fi];
        if (maskField.tokens.length > 1) return fail(rec, 'multiple values specified for netmask', maskField.tokens[1]);
        const mtok = maskField.tokens[0];
        const m = parseNumericHost(mtok.value);
        if (!m) return fail(rec, `invalid IP mask "${mtok.value}": Name or service not known`, mtok);
        if (m.family !== num.family) return fail(rec, 'IP address and mask do not match', mtok);
        rec.address = { kind: 'ip', token: tok, maskToken: mtok, family: num.family, bytes: num.bytes, mask: m.bytes, prefix: prefixOfMask(m.bytes) };
      }
    }
  }

  fi++;
  if (fi >= fields.length) return fail(rec, 'end-of-line before authentication method', lastOf(fields, fi - 1));
  const methodField = fields[fi];
  if (methodField.tokens.length > 1) return fail(rec, 'multiple values specified for authentication type', methodField.tokens[1]);
  const mtok = methodField.tokens[0];
  rec.methodToken = mtok;
  const written = mtok.value;
  rec.writtenMethod = written;
  const known = (ALL_METHODS as readonly string[]).includes(written) && (written !== 'oauth' || f.oauth);
  if (!known) return fail(rec, `invalid authentication method "${written}"`, mtok);
  if (written === 'sspi' || written === 'bsd') {
    return fail(rec, 
      `invalid authentication method "${written}": not supported by this build (${written === 'sspi' ? 'sspi exists only on Windows builds' : 'bsd exists only on OpenBSD builds'})`,
      mtok,
      'warning',
    );
  }
  let method = written;
  if (type === 'local' && method === 'ident') method = 'peer';
  rec.method = method;
  if (type === 'local' && method === 'gss') return fail(rec, 'gssapi authentication is not supported on local sockets', mtok);
  if (type !== 'local' && method === 'peer') return fail(rec, 'peer authentication is only supported on local sockets', mtok);
  if (type !== 'hostssl' && method === 'cert') return fail(rec, 'cert authentication is only supported on hostssl connections', mtok);

  // Without options, only ldap, radius and oauth have more to check: most records end here,
  // without the two maps below.
  if (fi + 1 >= fields.length && method !== 'ldap' && method !== 'radius' && method !== 'oauth') return rec;

  // Options, in order; the first bad one decides.
  const set = new Map<string, string>();
  const lists = new Map<string, string[]>();
  for (fi++; fi < fields.length; fi++) {
    for (const tok of fields[fi].tokens) {
      const eq = tok.value.indexOf('=');
      if (eq < 0) return fail(rec, `authentication option not in name=value format: ${tok.value}`, tok);
      const name = tok.value.slice(0, eq);
      const val = tok.value.slice(eq + 1);
      if (rec.options === NO_OPTIONS) rec.options = [];
      rec.options.push({ name, value: val, token: tok });
      const err = checkOption(name, val, type, method, version, lists);
      if (err) return fail(rec, err, tok);
      set.set(name, val);
    }
  }
  if (rec.options.length) rec.options = rec.options.slice();
  if (method === 'ldap') {
    // An ldapurl sets the base DN from its path and the search attribute from its query.
    const url = ldapUrlParts(set.get('ldapurl'));
    const has = (k: string) => set.has(k) || (k === 'ldapbasedn' && url.dn) || (k === 'ldapsearchattribute' && url.attribute);
    if (has('ldapprefix') || has('ldapsuffix')) {
      if (has('ldapbasedn') || has('ldapbinddn') || has('ldapbindpasswd') || has('ldapsearchattribute') || has('ldapsearchfilter')) {
        return fail(rec, 
          version >= 18
            ? 'cannot mix options for simple bind and search+bind modes'
            : 'cannot use ldapbasedn, ldapbinddn, ldapbindpasswd, ldapsearchattribute, ldapsearchfilter, or ldapurl together with ldapprefix',
          mtok,
        );
      }
    } else if (!has('ldapbasedn')) {
      return fail(rec, 'authentication method "ldap" requires argument "ldapbasedn", "ldapprefix", or "ldapsuffix" to be set', mtok);
    }
    if (has('ldapsearchattribute') && set.has('ldapsearchfilter')) {
      return fail(rec, 'cannot use ldapsearchattribute together with ldapsearchfilter', mtok);
    }
  }
  if (method === 'radius') {
    const servers = lists.get('radiusservers') ?? [];
    const secrets = lists.get('radiussecrets') ?? [];
    if (servers.length === 0) return fail(rec, 'authentication method "radius" requires argument "radiusservers" to be set', mtok);
    if (secrets.length === 0) return fail(rec, 'authentication method "radius" requires argument "radiussecrets" to be set', mtok);
    if (!(secrets.length === 1 || secrets.length === servers.length)) {
      return fail(rec, `the number of RADIUS secrets (${secrets.length}) must be 1 or the same as the number of RADIUS servers (${servers.length})`, mtok);
    }
    const ports = lists.get('radiusports') ?? [];
    if (!(ports.length <= 1 || ports.length === servers.length)) {
      return fail(rec, `the number of RADIUS ports (${ports.length}) must be 1 or the same as the number of RADIUS servers (${servers.length})`, mtok);
    }
    const ids = lists.get('radiusidentifiers') ?? [];
    if (!(ids.length <= 1 || ids.length === servers.length)) {
      return fail(rec, `the number of RADIUS identifiers (${ids.length}) must be 1 or the same as the number of RADIUS servers (${servers.length})`, mtok);
    }
  }
  if (method === 'oauth') {
    if (!set.has('scope')) return fail(rec, 'authentication method "oauth" requires argument "scope" to be set', mtok);
    if (!set.has('issuer')) return fail(rec, 'authentication method "oauth" requires argument "issuer" to be set', mtok);
    if (set.get('delegate_ident_mapping') === '1' && set.has('map')) return fail(rec, 'map cannot be used in combination with delegate_ident_mapping', mtok);
  }
  return rec;
}

function only(name: string, method: string, methods: string[], label: string): string | undefined {
  return methods.includes(method) ? undefined : `authentication option "${name}" is only valid for authentication methods ${label}`;
}

/** The error of one option, or undefined (parse_hba_auth_opt). */
export function checkOption(name: string, val: string, type: ConnType, method: string, version: number, lists: Map<string, string[]>): string | undefined {
  const f = features(version);
  switch (name) {
    case 'map':
      return only(name, method, ['ident', 'peer', 'gss', 'sspi', 'cert', ...(f.oauth ? ['oauth'] : [])], mapMethods(version));
    case 'clientcert':
      if (type !== 'hostssl') return 'clientcert can only be configured for "hostssl" rows';
      if (f.oldClientcert) {
        if (val === '1' || val === 'verify-ca' || val === 'verify-full') return undefined;
        if (val === '0' || val === 'no-verify') {
          return method === 'cert' ? 'clientcert cannot be set to "no-verify" when using "cert" authentication' : undefined;
        }
        return `invalid value for clientcert: "${val}"`;
      }
      if (val === 'verify-full') return undefined;
      if (val === 'verify-ca') return method === 'cert' ? 'clientcert can only be set to "verify-full" when using "cert" authentication' : undefined;
      // The server logs this one but leaves the error column empty (the whole view row is NULL).
      return `invalid value for clientcert: "${val}"`;
    case 'clientname':
      if (!f.clientname) return `unrecognized authentication option name: "${name}"`;
      if (type !== 'hostssl') return 'clientname can only be configured for "hostssl" rows';
      if (val !== 'CN' && val !== 'DN') return `invalid value for clientname: "${val}"`;
      return undefined;
    case 'pamservice':
    case 'pam_use_hostname':
      return only(name, method, ['pam'], 'pam');
    case 'ldapurl': {
      const e = only(name, method, ['ldap'], 'ldap');
      if (e) return e;
      const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(val);
      // OpenLDAP's URL error codes come out through ldap_err2string, so a bad scheme reads "Time limit exceeded".
      if (!m || !['ldap', 'ldaps', 'ldapi', 'cldap'].includes(m[1].toLowerCase())) return `could not parse LDAP URL "${val}": Time limit exceeded`;
      if (m[1] !== 'ldap' && m[1] !== 'ldaps') return `unsupported LDAP URL scheme: ${m[1]}`;
      return undefined;
    }
    case 'ldaptls':
    case 'ldapscheme':
    case 'ldapserver':
    case 'ldapbinddn':
    case 'ldapbindpasswd':
    case 'ldapsearchattribute':
    case 'ldapsearchfilter':
    case 'ldapbasedn':
    case 'ldapprefix':
    case 'ldapsuffix':
      return only(name, method, ['ldap'], 'ldap');
    case 'ldapport': {
      const e = only(name, method, ['ldap'], 'ldap');
      if (e) return e;
      return atoi(val) === 0 ? `invalid LDAP port number: "${val}"` : undefined;
    }
    case 'krb_realm':
    case 'include_realm':
      return only(name, method, ['gss', 'sspi'], 'gssapi and sspi');
    case 'compat_realm':
    case 'upn_username':
      return only(name, method, ['sspi'], 'sspi');
    case 'radiusservers':
    case 'radiusports':
    case 'radiussecrets':
    case 'radiusidentifiers': {
      const e = only(name, method, ['radius'], 'radius');
      if (e) return e;
      const list = splitGucList(val);
      const what = { radiusservers: 'server', radiusports: 'port', radiussecrets: 'secret', radiusidentifiers: 'identifiers' }[name];
      if (!list) return `could not parse RADIUS ${what} list "${val}"`;
      if (name === 'radiusports' && list.some((p) => atoi(p) === 0)) return `invalid RADIUS port number: "${val}"`;
      lists.set(name, list);
      return undefined;
    }
    case 'issuer':
    case 'scope':
    case 'validator':
    case 'delegate_ident_mapping':
      if (!f.oauth) return `unrecognized authentication option name: "${name}"`;
      return only(name, method, ['oauth'], 'oauth');
    default:
      return `unrecognized authentication option name: "${name}"`;
  }
}

/** What an ldapurl sets: a base DN when it has a path, a search attribute when its query names one. */
function ldapUrlParts(url: string | undefined): { dn: boolean; attribute: boolean } {
  if (url === undefined) return { dn: false, attribute: false };
  const m = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/]*\/([^?]*)(?:\?([^?]*))?/.exec(url);
  return { dn: !!m, attribute: !!m?.[2] };
}

/** C's atoi: optional blanks and sign, then digits; 0 when there are none. */
export function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?[0-9]+)/.exec(s);
  return m ? parseInt(m[1], 10) || 0 : 0;
}

/** SplitGUCList with ',' as the server splits RADIUS lists; undefined on a syntax error. */
export function splitGucList(raw: string): string[] | undefined {
  const out: string[] = [];
  const sp = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v';
  let i = 0;
  while (sp(raw[i])) i++;
  if (i >= raw.length) return out;
  for (;;) {
    let name = '';
    if (raw[i] === '"') {
      i++;
      for (;;) {
        const q = raw.indexOf('"', i);
        if (q < 0) return undefined;
        name += raw.slice(i, q);
        if (raw[q + 1] === '"') {
          name += '"';
          i = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
    } else {
      const s = i;
      while (i < raw.length && raw[i] !== ',' && !sp(raw[i])) i++;
      if (s === i) return undefined;
      name = raw.slice(s, i);
    }
    while (sp(raw[i])) i++;
    out.push(name);
    if (raw[i] === ',') {
      i++;
      while (sp(raw[i])) i++;
    } else if (i >= raw.length) return out;
    else return undefined;
  }
}

/**
 * A /regex token (16+) the server cannot compile. PostgreSQL's regular expressions are not
 * JavaScript's, so only unambiguous faults count: unbalanced parentheses or brackets, a
 * trailing backslash, a quantifier with nothing before it.
 */
export function regexError(t: HbaToken): string | undefined {
  if (t.value[0] !== '/') return undefined;
  const re = t.value.slice(1);
  let depth = 0;
  let prevAtom = false;
  for (let i = 0; i < re.length; i++) {
    const c = re[i];
    if (c === '\\') {
      if (i + 1 >= re.length) return `invalid regular expression "${re}": invalid escape \\ sequence`;
      i++;
      prevAtom = true;
      continue;
    }
    if (c === '[') {
      let j = i + 1;
      if (re[j] === '^') j++;
      if (re[j] === ']') j++;
      while (j < re.length && re[j] !== ']') {
        if (re[j] === '[' && (re[j + 1] === ':' || re[j + 1] === '.' || re[j + 1] === '=')) {
          const close = re.indexOf(re[j + 1] + ']', j + 2);
          if (close < 0) return `invalid regular expression "${re}": brackets [] not balanced`;
          j = close + 2;
          continue;
        }
        j++;
      }
      if (j >= re.length) return `invalid regular expression "${re}": brackets [] not balanced`;
      i = j;
      prevAtom = true;
      continue;
    }
    if (c === '(') {
      depth++;
      prevAtom = false;
      continue;
    }
    if (c === ')') {
      if (depth === 0) return `invalid regular expression "${re}": parentheses () not balanced`;
      depth--;
      prevAtom = true;
      continue;
    }
    if ((c === '*' || c === '+' || c === '?') && !prevAtom && re[i - 1] !== '*' && re[i - 1] !== '+' && re[i - 1] !== '?') {
      return `invalid regular expression "${re}": quantifier operand invalid`;
    }
    prevAtom = c !== '|' && c !== '^';
  }
  if (depth > 0) return `invalid regular expression "${re}": parentheses () not balanced`;
  return undefined;
}
