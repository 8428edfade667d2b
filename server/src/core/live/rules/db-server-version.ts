// db-server-version: the server runs a PostgreSQL major whose community support has ended,
// or a minor release older than the newest one this pgwarden knows for its major (CIS 1.5,
// pgdsat 1.5). Minor releases carry the security fixes (the CVEs of each release); a
// server behind them runs bugs that are public. Read from server_version_num, which every
// role sees. A server newer than the table below is never flagged: pgwarden knows no more.

import { LiveRule, liveMeta } from '../rule';
import { settingRow } from '../settings';

/**
 * The newest minor release of each major that this pgwarden knows (the ones its own tests
 * run, test/support/postgres-versions.json), and the end of each major's community
 * support (the PostgreSQL versioning policy: five years after its first release).
 */
export const KNOWN_RELEASES: Readonly<Record<number, { minor: number; endOfLife: string }>> = {
  13: { minor: 23, endOfLife: '2025-11-13' },
  14: { minor: 23, endOfLife: '2026-11-12' },
  15: { minor: 18, endOfLife: '2027-11-11' },
  16: { minor: 14, endOfLife: '2028-11-09' },
  17: { minor: 10, endOfLife: '2029-11-08' },
  18: { minor: 4, endOfLife: '2030-11-14' },
};

export const dbServerVersion: LiveRule = {
  meta: liveMeta(
    'db-server-version',
    'warning',
    'The server runs a PostgreSQL major past its end of life, or a minor release behind the newest one pgwarden knows for its major.',
  ),
  check(s, ctx) {
    const num = Number(settingRow(s.settings, 'server_version_num')?.setting);
    if (!Number.isInteger(num) || num < 100000) return;
    const major = Math.floor(num / 10000);
    const minor = num % 10000;
    const running = `${major}.${minor}`;
    const known = KNOWN_RELEASES[major];
    if (!known) return;
    if (s.now.slice(0, 10) >= known.endOfLife) {
      ctx.report({
        objectKind: 'setting',
        object: 'server_version',
        message: `The server runs PostgreSQL ${running}; community support for ${major} ended on ${known.endOfLife}, so security bugs found since are not fixed in it. Upgrade to a supported major (pg_upgrade or a dump and restore).`,
      });
    } else if (minor < known.minor) {
      ctx.report({
        objectKind: 'setting',
        object: 'server_version',
        message: `The server runs PostgreSQL ${running}, behind ${major}.${known.minor}: the minor releases between carry security and data-loss fixes that are public. Install the newest ${major}.x packages and restart; a minor update needs no dump or pg_upgrade.`,
      });
    }
  },
};
