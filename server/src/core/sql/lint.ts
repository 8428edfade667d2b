// Runs the SQL rules over a parsed document and returns raw findings (syntax errors
// included); suppressions and severities are applied by the caller through lintDocument.

import { Finding, ruleEnabled } from '../rules';
import { detach, SqlDocument, SqlStmt } from './document';
import { fileKind, fileKindKey } from './file-kind';
import { SqlRule, SqlRuleContext } from './rule';
import { SQL_RULES } from './rules';
import { restoreWritten } from './placeholders';
import { NEWER_VERSION } from './newer-syntax';
import { expectedToFail } from './expected-failure';

export const SYNTAX_ERROR = 'syntax-error';

/** Rules indexed by the statement kinds they inspect, built once. */
const byType = new Map<string, SqlRule[]>();
const everyType: SqlRule[] = [];
for (const rule of SQL_RULES) {
  if (rule.types === '*') everyType.push(rule);
  else for (const t of rule.types) (byType.get(t) ?? byType.set(t, []).get(t)!).push(rule);
}

// Findings are remembered per statement so that an edit re-runs the rules only for the
// statements it touched. A rule's findings are a pure function of what the key below
// captures: the statement (its AST node, shared through the ParseCache by statement
// text), its place among the document's statements, the rest of the line after it (fixes
// insert there), the workspace's facts (its version changes whenever a fact does), the
// configuration and the document. Rules must not read other statements of the document;
// every rule today reads only its own statement, the rest of its line and the workspace.
// Stored findings are relative to the statement's start and shifted on reuse, so typing
// in one statement does not invalidate the statements after it.

interface Memo {
  /** Workspace, facts version, configuration and document (the same string object per lint). */
  docKey: string;
  ordinal: number;
  length: number;
  semicolon: number;
  rest: string;
  /** The document's text of the statement when it differs from the parse text, else ''. */
  raw: string;
  /** Whether the statement stood in a Down section. */
  down: boolean;
  findings: Finding[];
}

/** The last document key, reused while equal so that memo comparisons are by identity. */
let lastDocKey = '';

/** Where a statement's AST node keeps its memos: a symbol, which JSON, Object.keys and for-in never see (a WeakMap lookup per statement cost more than the rest of the check). */
const MEMO = Symbol('pgwarden.findings');
type MemoHolder = { [MEMO]?: Memo[] };
const workspaceIds = new WeakMap<object, number>();
let nextWorkspaceId = 1;

/**
 * A finding of a nested statement whose text is not the document's (decoded or built by
 * EXECUTE): its range mapped back to where the text came from, and no fix, since a fix's
 * edits would be written for text the document does not hold.
 */
function inDocument(s: SqlStmt, f: Finding): Finding {
  const out: Finding = { ...f, start: s.toDocument(f.start), end: s.toDocumentEnd(f.end) };
  if (out.end < out.start) out.end = out.start;
  delete out.fixes;
  return out;
}

function shift(f: Finding, delta: number): Finding {
  if (delta === 0 && !f.fixes) return { ...f };
  const out: Finding = { ...f, start: f.start + delta, end: f.end + delta };
  if (f.fixes) {
    out.fixes = f.fixes.map((fx) => ({ ...fx, edits: fx.edits.map((e) => ({ ...e, start: e.start + delta, end: e.end + delta })) }));
  }
  return out;
}

/**
 * A string to remember, as a copy that keeps no version of the document alive. V8 copies
 * slices and joins shorter than 13 characters anyway (only longer ones point into their
 * source), so those are kept as they are: most remembered rests are a bare line break.
 */
function own(s: string): string {
  return s.length < 13 ? s : detach(s);
}

/** A remembered finding's strings as copies, so they keep no version of the document alive. */
function detachFinding(f: Finding): Finding {
  f.message = own(f.message);
  if (f.fixes) f.fixes = f.fixes.map((fx) => ({ ...fx, title: own(fx.title), edits: fx.edits.map((e) => ({ ...e, newText: own(e.newText) })) }));
  return f;
}

/** The rest of the statement's last line after it, line break included: fixes insert there. */
function lineRest(text: string, from: number): string {
  const nl = text.indexOf('\n', from);
  return text.slice(from, nl < 0 ? text.length : nl + 1);
}

/**
 * Whether the rest of the line at `from` equals a remembered one, without copying it out:
 * a remembered rest holds no line break but its last character, so the text matching it
 * there ends its line at the same place (or the text ends there too).
 */
function sameRest(text: string, from: number, rest: string): boolean {
  if (!text.startsWith(rest, from)) return false;
  return rest.endsWith('\n') || from + rest.length === text.length;
}

