// The declared state judged by the server on real projects: each corpus project (or the
// part of it that forms one migration history) is folded as pgwarden folds it, the same
// files are replayed in that order into a fresh database (one session per file, Down
// sections left out, as the migration tools run them), and the model is compared with the
// catalog through core/drift: roles, memberships, owners, aclexplode over every ACL,
// default privileges, policies, RLS flags, SECURITY DEFINER and search_path. Every
// difference is a bug in the model.
//
// Replayed: authelia, nakama and umami (every migration), graphile-crystal's test schemas
// (kitchen-sink with its permissions file and pg11, and dataplan-pg's, on the roles and
// citext its harness makes first), and supabase-tenant-rbac's Supabase migrations (on the part of Supabase's
// platform they use: its roles and the auth schema, made before them as the platform does).
//
// Not replayed, and why:
// - chatbot-ui: needs the `http` extension and Supabase's auth and storage schemas.
// - crunchy-containers: its setup scripts need PostGIS.
// - pagila: pagila-schema.sql creates the `vector` extension (pgvector is not shipped with the server).
// - ory-hydra: its migrations folder starts from the legacy schema that persistence/sql/src
//   creates (a second migration box, run before it), and the folder also holds the
//   oryx/networkx copy of the `networks` migration; file names do not give the runner's order.
// - pg_graphql, pg_net, pgmq, pgsodium, pgvector, supabase-vault, timescaledb: extension
//   scripts (MODULE_PATHNAME C functions, @extschema@, schemas CREATE EXTENSION makes), and
//   tests that need the extension installed.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Client } from 'pg';
import { compareFacts } from '../../server/src/core/drift/compare';
import { declaredFacts } from '../../server/src/core/drift/declared';
import { liveFacts } from '../../server/src/core/drift/live';
import { analyze } from '../../server/src/core/lint';
import { downRanges } from '../../server/src/core/model/layout';
import { Model } from '../../server/src/core/model/model';
import { loadParser } from '../../server/src/core/sql/parser';
import { splitSql } from '../../server/src/core/sql/split';
import { readLiveAccess } from '../../server/src/db/access';
import { collectFiles, listDir, readText } from '../../server/src/files';
import { Projects } from '../../server/src/projects';
import { startCluster, TestCluster } from '../support/postgres';

const CORPUS = resolve(__dirname, '../../../shared/corpus/projects');

interface Case {
  /** The folder replayed, relative to the corpus: the boundary its files are grouped under. */
  folder: string;
  /** Test schemas replayed as a history of their own, in this order (relative to `folder`), instead of the folder's migrations. */
  files?: string[];
  /** What the platform provides before the first migration runs (Supabase's roles and auth schema). */
  platform?: string;
}

/** The part of Supabase's platform the migrations use, as the platform makes it before them. */
const SUPABASE = `
CREATE ROLE anon NOLOGIN; CREATE ROLE authenticated NOLOGIN; CREATE ROLE service_role NOLOGIN BYPASSRLS;
CREATE ROLE authenticator LOGIN NOINHERIT; CREATE ROLE supabase_auth_admin NOLOGIN;
CREATE SCHEMA auth; CREATE TABLE auth.users (id uuid PRIMARY KEY, email text);
CREATE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql STABLE AS $$ SELECT nullif(current_setting('request.jwt.claim.sub', true), '')::uuid $$;
CREATE FUNCTION auth.role() RETURNS text LANGUAGE sql STABLE AS $$ SELECT nullif(current_setting('request.jwt.claim.role', true), '') $$;
CREATE FUNCTION auth.jwt() RETURNS jsonb LANGUAGE sql STABLE AS $$ SELECT coalesce(nullif(current_setting('request.jwt.claims', true), ''), '{}')::jsonb $$;
`;

/** What graphile's test harness makes before its schemas run. */
const GRAPHILE = `
CREATE ROLE postgraphile_test_authenticator; CREATE ROLE postgraphile_test_visitor; CREATE EXTENSION citext;
`;

const CASES: Case[] = [
  { folder: 'authelia' },
  { folder: 'nakama' },
  { folder: 'umami' },
  { folder: 'supabase-tenant-rbac/supabase/migrations', platform: SUPABASE },
  { folder: 'graphile-crystal/postgraphile/postgraphile/__tests__', files: ['kitchen-sink-schema.sql', 'kitchen-sink-permissions.sql', 'pg11-schema.sql'], platform: GRAPHILE },
  { folder: 'graphile-crystal/grafast/dataplan-pg/__tests__', files: ['schema.sql'], platform: GRAPHILE },
];

