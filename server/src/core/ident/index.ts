// The pg_ident.conf API for the front ends: lint and parse.
export { lintIdent } from './lint';
export type { IdentLintContext, IdentLintResult } from './lint';
export { parseIdent, validMappings } from './parse';
export type { IdentEntry, IdentMapping, IdentParse } from './parse';