export function runSqlRules(doc: SqlDocument, ctx: SqlRuleContext): Finding[] {
  const findings: Finding[] = doc.syntaxErrors.map((e) => {
    const newer = e.newer;
    return newer
      ? {
          ruleId: SYNTAX_ERROR,
          start: e.start,
          end: e.end,
          severity: 'info' as const,
          message: `Not analysed: ${newer} is PostgreSQL ${NEWER_VERSION} syntax, which pgwarden's parser (PostgreSQL 18's) does not read yet, so no rule checked this statement. Servers before PostgreSQL ${NEWER_VERSION} reject it.`,
        }
      : { ruleId: SYNTAX_ERROR, start: e.start, end: e.end, message: `${e.message} (PostgreSQL would reject this statement)` };
  });
  // An extension script a newer install script supersedes is an alternative history no
  // new install runs: only whether PostgreSQL accepts it is worth reporting.
  if (ctx.workspace.superseded(doc.uri)) return findings;
  const off = ctx.config.rules;
  let wsId = workspaceIds.get(ctx.workspace);
  if (wsId === undefined) workspaceIds.set(ctx.workspace, (wsId = nextWorkspaceId++));
  // A CR anywhere decides the line ending a fix inserts when its own line has none.
  // The file's kind (test, pg_dump) is decided by its whole text, so it is part of the key.
  let docKey = `${wsId}:${ctx.workspace.version}\u0000${JSON.stringify(ctx.config)}\u0000${doc.uri}\u0000${doc.text.includes('\r')}\u0000${fileKindKey(fileKind(doc))}`;
  if (docKey === lastDocKey) docKey = lastDocKey;
  else lastDocKey = docKey = detach(docKey);
  // Skipped ranges (meta-commands) in document order, walked alongside the statements.
  const test = fileKind(doc).test;
  // The rules this run applies to each statement kind, in the order they always run:
  // whether a rule is on depends only on the configuration and the file, not the statement.
  const active = new Map<string, SqlRule[]>();
  const activeFor = (type: string): SqlRule[] => {
    let list = active.get(type);
    if (!list) {
      list = [...(byType.get(type) ?? []), ...everyType].filter((rule) => ruleEnabled(rule.meta, off[rule.meta.id]) && !(test && rule.skipTests));
      active.set(type, list);
    }
    return list;
  };
  const skipped = doc.skipped;
  let k = 0;
  doc.statements.forEach((stmt, ordinal) => {
    const unit = stmt.unit;
    const base = unit.start;
    // A transient statement's tree is read again for its rules and let go after them: a memo
    // on it would go with it.
    const node = !stmt.transient && stmt.node && typeof stmt.node === 'object' ? (stmt.node as MemoHolder) : undefined;
    const length = unit.end - base;
    const semicolon = unit.semicolon < 0 ? -1 : unit.semicolon - base;
    const restFrom = Math.max(unit.end, unit.semicolon);
    // psql variables and blanked meta-commands make the document's text differ from the
    // parse text the node stands for (`:x` and `_x` parse alike), so that text counts too.
    while (k < skipped.length && skipped[k].end <= base) k++;
    const blanked = k < skipped.length && skipped[k].start < unit.end;
    const raw = unit.variables.length > 0 || blanked ? doc.text.slice(base, unit.end) : '';
    const memos = node?.[MEMO];
    const hit = memos?.find(
      (m) => m.docKey === docKey && m.ordinal === ordinal && m.length === length && m.semicolon === semicolon && sameRest(doc.text, restFrom, m.rest) && m.raw === raw && m.down === stmt.down,
    );
    if (hit) {
      for (const f of hit.findings) findings.push(shift(f, base));
      return;
    }
    // A statement the script marks as expected to fail (`-- fail`) grants, creates nothing.
    if (expectedToFail(doc.text, restFrom + (unit.semicolon < 0 ? 0 : 1))) return;
    const rest = lineRest(doc.text, restFrom);
    const found: Finding[] = [];
    // A statement an EXECUTE runs once per element of a constant loop gives the same
    // finding at the same place each time; it is reported once.
    let seen: Set<string> | undefined;
    const keep = (f: Finding) => {
      const k = `${f.ruleId}\u0000${f.start}\u0000${f.end}\u0000${f.message}`;
      if ((seen ??= new Set()).has(k)) return;
      seen.add(k);
      found.push(f);
    };
    let failed = false;
    const run = (s: SqlStmt): void => {
      for (const rule of activeFor(s.type)) {
        try {
          for (const f of rule.check(s, ctx)) keep(s.exact ? f : inDocument(s, f));
        } catch (err) {
          failed = true;
          ctx.onInternalError?.(rule.meta.id, err);
        }
      }
      // Statements in DO blocks, routine bodies and constant EXECUTE strings are checked
      // like any other; their findings are remembered with the enclosing statement's.
      if (s.type === 'DoStmt' || s.type === 'CreateFunctionStmt') for (const n of s.nested().stmts) run(n);
    };
    run(stmt);
    stmt.release();
    // The parser saw psql variables and template placeholders as stand-ins (`:SCHEMA` as
    // `_SCHEMA`); messages and fixes show them as written.
    if (unit.variables.length > 0) for (const f of found) restore(f, unit.variables);
    for (const f of found) findings.push(f);
    if (node && !failed) {
      // A few entries per node: the same statement text may stand at several places.
      const list = memos ?? [];
      if (list.length >= 4) list.shift();
      // The key is built from slices of this version's text; a copy lets that text go.
      list.push({ docKey, ordinal, length, semicolon, rest: own(rest), raw: own(raw), down: stmt.down, findings: found.map((f) => detachFinding(shift(f, -base))) });
      if (!memos) node[MEMO] = list;
    }
  });
  return findings;
}

function restore(f: Finding, variables: Parameters<typeof restoreWritten>[1]): void {
  f.message = restoreWritten(f.message, variables);
  if (f.fixes) {
    for (const fx of f.fixes) {
      fx.title = restoreWritten(fx.title, variables);
      for (const e of fx.edits) {
        e.newText = restoreWritten(e.newText, variables);
        if (e.snippet) e.snippet = e.snippet.map((p) => (typeof p === 'string' ? restoreWritten(p, variables) : { ...p, placeholder: restoreWritten(p.placeholder, variables) }));
      }
    }
  }
}
