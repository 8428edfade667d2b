// Locating a live object in the workspace: the statements in the workspace's SQL files
// that create, alter, grant to or revoke from a role, or create, alter, grant on or put a
// policy on a table ("Find in workspace" in the role tree), and the statement that
// creates the object a live finding is about (where the finding is placed). Pure over
// (uri, text); the analysis worker decides which files to read.

import { parseSchemaQualified } from '../identifier';
import { analyzeSql } from '../lint';
import { QualifiedName, rangeVarName, roleSpec } from '../sql/ast';
import { SqlStmt } from '../sql/document';
import type { DbFinding } from './catalog';

export interface WorkspaceLocation {
  uri: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  /** The statement's first line, for a pick list. */
  preview: string;
  /** The statement kind, e.g. 'GRANT', 'CREATE ROLE'. */
  kind: string;
}

export interface FindQuery {
  role?: string;
  table?: { schema: string; name: string };
  /** With `table`: only the CREATE POLICY of this name on it (a finding about one policy is placed on it). */
  policy?: string;
  /** Only statements that create the object (CREATE ROLE / TABLE / VIEW / FUNCTION / SCHEMA). */
  createOnly?: boolean;
  function?: { schema: string; name: string };
  schema?: string;
}

/** A name in a file matches a catalog name when the names agree and the file's schema, if written, agrees too. */
function tableMatches(q: QualifiedName | undefined, t: { schema: string; name: string }): boolean {
  return !!q && q.name === t.name && (q.schema === undefined || q.schema === t.schema);
}

function names(list: unknown[] | undefined): string[] {
  const out: string[] = [];
  for (const g of list ?? []) {
    const r = roleSpec(g);
    if (r?.kind === 'name' && typeof r.name === 'string') out.push(r.name);
  }
  return out;
}

/** What a statement does with the queried object, or undefined when it does not name it. */
function classify(s: SqlStmt, q: FindQuery): string | undefined {
  const n = s.node;
  const grantWord = (g: any) => (g?.is_grant ? 'GRANT' : 'REVOKE');
  if (q.role !== undefined) {
    const role = q.role;
    switch (s.type) {
      case 'CreateRoleStmt':
        return n.role === role ? 'CREATE ROLE' : undefined;
      case 'AlterRoleStmt':
      case 'AlterRoleSetStmt':
        if (q.createOnly) return undefined;
        return roleSpec(n.role)?.name === role ? 'ALTER ROLE' : undefined;
      case 'GrantStmt':
        if (q.createOnly) return undefined;
        return names(n.grantees).includes(role) ? grantWord(n) : undefined;
      case 'GrantRoleStmt': {
        if (q.createOnly) return undefined;
        const granted = (n.granted_roles ?? []).map((g: any) => g?.AccessPriv?.priv_name);
        return granted.includes(role) || names(n.grantee_roles).includes(role) ? grantWord(n) : undefined;
      }
      case 'AlterDefaultPrivilegesStmt':
        if (q.createOnly) return undefined;
        return names(n.action?.grantees).includes(role) ? `ALTER DEFAULT PRIVILEGES ${grantWord(n.action)}` : undefined;
      case 'CreatePolicyStmt':
      case 'AlterPolicyStmt':
        if (q.createOnly) return undefined;
        return names(n.roles).includes(role) ? (s.type === 'CreatePolicyStmt' ? 'CREATE POLICY' : 'ALTER POLICY') : undefined;
    }
    return undefined;
  }
  if (q.table !== undefined) {
    const t = q.table;
    if (q.policy !== undefined) {
      return s.type === 'CreatePolicyStmt' && n.policy_name === q.policy && tableMatches(rangeVarName(n.table), t) ? 'CREATE POLICY' : undefined;
    }
    switch (s.type) {
      case 'CreateStmt':
        return tableMatches(rangeVarName(n.relation), t) ? 'CREATE TABLE' : undefined;
      case 'CreateTableAsStmt':
        return tableMatches(rangeVarName(n.into?.rel), t) ? (n.objtype === 'OBJECT_MATVIEW' ? 'CREATE MATERIALIZED VIEW' : 'CREATE TABLE') : undefined;
      case 'ViewStmt':
        return tableMatches(rangeVarName(n.view), t) ? 'CREATE VIEW' : undefined;
      case 'AlterTableStmt':
        if (q.createOnly) return undefined;
        return tableMatches(rangeVarName(n.relation), t) ? 'ALTER TABLE' : undefined;
      case 'GrantStmt':
        if (q.createOnly || n.objtype !== 'OBJECT_TABLE') return undefined;
        if (n.targtype === 'ACL_TARGET_ALL_IN_SCHEMA') {
          const schemas = (n.objects ?? []).map((o: any) => o?.String?.sval);
          return schemas.includes(t.schema) ? `${grantWord(n)} ON ALL TABLES IN SCHEMA` : undefined;
        }
        return (n.objects ?? []).some((o: any) => tableMatches(rangeVarName(o), t)) ? grantWord(n) : undefined;
      case 'CreatePolicyStmt':
      case 'AlterPolicyStmt':
        if (q.createOnly) return undefined;
        return tableMatches(rangeVarName(n.table), t) ? (s.type === 'CreatePolicyStmt' ? 'CREATE POLICY' : 'ALTER POLICY') : undefined;
    }
    return undefined;
  }
  if (q.function !== undefined && s.type === 'CreateFunctionStmt') {
    const parts = (n.funcname ?? []).map((x: any) => x?.String?.sval).filter((x: unknown) => typeof x === 'string');
    const name = parts[parts.length - 1];
    const schema = parts.length > 1 ? parts[parts.length - 2] : undefined;
    return name === q.function.name && (schema === undefined || schema === q.function.schema) ? 'CREATE FUNCTION' : undefined;
  }
  if (q.schema !== undefined && s.type === 'CreateSchemaStmt') {
    return n.schemaname === q.schema ? 'CREATE SCHEMA' : undefined;
  }
  return undefined;
}

