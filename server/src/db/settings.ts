// Reading pg_settings: every row the connected role may see, and what it may not. Rows of
// superuser-only settings (primary_conninfo, shared_preload_libraries, ...) and the
// sourcefile and sourceline columns are visible only to superusers and members of
// pg_read_all_settings; what is hidden is said in `skipped` and `notes`, never guessed.

import { JUDGED_SETTINGS } from '../core/conf/judge';
import type { ServerSettings, SnapshotSetting } from '../core/live/settings';
import { Session } from './session';

const READ_ALL_SETTINGS = 'pg_read_all_settings';

/** pg_settings as the session sees it; `skipped` and `notes` say what was hidden from it. */
export async function readServerSettings(session: Session, skipped: string[] = [], notes: string[] = []): Promise<ServerSettings> {
  const rows = await session.query<{ name: string; setting: string | null; unit: string | null; source: string; sourcefile: string | null; sourceline: number | null; pending: boolean }>(
    `SELECT s.name, s.setting, s.unit, s.source, s.sourcefile, s.sourceline, s.pending_restart AS pending
       FROM pg_catalog.pg_settings s ORDER BY s.name COLLATE "C"`,
  );
  // has_privs_of_role, which pg_settings itself asks; true for superusers.
  const [{ all }] = await session.query<{ all: boolean }>(`SELECT pg_catalog.pg_has_role($1, 'USAGE') AS all`, [READ_ALL_SETTINGS]);
  const settings: SnapshotSetting[] = rows.map((r) => ({
    name: r.name,
    setting: r.setting ?? '',
    unit: r.unit,
    source: r.source,
    sourcefile: r.sourcefile,
    sourceline: r.sourceline === null ? null : Number(r.sourceline),
    pendingRestart: r.pending,
  }));
  if (!all) {
    const seen = new Set(settings.map((s) => s.name.toLowerCase()));
    // Custom settings (pgaudit.log) have no row while their module is not loaded: not hidden.
    const hidden = JUDGED_SETTINGS.filter((k) => !k.includes('.') && !seen.has(k));
    if (hidden.length) skipped.push(`db-settings: ${hidden.join(', ')} ${hidden.length === 1 ? 'is' : 'are'} visible only to superusers and ${READ_ALL_SETTINGS}; ${hidden.length === 1 ? 'its judgement' : 'their judgements'} did not run`);
    notes.push(`db-settings findings do not say which file and line set a value: pg_settings shows sourcefile and sourceline only to superusers and ${READ_ALL_SETTINGS}`);
  }
  return { rows: settings, sourceHidden: !all };
}
