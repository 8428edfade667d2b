// The `pgwarden` command line: `lint` for files, and `roles`, `access`, `audit` for a live
// database. Exit codes: 0 clean, 1 findings over the limit, 2 bad usage or an internal
// failure (with a one-line reason on stderr).

import { isMainThread } from 'node:worker_threads';
import { loadParser } from '../core/sql/parser';
import './lint-worker';
import { CliError, CliIo } from './io';
import { run as runLint } from './lint';
import { VERSION } from './version';

const HELP = `pgwarden ${VERSION}: secure PostgreSQL authoring

usage:
  pgwarden lint [--format text|json|sarif] [--fix [--unsafe-fixes]] [--diff] [--config FILE] [--lang sql|hba|ident|conf] [--max-warnings N] [--cache [--cache-location PATH] [--cache-strategy metadata|content]] [--threads N|auto] PATH...
  pgwarden roles  --db CONN [--format json|text]
  pgwarden access --db CONN (--role NAME | --table SCHEMA.NAME) [--format json|text|markdown|csv]
  (roles and access print text on a terminal and JSON when piped, unless --format says)
  pgwarden audit  --db CONN [--format text|json|sarif|html] [--workspace DIR]
  pgwarden drift  --db CONN [--format text|json|sarif] [--as ROLE] [--platform-roles A,B] [--sql reconcile|adopt] PATH...
  pgwarden impact [--format text|json] [--project DIR] FILE...
  pgwarden sessions --db CONN [--format text|json] [--idle-limit DURATION]

CONN is a postgresql:// URL, a libpq key=value string or service=NAME. The password
comes from PGPASSWORD, ~/.pgpass or a prompt, never from an argument.
`;

type Command = (argv: string[], io: CliIo) => Promise<number>;

/**
 * The database commands are required on first use, so `lint` (the hot path in CI) does
 * not pay for loading the PostgreSQL client; esbuild keeps such modules lazy in the bundle.
 */
const COMMANDS: Record<string, () => Command> = {
  lint: () => runLint,
  roles: () => (require('./roles') as typeof import('./roles')).run,
  access: () => (require('./access') as typeof import('./access')).run,
  audit: () => (require('./audit') as typeof import('./audit')).run,
  drift: () => (require('./drift') as typeof import('./drift')).run,
  impact: () => (require('./impact') as typeof import('./impact')).run,
  sessions: () => (require('./sessions') as typeof import('./sessions')).run,
};

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(HELP);
    return name ? 0 : 2;
  }
  if (name === '--version') {
    io.stdout(`${VERSION}\n`);
    return 0;
  }
  const dashdash = rest.indexOf('--');
  if (Object.hasOwn(COMMANDS, name) && (dashdash < 0 ? rest : rest.slice(0, dashdash)).some((a) => a === '--help' || a === '-h')) {
    io.stdout(commandHelp(name));
    return 0;
  }
  try {
    const cmd = Object.hasOwn(COMMANDS, name) ? COMMANDS[name]() : undefined;
    if (!cmd) throw new CliError(`unknown command "${name}" (lint, roles, access, audit, drift, impact, sessions; see pgwarden --help)`);
    // lint loads the parser itself, only when something is to be parsed (not on a re-run from its cache).
    if (name !== 'lint') await loadParser();
    return await cmd(rest, io);
  } catch (err) {
    const msg = err instanceof CliError ? err.message : `internal failure: ${err instanceof Error ? err.message : String(err)}`;
    io.stderr(`pgwarden: ${msg.split('\n')[0]}\n`);
    if (err instanceof CliError && msg.includes('\n')) io.stderr(msg.split('\n').slice(1).join('\n') + '\n');
    return 2;
  }
}

/** A command's usage lines from HELP, with the note on connections for the database commands. */
export function commandHelp(name: string): string {
  const lines = HELP.split('\n');
  const usage = lines.filter((l) => l.startsWith(`  pgwarden ${name} `) || l.startsWith(`  pgwarden ${name}\t`));
  const notes = lines.slice(lines.findIndex((l) => l.startsWith('CONN is')));
  return `usage:\n${usage.join('\n')}\n${name === 'lint' ? LINT_NOTES : '\n' + notes.join('\n')}`;
}

const LINT_NOTES = `
Each PATH (a file or a folder, walked for *.sql, pg_hba.conf and postgresql.conf) is a
project root of its own, unless a pgwarden.json above it or a project marker (.git,
package.json, go.mod, sqitch.plan, *.control, ...) inside it says where a project starts.
Each file's pgwarden.json is the nearest one from its folder upward (--config FILE: one
for all). Exit code: 0 clean, 1 findings over the limit, 2 bad usage or internal failure.
--cache keeps facts and findings per file in .pgwardencache (or --cache-location), so a
re-run parses only what changed. It reads again only the files whose size, times or inode
changed (--cache-strategy metadata, the default), or hashes every file (content). A re-run
of the same command over unchanged inputs prints the previous report without linting
(PGWARDEN_REPLAY=off lints anyway). --threads: worker threads (auto: one per core, used once
there is at least 512 KB of SQL to parse).
`;

function promptPassword(question: string): Promise<string | undefined> {
  if (!process.stdin.isTTY) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    process.stderr.write(question);
    const stdin = process.stdin;
    stdin.setRawMode(true);
    stdin.resume();
    let value = '';
    const onData = (buf: Buffer) => {
      for (const ch of buf.toString('utf8')) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          process.stderr.write('\n');
          resolve(value);
          return;
        }
        if (ch === '\u0003') {
          stdin.setRawMode(false);
          process.stderr.write('\n');
          process.exit(2);
        }
        if (ch === '\u007f') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

// A lint pool's worker runs this bundle too (./lint-worker.ts starts it); only the main thread is the command.
if (isMainThread && (require.main === module || process.env.PGWARDEN_CLI_MAIN === '1' || /(^|[\\/])(cli\.js|pgwarden(\.js)?)$/.test(process.argv[1] ?? ''))) {
  const io: CliIo = {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    env: process.env,
    tty: process.stdout.isTTY === true,
    promptPassword,
  };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`pgwarden: internal failure: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 2;
    },
  );
}
