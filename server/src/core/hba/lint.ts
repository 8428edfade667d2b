// The pg_hba.conf entry point for both front ends: parse the document the way the server
// does (following includes and @files through readFile), run every hba rule, and return
// raw findings plus the comments that carry suppressions. The caller applies suppressions
// and severities (suppress.ts, engine.ts), as for SQL.

import { defaultConfig, PgwardenConfig } from '../config';
import { Finding, runRules } from '../rules';
import { CommentSpan } from '../suppress';
import { LineIndex } from '../text';
import { Workspace } from '../workspace';
import { dirname, join } from 'node:path';
import { identFacts } from '../ident/rule';
import type { IdentFact } from '../ident/rule';
import { HbaParse, parseHba, uriToPath } from './parse';
import { HbaRuleContext } from './rule';
import { HBA_RULES } from './rules';
import { analyzeShadowing, ShadowAnalysis } from './shadow';

export interface HbaLintInput {
  uri: string;
  text: string;
  /** Reads a file an include directive or @file names (absolute path); undefined when missing. */
  readFile?: (path: string) => string | undefined;
  /** Lists a directory's entry names for include_dir; undefined when missing. */
  readDir?: (path: string) => string[] | undefined;
}

export interface HbaLintContext {
  workspace: Workspace;
  config: PgwardenConfig;
  /** Called when a rule throws: the other rules still run. Without it the error is rethrown. */
  onInternalError?: (ruleId: string, err: unknown) => void;
}

export interface HbaLintResult {
  findings: Finding[];
  comments: CommentSpan[];
  parse: HbaParse;
}

export function lintHba(input: HbaLintInput, ctx: HbaLintContext): HbaLintResult {
  const parse = parseHba(input.text, {
    version: ctx.config.postgresVersion,
    uri: input.uri,
    readFile: input.readFile,
    readDir: input.readDir,
  });
  let shadow: ShadowAnalysis | undefined;
  let lines: LineIndex | undefined;
  let maps: { facts: IdentFact[] | undefined } | undefined;
  const rctx: HbaRuleContext = {
    text: input.text,
    parse,
    config: ctx.config,
    workspace: ctx.workspace,
    get lines() {
      return (lines ??= new LineIndex(input.text));
    },
    superusers: ctx.workspace.superusers(ctx.config.superusers),
    shadow: () => (shadow ??= analyzeShadowing(parse.records, ctx.config.postgresVersion)),
    identMaps: () => (maps ??= { facts: ctx.workspace.identMapsFor(input.uri) ?? siblingIdentMaps(input, ctx.config.postgresVersion) }).facts,
  };
  return { findings: runRules(HBA_RULES, rctx, ctx.onInternalError), comments: parse.comments, parse };
}

/** The maps of the pg_ident.conf in the pg_hba.conf's folder, read through readFile (the server's default ident_file). */
function siblingIdentMaps(input: HbaLintInput, version: number): IdentFact[] | undefined {
  const path = uriToPath(input.uri);
  if (!path || !input.readFile) return undefined;
  const identPath = join(dirname(path), 'pg_ident.conf');
  let text: string | undefined;
  try {
    text = input.readFile(identPath);
  } catch {
    return undefined;
  }
  return text === undefined ? undefined : identFacts(text, { version, uri: identPath, readFile: input.readFile, readDir: input.readDir });
}

/**
 * The benchmark: lints a generated pg_hba.conf of `records` records (a realistic mix of
 * types, databases, users, networks and methods, with shadowed and duplicate records among
 * them) and returns the time the lint took. The budget is 200 ms for 10,000 records.
 */
export function benchHba(records = 10000, config?: PgwardenConfig): { ms: number; cpuMs: number; records: number; findings: number; bytes: number } {
  const text = generateHbaFile(records);
  const cfg: PgwardenConfig = config ?? defaultConfig();
  const ws = new Workspace();
  // CPU time as well as wall time: on a loaded machine the wall time also counts waiting.
  // It includes the garbage collector's helper threads, so it can exceed the wall time.
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = lintHba({ uri: 'file:///bench/pg_hba.conf', text }, { workspace: ws, config: cfg });
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { ms, cpuMs: (c.user + c.system) / 1000, records, findings: r.findings.length, bytes: text.length };
}

/** A deterministic pg_hba.conf with `n` records, for benchmarks and property tests. */
export function generateHbaFile(n: number): string {
  const types = ['host', 'hostssl', 'hostnossl', 'hostgssenc', 'hostnogssenc', 'local'];
  const methods = ['scram-sha-256', 'md5', 'reject', 'cert', 'trust', 'ldap ldapserver=ldap.example.com ldapbasedn="dc=example,dc=com"'];
  const lines: string[] = ['# generated pg_hba.conf'];
  let seed = 42;
  const rnd = (m: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % m;
  };
  for (let i = 0; i < n; i++) {
    const type = types[rnd(types.length)];
    const db = rnd(10) === 0 ? 'all' : rnd(10) === 0 ? 'replication' : `db${rnd(200)}`;
    const user = rnd(8) === 0 ? 'all' : rnd(10) === 0 ? `+group${rnd(20)}` : `user${rnd(500)}`;
    const prefix = [8, 16, 24, 32][rnd(4)];
    const addr = rnd(20) === 0 ? `fd00:${rnd(65536).toString(16)}::/64` : `10.${rnd(256)}.${prefix >= 24 ? rnd(256) : 0}.${prefix === 32 ? rnd(256) : 0}/${prefix}`;
    let method = methods[rnd(methods.length)];
    if (method === 'cert' && type !== 'hostssl') method = 'scram-sha-256';
    if (type === 'local') lines.push(`local ${db} ${user} ${method === 'cert' || method.startsWith('ldap') ? 'peer' : method}`);
    else lines.push(`${type} ${db} ${user} ${addr} ${method}`);
  }
  return lines.join('\n') + '\n';
}
