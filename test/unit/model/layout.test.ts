// The layout of a project's SQL files: each case names a path as the tool writes it and the
// exact kind and tool recognised, and each order case the exact sequence the tool runs.

import assert from 'node:assert/strict';
import { minimatch } from 'minimatch';
import {
  classifyFile,
  compareLayout,
  downRanges,
  FileKind,
  naturalCompare,
  parseSqitchPlan,
  sectionMarker,
} from '../../../server/src/core/model/layout';
import { splitSql } from '../../../server/src/core/sql/split';

const kindOf = (path: string, text?: string) => {
  const l = classifyFile(path, text);
  return [l.kind, l.tool ?? null];
};

/** Paths sorted as the tool runs them. */
const run = (paths: string[], plan?: string[]) =>
  paths
    .map((p) => classifyFile(p, undefined, { sqitchPlan: plan }))
    .sort(compareLayout)
    .map((l) => l.path);

describe('layout', () => {
  describe('kinds and tools by path', () => {
    const table: Array<[string, FileKind, string | null]> = [
      ['db/migration/V1__init.sql', 'up', 'flyway'],
      ['db/migration/V1_1__add.sql', 'up', 'flyway'],
      ['db/migration/U1_1__add.sql', 'down', 'flyway'],
      ['db/migration/R__views.sql', 'up', 'flyway'],
      ['migrations/000001_create_users.up.sql', 'up', 'golang-migrate'],
      ['migrations/000001_create_users.down.sql', 'down', 'golang-migrate'],
      ['internal/storage/migrations/postgres/V0001.Initial_Schema.down.sql', 'down', 'golang-migrate'],
      ['persistence/sql/migrations/20190100000004000000_client.postgres.up.sql', 'up', 'golang-migrate'],
      ['migrations/2020-01-01-000000_create_users/up.sql', 'up', 'diesel'],
      ['migrations/2020-01-01-000000_create_users/down.sql', 'down', 'diesel'],
      ['prisma/migrations/20230101000000_init/migration.sql', 'up', 'prisma'],
      ['deploy/users.sql', 'up', 'sqitch'],
      ['revert/users.sql', 'down', 'sqitch'],
      ['verify/users.sql', 'test', 'sqitch'],
      ['supabase/migrations/20240101000000_init.sql', 'up', 'supabase'],
      ['db/migrations/20180103142001_initial_schema.sql', 'up', 'timestamped'],
      ['migrate/sql/20180805174141-tournaments.sql', 'up', 'timestamped'],
      ['supabase_rbac--1.0.0.sql', 'up', 'extension'],
      ['supabase_rbac--4.0.0--4.1.0.sql', 'up', 'extension'],
      ['sql/updates/2.14.0--2.13.1.sql', 'down', 'extension'],
      ['supabase/seed.sql', 'seed', null],
      ['db/seeds/users.sql', 'seed', null],
      ['supabase/tests/01_escalation.test.sql', 'test', null],
      ['test/sql/bit.sql', 'test', null],
      ['rollback/drop_users.sql', 'down', null],
      ['pagila-schema-jsonb.sql', 'schema', null],
      ['sql/chunk.sql', 'schema', null],
    ];
    for (const [path, kind, tool] of table) {
      it(`${path} is ${kind}${tool ? ` (${tool})` : ''}`, () => assert.deepEqual(kindOf(path), [kind, tool]));
    }
  });

  describe('kinds by content', () => {
    it('recognises pg_dump output whatever the name', () => {
      const dump = '--\n-- PostgreSQL database dump\n--\n\nSET statement_timeout = 0;\n';
      assert.deepEqual(kindOf('internal/testhelpers/sql_schemas/postgres_dump.sql', dump), ['dump', null]);
      assert.deepEqual(kindOf('x.sql', '-- Dumped from database version 16.2\nSET row_security = off;\n'), ['dump', null]);
      const preamble = "-- migrations hash: 14de\n\nSET statement_timeout = 0;\nSELECT pg_catalog.set_config('search_path', '', false);\nSET check_function_bodies = false;\n";
      assert.deepEqual(kindOf('sql_schemas/postgres_dump.sql', preamble), ['dump', null]);
      assert.deepEqual(kindOf('schema.sql', "SELECT pg_catalog.set_config('search_path', '', false);\n"), ['schema', null]);
    });

    it('recognises a pgTAP test by plan() and finish(), and flags it', () => {
      const tap = 'BEGIN;\nSELECT plan(3);\nSELECT ok(true);\nSELECT * FROM finish();\nROLLBACK;\n';
      const l = classifyFile('checks/escalation.sql', tap);
      assert.deepEqual([l.kind, l.pgtap], ['test', true]);
      assert.deepEqual([classifyFile('sql/plan.sql', 'select plan_cache_mode;').kind, classifyFile('sql/plan.sql', 'select plan_cache_mode;').pgtap], ['schema', false]);
    });
  });

  describe('order', () => {
    it('runs Flyway versions numerically, undo after its version, repeatables last', () => {
      assert.deepEqual(run(['V10__c.sql', 'R__views.sql', 'V2__b.sql', 'U2__b.sql', 'V1_1__a.sql', 'V1__a.sql']), [
        'V1__a.sql',
        'V1_1__a.sql',
        'V2__b.sql',
        'U2__b.sql',
        'V10__c.sql',
        'R__views.sql',
      ]);
    });

    it('runs timestamps as numbers even past a double\'s precision, up before down', () => {
      assert.deepEqual(
        run([
          'm/20190100000011000000_client.postgres.up.sql',
          'm/20190100000004000000_client.postgres.down.sql',
          'm/20190100000004000000_client.postgres.up.sql',
          'm/9_x.up.sql',
        ]),
        ['m/9_x.up.sql', 'm/20190100000004000000_client.postgres.up.sql', 'm/20190100000004000000_client.postgres.down.sql', 'm/20190100000011000000_client.postgres.up.sql'],
      );
    });

    it('runs Prisma and diesel folders by their version', () => {
      assert.deepEqual(run(['prisma/migrations/10_b/migration.sql', 'prisma/migrations/02_a/migration.sql']), [
        'prisma/migrations/02_a/migration.sql',
        'prisma/migrations/10_b/migration.sql',
      ]);
    });

    it('runs sqitch changes in plan order, not by name', () => {
      const plan = parseSqitchPlan('%syntax-version=1.0.0\n%project=app\n\nusers 2024-01-01T00:00:00Z A <a@b> # users\nappschema [users] 2024-01-02T00:00:00Z A <a@b>\n@v1.0 2024-01-03T00:00:00Z A <a@b>\n');
      assert.deepEqual(plan, ['users', 'appschema']);
      assert.deepEqual(run(['deploy/appschema.sql', 'deploy/users.sql', 'revert/users.sql'], plan), ['deploy/users.sql', 'revert/users.sql', 'deploy/appschema.sql']);
    });

    it('runs extension installs and upgrades by target version', () => {
      assert.deepEqual(run(['x--1.10.0.sql', 'x--1.9.0--1.10.0.sql', 'x--1.9.0.sql', 'x--1.2.0.sql']), [
        'x--1.2.0.sql',
        'x--1.9.0.sql',
        'x--1.10.0.sql',
        'x--1.9.0--1.10.0.sql',
      ]);
    });

    it('puts plain schema files first, then migrations, then seed data, then tests', () => {
      assert.deepEqual(run(['supabase/tests/a.test.sql', 'supabase/seed.sql', 'supabase/migrations/2_b.sql', 'supabase/migrations/1_a.sql', 'schema.sql']), [
        'schema.sql',
        'supabase/migrations/1_a.sql',
        'supabase/migrations/2_b.sql',
        'supabase/seed.sql',
        'supabase/tests/a.test.sql',
      ]);
    });

    it('follows pgwarden.json: order globs first, kinds by glob', () => {
      const migrations = { order: ['base/**', 'changes/**'], kinds: { seed: ['base/data.sql'] }, roots: [] };
      const opts = { migrations, matchGlob: (p: string, g: string) => minimatch(p, g) };
      const files = ['changes/1_a.sql', 'other.sql', 'base/z.sql', 'base/data.sql'].map((p) => classifyFile(p, undefined, opts)).sort(compareLayout);
      assert.deepEqual(
        files.map((f) => [f.path, f.kind]),
        [
          ['base/z.sql', 'schema'],
          ['base/data.sql', 'seed'],
          ['changes/1_a.sql', 'up'],
          ['other.sql', 'schema'],
        ],
      );
    });

    it('compares digit runs as numbers', () => {
      assert.ok(naturalCompare('2', '10') < 0);
      assert.equal(naturalCompare('0001', '1'), 0);
      assert.ok(naturalCompare('1.9.0', '1.10.0') < 0);
      assert.ok(naturalCompare('a', 'b') < 0);
    });
  });

  describe('sections', () => {
    it('reads goose, sql-migrate and dbmate markers', () => {
      assert.deepEqual(
        [' +goose Up', ' +goose Down', ' +goose StatementBegin', ' +goose StatementEnd', ' +migrate Down', ' migrate:up', ' migrate:down transaction:false', ' up we go'].map(sectionMarker),
        ['up', 'down', 'begin', 'end', 'down', 'up', 'down', undefined],
      );
    });

    it('marks the text under a Down marker up to the next Up marker', () => {
      const text = '-- +goose Up\ncreate table a (id int);\n-- +goose Down\ndrop table a;\n-- +goose Up\ncreate table b (id int);\n-- migrate:down\ndrop table b;\n';
      const ranges = downRanges(splitSql(text).comments, text.length);
      assert.deepEqual(
        ranges.map((r) => text.slice(r.start, r.end)),
        ['\ndrop table a;\n', '\ndrop table b;\n'],
      );
    });
  });
});