/** The model of a folder's history as pgwarden folds it; with `files`, of those files folded in that order. */
function modelOf(folder: string, files?: string[]): Model {
  const dir = join(CORPUS, folder);
  const projects = new Projects({ boundaries: [dir] });
  const paths = files ? files.map((f) => join(dir, f)) : collectFiles([dir], projects.ignore, 'sql').files.map((f) => resolve(f.path));
  // A path inside the root that no file has: the root's own history.
  const root = projects.rootOf(join(dir, '.history.sql')).dir;
  const ws = projects.workspace(root);
  for (const path of paths.filter((p) => projects.rootOf(p).dir === root)) {
    const text = readFileSync(path, 'utf8');
    const uri = pathToFileURL(path).toString();
    const a = analyze({ uri, text, language: 'sql', readFile: readText, listDir, parse: projects.parseOptions(path, text) });
    if (a.sql) ws.setFile(uri, a.sql.facts);
  }
  if (!files) return ws.model(pathToFileURL(join(root, '.history.sql')).toString());
  return new Model(paths.map((p) => ({ uri: pathToFileURL(p).toString(), effects: ws.effectsOf(pathToFileURL(p).toString()) ?? [] })));
}

describe('the declared state against the server (real projects replayed)', function () {
  this.timeout(600_000);
  let cluster: TestCluster;
  let sequence = 0;

  before(async function () {
    if (!readText(join(CORPUS, 'README.md'))) this.skip();
    await loadParser();
    cluster = await startCluster();
  });

  after(() => cluster?.stop());

  const connect = async (database: string) => {
    const c = new Client({ host: cluster.host, port: cluster.port, user: cluster.superuser, password: cluster.password, database });
    await c.connect();
    return c;
  };

  for (const c of CASES) {
    it(`${c.folder}${c.files ? ` (${c.files.join(', ')})` : ''}: the model has the catalog's state`, async () => {
      const model = modelOf(c.folder, c.files);
      assert.ok(model.files.length > 0, 'no file folded');
      const database = `corpus_${++sequence}`;
      const admin = await connect('postgres');
      await admin.query(`CREATE DATABASE ${database}`);
      await admin.end();
      const setup = await connect(database);
      // Roles are the cluster's: a platform's role made by an earlier case is made once.
      for (const s of splitSql(c.platform ?? '').statements) await setup.query(s.parseText).catch(() => undefined);
      const rolesBefore = new Set((await setup.query<{ rolname: string }>('SELECT rolname FROM pg_catalog.pg_roles')).rows.map((r) => r.rolname));
      await setup.end();
      // Each file in a session of its own, as the migration tools run them.
      for (const f of model.files) {
        const text = readFileSync(fileURLToPath(f.uri), 'utf8');
        const split = splitSql(text);
        const downs = downRanges(split.comments, text.length);
        const client = await connect(database);
        try {
          for (const s of split.statements) {
            if (downs.some((r) => s.start >= r.start && s.start < r.end)) continue;
            try {
              await client.query(s.parseText);
            } catch (err) {
              assert.fail(`${fileURLToPath(f.uri).slice(CORPUS.length + 1)} does not replay: ${(err as Error).message}\n${s.parseText.slice(0, 200)}`);
            }
          }
        } finally {
          await client.end();
        }
      }
      const client = await connect(database);
      try {
        const declared = declaredFacts(model.state, cluster.superuser);
        const db = { query: async <T>(text: string, values: unknown[] = []) => (await client.query(text, values)).rows as T[], major: cluster.version };
        const live = await readLiveAccess(db, [...declared.schemas], cluster.superuser);
        assert.ok(live.objects.some((o) => o.kind !== 'schema'), 'the replay made no object');
        // Roles are the cluster's: only the ones this history made (or the built-in ones) are its.
        const ours = (r: string) => !rolesBefore.has(r);
        live.roles = live.roles.filter((r) => r.builtin || ours(r.name));
        live.memberships = live.memberships.filter((m) => ours(m.role) || ours(m.member));
        const drift = compareFacts(declared, liveFacts(live), { migrationRole: cluster.superuser });
        assert.deepEqual(
          drift.map((f) => f.message),
          [],
        );
      } finally {
        await client.end();
      }
    });
  }
});
