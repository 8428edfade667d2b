// Judgements of conf-preload (the hardening modules a server loads through
// shared_preload_libraries: pgaudit, passwordcheck or credcheck, auth_delay) and
// conf-pgaudit (whether a loaded pgaudit logs schema and data changes), CIS PostgreSQL
// Benchmark 3.2.

import { Judgement, Reader } from './view';

/** The module names of a shared_preload_libraries value: '$libdir/pgaudit.so' is pgaudit. */
export function preloadModules(value: string): string[] {
  return value
    .split(',')
    .map((x) => x.trim().replace(/^"(.*)"$/, '$1'))
    .filter(Boolean)
    .map((x) => x.replace(/^.*[\\/]/, '').replace(/\.(so|dll|dylib)$/i, '').toLowerCase());
}

const CLASSES = ['read', 'write', 'function', 'role', 'ddl', 'misc', 'misc_set'];

/** The statement classes a pgaudit.log value logs: `all`, `-class` removes, `none` is empty. */
export function pgauditClasses(value: string): Set<string> {
  const out = new Set<string>();
  for (const raw of value.split(',')) {
    const t = raw.trim().toLowerCase();
    const minus = t.startsWith('-');
    const name = minus ? t.slice(1) : t;
    const names = name === 'all' ? CLASSES : name === 'none' ? [] : [name];
    for (const n of names) minus ? out.delete(n) : out.add(n);
  }
  return out;
}

export function judgePreload(r: Reader): Judgement[] {
  const value = r.raw('shared_preload_libraries');
  if (value === undefined) return [];
  const mods = new Set(preloadModules(value));
  const out: Judgement[] = [];
  const missing: string[] = [];
  if (!mods.has('pgaudit')) missing.push('pgaudit (an audit log of who ran which statement)');
  if (!mods.has('passwordcheck') && !mods.has('credcheck')) missing.push('passwordcheck or credcheck (refuses weak passwords set in SQL)');
  if (!mods.has('auth_delay')) missing.push('auth_delay (slows down password guessing)');
  if (missing.length) {
    out.push({
      ruleId: 'conf-preload',
      at: ['shared_preload_libraries'],
      message: `shared_preload_libraries ${value ? `'${value}'` : 'is empty and'} loads none of ${missing.join('; ')}.`,
    });
  }
  if (mods.has('pgaudit')) {
    const log = r.raw('pgaudit.log');
    if (log !== undefined) {
      const have = pgauditClasses(log);
      const lacks = ['ddl', 'write'].filter((c) => !have.has(c));
      if (lacks.length) {
        const kept = log.trim().toLowerCase() === 'none' || log.trim() === '' ? '' : `${log.trim()}, `;
        out.push({
          ruleId: 'conf-pgaudit',
          at: ['pgaudit.log', 'shared_preload_libraries'],
          message: `pgaudit is loaded but pgaudit.log '${log}' does not log ${lacks.join(' or ')}: ${lacks.includes('ddl') ? 'schema and role changes' : ''}${lacks.length === 2 ? ' and ' : ''}${lacks.includes('write') ? 'data changes' : ''} leave no audit record; log at least ddl and write.`,
          fix: {
            value: kept + lacks.join(', '),
            consequence: 'every statement of those classes is written to the server log with its text: the log grows, and may hold data values',
          },
        });
      }
    }
  }
  return out;
}