/** The lower-case text a file must contain to possibly name the object: a cheap filter before parsing. */
export function needle(q: FindQuery): string | undefined {
  const name = q.role ?? q.table?.name ?? q.function?.name ?? q.schema;
  // A name holding a double quote is written with the quote doubled; skip the filter then.
  return name !== undefined && !name.includes('"') ? name.toLowerCase() : undefined;
}

/** Every statement of one SQL text matching the query, with its range and first line. */
export function findInText(uri: string, text: string, q: FindQuery): Array<WorkspaceLocation & { firstLineEnd: WorkspaceLocation['range']['end'] }> {
  const n = needle(q);
  if (n !== undefined && !text.toLowerCase().includes(n)) return [];
  const a = analyzeSql(uri, text);
  const out: Array<WorkspaceLocation & { firstLineEnd: WorkspaceLocation['range']['end'] }> = [];
  for (const s of a.doc.statements) {
    let kind: string | undefined;
    try {
      kind = classify(s, q);
    } catch {
      kind = undefined;
    }
    if (!kind) continue;
    const start = a.lines.positionAt(s.start);
    const end = a.lines.positionAt(s.end);
    // The source line where the statement starts, as the user wrote it (with its semicolon, if on that line).
    const firstLine = text.slice(s.start, a.lines.lineEnd(start.line)).trim();
    out.push({ uri, range: { start, end }, firstLineEnd: a.lines.positionAt(Math.max(s.start, Math.min(s.end, a.lines.lineEnd(start.line)))), preview: firstLine.length > 160 ? firstLine.slice(0, 157) + '...' : firstLine, kind });
  }
  return out;
}

/**
 * The CREATE statement that would declare the object of a live finding (role, table, schema or
 * function); for a finding about one policy, its CREATE POLICY, where the SQL rule that judges the
 * same policy reports (so the editor can show the problem once). See `fallbacks`.
 */
export function locateQuery(f: Pick<DbFinding, 'objectKind' | 'object' | 'policy'>): FindQuery | undefined {
  switch (f.objectKind) {
    case 'role':
      return { role: f.object, createOnly: true };
    case 'table': {
      const t = parseSchemaQualified(f.object, 'public');
      return t ? { table: t, createOnly: true, ...(f.policy !== undefined ? { policy: f.policy } : {}) } : undefined;
    }
    case 'schema': {
      // A schema is one name, which parseSchemaQualified reads as a table in public.
      const t = parseSchemaQualified(f.object, 'public');
      return t ? { schema: t.name, createOnly: true } : undefined;
    }
    case 'function': {
      const paren = f.object.indexOf('(');
      const t = parseSchemaQualified(paren >= 0 ? f.object.slice(0, paren) : f.object, 'public');
      return t ? { function: t, createOnly: true } : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * For each query, the first statement matching it in the files (in the given order),
 * with its range cut to the statement's first line: where a live finding is placed.
 */
export function placeFirst(files: ReadonlyArray<{ uri: string; text: string }>, queries: readonly FindQuery[], onError?: (uri: string, err: unknown) => void): Array<WorkspaceLocation | undefined> {
  const out = placeEach(files, queries, onError);
  // A policy the workspace never creates: the finding goes on its table's CREATE instead.
  const again = queries.map((q, i) => (out[i] === undefined && q.policy !== undefined ? i : -1)).filter((i) => i >= 0);
  if (again.length) placeEach(files, again.map((i) => ({ ...queries[i], policy: undefined })), onError).forEach((at, k) => (out[again[k]] = at));
  return out;
}

/** The queries to try in turn for a finding: its own, then (for a policy) its table's CREATE. */
export function fallbacks(q: FindQuery): FindQuery[] {
  return q.policy === undefined ? [q] : [q, { ...q, policy: undefined }];
}

function placeEach(files: ReadonlyArray<{ uri: string; text: string }>, queries: readonly FindQuery[], onError?: (uri: string, err: unknown) => void): Array<WorkspaceLocation | undefined> {
  const out: Array<WorkspaceLocation | undefined> = queries.map(() => undefined);
  for (const f of files) {
    if (out.every((x) => x !== undefined)) break;
    try {
      queries.forEach((q, i) => {
        if (out[i]) return;
        const [hit] = findInText(f.uri, f.text, q);
        if (hit) out[i] = { uri: hit.uri, range: { start: hit.range.start, end: hit.firstLineEnd }, preview: hit.preview, kind: hit.kind };
      });
    } catch (err) {
      onError?.(f.uri, err);
    }
  }
  return out;
}
