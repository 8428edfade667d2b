// The pg_hba.conf API for the front ends: lint, parse, and the editor helpers.
export { benchHba, generateHbaFile, lintHba } from './lint';
export type { HbaLintContext, HbaLintInput, HbaLintResult } from './lint';
export { parseHba } from './parse';
export type { HbaEntry, HbaInclude, HbaParse, HbaRecord } from './parse';
export { hbaComplete, hbaFormat, hbaHover, hbaOutline } from './editor';
export type { HbaCompletionItem, HbaOutlineItem } from './editor';
