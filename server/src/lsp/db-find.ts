// "Find in workspace" for the role tree: the statements in the workspace's SQL files that
// create, alter, grant to or revoke from a role, or create, alter, grant on or put a
// policy on a table. Also used to place live-audit findings on the file that creates
// the object. Pure over (uri, text); the caller decides which files to read.

import { QualifiedName, rangeVarName, roleSpec } from '../core/sql/ast';
import { analyzeSql } from '../core/lint';
import { SqlStmt } from '../core/sql/document';
import type { DbWorkspaceLocation } from '../shared/protocol';

export interface FindQuery {
  role?: string;
  table?: { schema: string; name: string };
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
export function findInText(uri: string, text: string, q: FindQuery): DbWorkspaceLocation[] {
  const n = needle(q);
  if (n !== undefined && !text.toLowerCase().includes(n)) return [];
  const a = analyzeSql(uri, text);
  const out: DbWorkspaceLocation[] = [];
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
    out.push({ uri, range: { start, end }, preview: firstLine.length > 160 ? firstLine.slice(0, 157) + '...' : firstLine, kind });
  }
  return out;
}
