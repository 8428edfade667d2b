// db-tablespace-in-datadir: a tablespace whose directory lies inside the data directory
// (CIS 1.9, pgdsat 1.9). The data directory's layout belongs to the server: a tablespace
// there is copied twice by file-level backups and shares the data
// directory's partition, so filling it stops the whole cluster. pg_tablespace_location()
// is readable by every role; data_directory only by superusers and pg_read_all_settings,
// and without it the rule stays silent (the audit lists it as not checked).

import { quoteIdent } from '../../identifier';
import { LiveRule, liveMeta } from '../rule';
import { settingRow } from '../settings';

/** Whether a tablespace location lies in the data directory: relative (in-place) or below it. */
export function insideDataDirectory(location: string, dataDirectory: string): boolean {
  if (!location.startsWith('/')) return true;
  const dir = dataDirectory.replace(/\/+$/, '');
  const loc = location.replace(/\/+$/, '');
  return loc === dir || loc.startsWith(`${dir}/`);
}

export const dbTablespaceInDatadir: LiveRule = {
  meta: liveMeta('db-tablespace-in-datadir', 'warning', "A tablespace's directory lies inside the server's data directory."),
  check(s, ctx) {
    const dataDirectory = settingRow(s.settings, 'data_directory')?.setting;
    if (!dataDirectory || !s.tablespaces) return;
    for (const t of s.tablespaces) {
      if (!insideDataDirectory(t.location, dataDirectory)) continue;
      const where = t.location.startsWith('/') ? `"${t.location}", inside the data directory ${dataDirectory}` : `"${t.location}", an in-place tablespace inside the data directory (allow_in_place_tablespaces, meant for tests)`;
      ctx.report({
        objectKind: 'setting',
        object: `tablespace ${quoteIdent(t.name)}`,
        message: `Tablespace "${t.name}" is at ${where}: file-level backups copy it twice, and it fills the data directory's partition. Create a tablespace on its own volume, move the objects (ALTER TABLE ... SET TABLESPACE), then DROP TABLESPACE ${quoteIdent(t.name)}.`,
      });
    }
  },
};
