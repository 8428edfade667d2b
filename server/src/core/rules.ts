// The rule contract shared by SQL, pg_hba.conf and postgresql.conf rules. A rule is data
// (RuleMeta) plus a pure function; the registry in ./registry.ts lists them all, and the
// engine applies configuration and suppressions on top of what the functions return.

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export type SeveritySetting = Severity | 'off';
export type Language = 'sql' | 'hba' | 'ident' | 'conf' | 'db';

/** A replacement of the UTF-16 range [start, end) of the document by newText. */
export interface TextEdit {
  start: number;
  end: number;
  newText: string;
  /**
   * newText with its placeholders marked, for editors that insert snippets: the parts,
   * joined with each placeholder's default, are newText exactly (see core/fix.ts).
   */
  snippet?: SnippetPart[];
}

/** A tab stop in a snippet fix: the text the user replaces, and what to offer instead. */
export interface Placeholder {
  /** The default, written when the editor takes plain text. */
  placeholder: string;
  /** What belongs there, so an editor connected to a database can offer its names. */
  kind: 'role' | 'column' | 'privileges' | 'condition';
  /** Choices known from the workspace (declared roles, the table's own columns). */
  choices?: string[];
  /** For a column: the table it belongs to. */
  table?: { schema?: string; name: string };
}

export type SnippetPart = string | Placeholder;

export interface Fix {
  title: string;
  edits: TextEdit[];
  /**
   * A snippet fix carries a placeholder the user must choose (a role name, privileges):
   * it is offered, never preferred, and never applied by fixAll or `--fix`.
   */
  snippet?: boolean;
  /**
   * A safe fix cannot change what the running system accepts (who logs in, who reads
   * which rows, whether the server starts): deleting a pg_hba.conf record no connection
   * can reach, say. Only safe fixes are preferred, and only they are applied by
   * source.fixAll and `pgwarden lint --fix` (unsafe ones need `--unsafe-fixes`).
   * Absent means unsafe: a rule must say so to have its fix applied unasked.
   */
  safe?: boolean;
  /**
   * For an unsafe fix: what applying it can break, as a phrase ("locks out roles whose
   * stored hash is md5"). Shown in the fix's title (see fixTitle in ./fix.ts).
   */
  consequence?: string;
}

/** What a rule function returns: offsets are UTF-16 offsets into the whole document. */
export interface Finding {
  ruleId: string;
  start: number;
  end: number;
  message: string;
  /** Overrides the rule's default severity (used by syntax rules with mixed findings). */
  severity?: Severity;
  fixes?: Fix[];
  /** Marks dead text (shadowed or overridden lines); shown faded in the editor. */
  unnecessary?: boolean;
}

export interface RuleMeta {
  id: string;
  language: Language;
  defaultSeverity: Severity;
  /** One sentence: what the rule flags. Used in SARIF, docs checks and hovers. */
  description: string;
  /** Whether the rule ever offers a fix; checked by the registry test against its table. */
  fixable: boolean;
  /**
   * The rule runs only when pgwarden.json gives it a severity: its findings are true but
   * matter only in some setups (the docs page says which). `defaultSeverity` is what the
   * generated schema and SARIF show for it.
   */
  defaultOff?: boolean;
}

/** Whether a rule runs under a configuration's `rules` settings. */
export function ruleEnabled(meta: Pick<RuleMeta, 'defaultOff'> | undefined, setting: SeveritySetting | undefined): boolean {
  return setting === undefined ? !meta?.defaultOff : setting !== 'off';
}

/**
 * Runs rules over one context, each finding kept in order. A rule that throws is reported
 * through onInternalError and the others still run; without it the error is rethrown.
 */
export function runRules<C>(
  rules: ReadonlyArray<{ meta: RuleMeta; check(ctx: C): Finding[] }>,
  ctx: C,
  onInternalError?: (ruleId: string, err: unknown) => void,
): Finding[] {
  const findings: Finding[] = [];
  for (const rule of rules) {
    try {
      // A loop, not push(...list): a rule can return thousands of findings.
      for (const f of rule.check(ctx)) findings.push(f);
    } catch (err) {
      if (!onInternalError) throw err;
      onInternalError(rule.meta.id, err);
    }
  }
  return findings;
}

export const DOCS_BASE = 'https://github.com/pgwarden/pgwarden/blob/main/docs/rules/';

export function docsUrl(ruleId: string): string {
  return `${DOCS_BASE}${ruleId}.md`;
}

export function compareFindings(a: Finding, b: Finding): number {
  return a.start - b.start || a.end - b.end || a.ruleId.localeCompare(b.ruleId);
}
