// The path of a new migration after the last one, named the way the project's tool names
// its files, so "Adopt into migrations" writes a file the tool runs next: the next number
// (zero padding kept), or the current UTC timestamp for timestamped versions; Flyway's
// V<n>__, golang-migrate's .up.sql, and Prisma's and Diesel's folder per migration.

import { posix } from 'node:path';

const TITLE = 'adopt_live_access';

/** A timestamp with as many digits as `width` (YYYYMMDDHHMMSS cut or padded). */
function stamp(now: Date, width: number): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const full = `${now.getUTCFullYear()}${p(now.getUTCMonth() + 1)}${p(now.getUTCDate())}${p(now.getUTCHours())}${p(now.getUTCMinutes())}${p(now.getUTCSeconds())}`;
  return full.length >= width ? full.slice(0, width) : full.padEnd(width, '0');
}

/** The version after `last`: a timestamp (12 digits or more) becomes now, a number the next one; never one that sorts before `last`. */
export function nextVersion(last: string, now: Date): string {
  const next = (BigInt(last) + 1n).toString().padStart(last.length, '0');
  if (last.length < 12) return next;
  const t = stamp(now, last.length);
  return BigInt(t) > BigInt(last) ? t : next;
}

/**
 * Where the next migration goes, '/'-separated: beside `last` (the last migration's path,
 * '/'-separated) and named like it. Without one, `migrations/<timestamp>_adopt_live_access.sql`
 * under `root`.
 */
export function nextMigrationPath(root: string, last: string | undefined, now: Date): string {
  if (!last) return posix.join(root, 'migrations', `${stamp(now, 14)}_${TITLE}.sql`);
  const dir = posix.dirname(last);
  const base = posix.basename(last);
  // Prisma (<ts>_name/migration.sql) and Diesel (<ts>_name/up.sql): a new folder.
  const folder = /^(\d+)[_-]/.exec(posix.basename(dir));
  if ((base === 'migration.sql' || base === 'up.sql') && folder) return posix.join(posix.dirname(dir), `${nextVersion(folder[1], now)}_${TITLE}`, base);
  // Flyway: V<version>__description.sql, the version's last number counted up.
  const flyway = /^V((?:\d+[._])*)(\d+)__.+\.sql$/i.exec(base);
  if (flyway) return posix.join(dir, `V${flyway[1]}${nextVersion(flyway[2], now)}__${TITLE}.sql`);
  // golang-migrate: <version>_title.up.sql.
  const updown = /^(\d+)[._-].*?[._]up\.sql$/i.exec(base);
  if (updown) return posix.join(dir, `${nextVersion(updown[1], now)}_${TITLE}.up.sql`);
  // Numbered or timestamped (goose, dbmate, Supabase, hand-rolled): <version>_title.sql.
  const num = /^(\d+)([._-]).*\.sql$/i.exec(base) ?? /^(\d+)()\.sql$/i.exec(base);
  if (num) return posix.join(dir, `${nextVersion(num[1], now)}${num[2] || '_'}${TITLE}.sql`);
  // Anything else (sqitch, plain schema files): beside the last one, for the author to place.
  return posix.join(dir, `${TITLE}.sql`);
}
