// untrusted-language: functions, procedures and DO blocks in an untrusted procedural
// language, and CREATE EXTENSION / CREATE LANGUAGE of one. Code in those languages runs
// with the operating-system rights of the server process, outside every SQL permission.

import { Finding } from '../../rules';
import { formatName, qualifiedFromList } from '../ast';
import { findName, keywordAndValue } from '../locate';
import { SqlRule } from '../rule';

/**
 * Untrusted procedural languages, each with its trusted counterpart when one exists.
 * `c` and `internal` are untrusted too, but they are how extensions ship compiled code,
 * so they are left to review rather than flagged on every extension script.
 */
export const UNTRUSTED_LANGUAGES: ReadonlyMap<string, string | undefined> = new Map([
  ['plperlu', 'plperl'],
  ['pltclu', 'pltcl'],
  ['plpython3u', undefined],
  ['plpythonu', undefined],
  ['plpython2u', undefined],
  ['plluau', 'pllua'],
  ['javau', 'java'],
  ['plphpu', 'plphp'],
  ['plsh', undefined],
  ['plr', undefined],
]);

/** Extensions that install one of the languages above (PL/Java's `pljava` installs a trusted one as well, so it is left out). */
const UNTRUSTED_EXTENSIONS = new Set(['plperlu', 'pltclu', 'plpython3u', 'plpythonu', 'plpython2u', 'plluau', 'plsh', 'plr']);

const RISK = 'its code runs with the operating-system rights of the server process (files, network, programs), outside every SQL permission';

function advice(lang: string): string {
  const trusted = UNTRUSTED_LANGUAGES.get(lang);
  return trusted ? `Use ${trusted} (the trusted variant), plpgsql or sql.` : 'Use a trusted language such as plpgsql or sql.';
}

export const untrustedLanguage: SqlRule = {
  meta: {
    id: 'untrusted-language',
    language: 'sql',
    defaultSeverity: 'warning',
    description:
      'Functions, procedures and DO blocks in plperlu, plpython3u, pltclu or another untrusted language, and CREATE EXTENSION/LANGUAGE of one.',
    fixable: false,
  },
  types: ['CreateFunctionStmt', 'DoStmt', 'CreateExtensionStmt', 'CreatePLangStmt'],
  check(stmt) {
    const n = stmt.node;
    switch (stmt.type) {
      case 'CreateFunctionStmt':
      case 'DoStmt': {
        const options: any[] = (stmt.type === 'DoStmt' ? n.args : n.options) ?? [];
        const d = options.map((o) => o?.DefElem).find((x) => x?.defname === 'language');
        const lang: unknown = d?.arg?.String?.sval;
        // Language names are case-sensitive once the parser has folded unquoted ones.
        if (typeof lang !== 'string' || !UNTRUSTED_LANGUAGES.has(lang)) return [];
        const range = keywordAndValue(stmt, stmt.offset(d.location));
        const what =
          stmt.type === 'DoStmt'
            ? 'This DO block is'
            : `${n.is_procedure ? 'Procedure' : 'Function'} "${formatName(qualifiedFromList(n.funcname) ?? { name: '?' })}" is`;
        const finding: Finding = {
          ruleId: 'untrusted-language',
          ...range,
          message: `${what} written in ${lang}, an untrusted language: ${RISK}. ${advice(lang)}`,
        };
        return [finding];
      }
      case 'CreateExtensionStmt': {
        const ext: unknown = n.extname;
        if (typeof ext !== 'string' || !UNTRUSTED_EXTENSIONS.has(ext)) return [];
        // `CREATE LANGUAGE name` without a handler is parsed as CREATE EXTENSION.
        const kw = stmt.find(/\b(?:EXTENSION|LANGUAGE)\b/i);
        const at = kw && findName(stmt, ext, kw.end);
        if (!at) return [];
        const written = /^e/i.test(stmt.masked[kw.start - stmt.unit.start]) ? 'EXTENSION' : 'LANGUAGE';
        return [
          {
            ruleId: 'untrusted-language',
            ...at,
            message: `CREATE ${written} ${ext} installs an untrusted language: superusers can then write functions whose code ${RISK.replace(/^its code /, '')}. ${advice(ext)}`,
          },
        ];
      }
      case 'CreatePLangStmt': {
        const lang: unknown = n.plname;
        if (typeof lang !== 'string' || !UNTRUSTED_LANGUAGES.has(lang)) return [];
        const kw = stmt.find(/\bLANGUAGE\b/i);
        const at = kw && findName(stmt, lang, kw.end);
        if (!at) return [];
        const trusted = n.pltrusted
          ? ` Declaring it TRUSTED is worse: any role with USAGE on it can then run code with the server's rights.`
          : '';
        return [
          {
            ruleId: 'untrusted-language',
            ...at,
            message: `CREATE LANGUAGE ${lang} installs an untrusted language: ${RISK}.${trusted} ${advice(lang)}`,
          },
        ];
      }
      default:
        return [];
    }
  },
};
