// Statements a script expects PostgreSQL to reject: pg_regress-style tests mark them with a
// comment on the same line (`GRANT USAGE ON LANGUAGE c TO PUBLIC; -- fail`). Such a
// statement changes nothing, so it is neither a finding nor a fact.

/** The comment after a statement on its line that says it fails: `-- fail`, `-- error`, `-- to be failed`, `-- should fail`... */
const EXPECTED_FAILURE = /^[ \t;]*--+\s*(?:fail(?:s|ed|ure)?|error|(?:should|must|will) fail|to be failed|expected to fail|expect(?:ed)? (?:an )?error)\b/i;

/** Whether the text after a statement (from `from`, the end of the statement or its semicolon) marks it as expected to fail. */
export function expectedToFail(text: string, from: number): boolean {
  // Asked of every statement: most have no `--` after them, which is told without copying the line out.
  let i = from;
  for (let c = text.charCodeAt(i); c === 32 || c === 9 || c === 59; c = text.charCodeAt(++i));
  if (text.charCodeAt(i) !== 45 || text.charCodeAt(i + 1) !== 45) return false;
  const nl = text.indexOf('\n', from);
  return EXPECTED_FAILURE.test(text.slice(from, nl < 0 ? text.length : nl));
}
