// Small readers for libpg-query's JSON AST. Fields equal to zero, false or empty are left
// out of that JSON, so every reader tolerates a missing field.

export interface QualifiedName {
  schema?: string;
  name: string;
}

/** `RangeVar` -> schema and relation name (already case-folded by the parser). */
export function rangeVarName(rv: any): QualifiedName | undefined {
  const r = rv?.RangeVar ?? rv;
  if (!r || typeof r.relname !== 'string') return undefined;
  return r.schemaname ? { schema: r.schemaname, name: r.relname } : { name: r.relname };
}

/** A list of `String` nodes (a qualified name) -> its parts. */
export function stringList(list: any[] | undefined): string[] {
  return (list ?? []).map((n) => n?.String?.sval ?? '').filter((s: string) => s !== '');
}

export function qualifiedFromList(list: any[] | undefined): QualifiedName | undefined {
  const parts = stringList(list);
  if (parts.length === 0) return undefined;
  const name = parts[parts.length - 1];
  return parts.length > 1 ? { schema: parts[parts.length - 2], name } : { name };
}

export function formatName(q: QualifiedName): string {
  return q.schema ? `${q.schema}.${q.name}` : q.name;
}

export type RoleSpecKind = 'public' | 'current_user' | 'session_user' | 'current_role' | 'name';

/** A `RoleSpec` node -> its kind, name and byte location. */
export function roleSpec(node: any): { kind: RoleSpecKind; name?: string; location?: number } | undefined {
  const r = node?.RoleSpec ?? node;
  if (!r || typeof r.roletype !== 'string') return undefined;
  switch (r.roletype) {
    case 'ROLESPEC_PUBLIC':
      return { kind: 'public', location: r.location };
    case 'ROLESPEC_CURRENT_USER':
      return { kind: 'current_user', location: r.location };
    case 'ROLESPEC_SESSION_USER':
      return { kind: 'session_user', location: r.location };
    case 'ROLESPEC_CURRENT_ROLE':
      return { kind: 'current_role', location: r.location };
    default:
      return { kind: 'name', name: r.rolename, location: r.location };
  }
}

/** The value of a `DefElem` argument: booleans, integers, strings and name lists. */
export function defElemValue(def: any): string | number | boolean | undefined {
  const arg = def?.arg;
  if (arg === undefined) return undefined;
  if (arg.Boolean) return arg.Boolean.boolval === true;
  if (arg.Integer) return arg.Integer.ival ?? 0;
  if (arg.String) return arg.String.sval ?? '';
  if (arg.Float) return Number(arg.Float.fval);
  if (arg.TypeName) return stringList(arg.TypeName.names).join('.');
  if (Array.isArray(arg.List?.items)) return stringList(arg.List.items).join('.');
  return undefined;
}

/** Depth-first walk over every object node of an AST, calling `visit(key, value)`. */
export function walk(node: unknown, visit: (type: string, value: any) => void): void {
  const stack: unknown[] = [node];
  while (stack.length > 0) {
    const cur = stack.pop();
    if (Array.isArray(cur)) {
      for (let i = cur.length - 1; i >= 0; i--) stack.push(cur[i]);
    } else if (cur && typeof cur === 'object') {
      // for-in visits the same keys in the same order as Object.entries on the parser's
      // plain objects, without an array of pairs per node (rules walk every tree).
      const o = cur as Record<string, unknown>;
      for (const k in o) {
        const v = o[k];
        if (v && typeof v === 'object') {
          if (!Array.isArray(v) && isUpper(k.charCodeAt(0))) visit(k, v);
          stack.push(v);
        }
      }
    }
  }
}

/** An ASCII capital letter: node kinds are written `SelectStmt`, fields `targetList`. */
const isUpper = (c: number): boolean => c >= 65 && c <= 90;

/** A string constant node (`A_Const` with `sval`) -> its value and byte location. */
export function stringConst(node: any): { value: string; location?: number } | undefined {
  const c = node?.A_Const;
  if (!c || !c.sval) return undefined;
  return { value: c.sval.sval ?? '', location: c.location };
}
