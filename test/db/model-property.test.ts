// The declared state judged by the server on random histories: fast-check draws short
// sequences of CREATE ROLE, ALTER ROLE, GRANT/REVOKE (roles, tables, columns, sequences,
// functions, schemas, ON ALL ... IN SCHEMA, the test's own database), ALTER DEFAULT PRIVILEGES, CREATE TABLE /
// SEQUENCE / FUNCTION (as the migrations' role or another), OWNER TO, ENABLE/FORCE RLS and
// CREATE/ALTER/DROP POLICY, with USING / WITH CHECK conditions that pg_get_expr writes back
// differently (casts, = ANY, BETWEEN spelt out, qualified names). Membership grants are spelt
// as the server's major takes them (16's WITH INHERIT/SET options; WITH ADMIN OPTION
// before), so the test runs on every major of the CI matrix. Each sequence runs in one database under its own role and
// schema prefix; a statement the server refuses is left out of the history, as a migration
// tool would stop there. The model folded from the statements that ran must have no drift
// against the catalog read back (core/drift): every difference is a bug in the model.

import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Client } from 'pg';
import { compareFacts } from '../../server/src/core/drift/compare';
import { declaredFacts } from '../../server/src/core/drift/declared';
import { liveFacts } from '../../server/src/core/drift/live';
import { loadParser } from '../../server/src/core/sql/parser';
import { readLiveAccess } from '../../server/src/db/access';
import { startCluster, TestCluster } from '../support/postgres';
import { modelOf } from '../unit/model/support';

/** 500 on the newest major; fewer on the older ones of the CI matrix, to keep its time small. */
const RUNS = Number(process.env.PGWARDEN_PROPERTY_RUNS ?? (process.env.PGWARDEN_PG_MATRIX ? 150 : 500));
const SEED = 20261205;

type Role = 'a' | 'b' | 'c' | 'd';
const role = fc.constantFrom<Role>('a', 'b', 'c', 'd');
const grantee = fc.constantFrom<Role | 'PUBLIC'>('a', 'b', 'c', 'd', 'PUBLIC');
const table = fc.constantFrom('t1', 't2');
const policy = fc.constantFrom('p1', 'p2');
const maybeAs = fc.option(role, { nil: undefined });
const who = (g: Role | 'PUBLIC') => (g === 'PUBLIC' ? 'PUBLIC' : `$${g}`);

/** GRANT/REVOKE targets with privileges that fit them. */
const TARGETS: Array<[string, string[]]> = [
  ['TABLE $s.t1', ['ALL', 'SELECT', 'SELECT, UPDATE', 'SELECT (x)', 'UPDATE (id, x)', 'INSERT', 'DELETE, TRUNCATE']],
  ['TABLE $s.t2', ['ALL', 'SELECT', 'INSERT (x)', 'REFERENCES']],
  ['SEQUENCE $s.sq', ['ALL', 'USAGE', 'SELECT, UPDATE']],
  ['FUNCTION $s.f(int)', ['ALL', 'EXECUTE']],
  ['FUNCTION $s.g(int)', ['EXECUTE']],
  ['SCHEMA $s', ['ALL', 'USAGE', 'CREATE']],
  ['ALL TABLES IN SCHEMA $s', ['ALL', 'SELECT', 'UPDATE']],
  ['ALL FUNCTIONS IN SCHEMA $s', ['EXECUTE']],
  ['ALL SEQUENCES IN SCHEMA $s', ['USAGE', 'SELECT']],
];
const DEFAULTS: Array<[string, string[]]> = [
  ['TABLES', ['ALL', 'SELECT', 'INSERT, UPDATE']],
  ['SEQUENCES', ['ALL', 'USAGE']],
  ['FUNCTIONS', ['EXECUTE']],
  ['TYPES', ['USAGE']],
];
const privilegeOn = (list: Array<[string, string[]]>) =>
  fc.integer({ min: 0, max: list.length - 1 }).chain((i) => fc.constantFrom(...list[i][1]).map((privs) => ({ target: list[i][0], privs })));

/** Policy conditions written as authors write them, which pg_get_expr writes back otherwise (casts, ANY, qualified names). */
const USING = ['id > 0', 'x = current_user', "x IN ('a', 'b')", 'id BETWEEN 1 AND 5', "x LIKE 'a%'", 'EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolname = x)', 'true'];
const CHECK = ['true', 'x IS NOT NULL', 'id <> 0'];

/**
 * Role membership grants as each major spells them: from 16 a grant carries ADMIN, INHERIT
 * and SET options (GRANT ... WITH INHERIT FALSE); before, only WITH ADMIN OPTION.
 */
function membershipSteps(major: number): Array<fc.WeightedArbitrary<string>> {
  if (major < 16)
    return [
      { arbitrary: fc.record({ r: role, m: role, admin: fc.boolean() }).map(({ r, m, admin }) => `GRANT $${r} TO $${m}${admin ? ' WITH ADMIN OPTION' : ''}`), weight: 3 },
      { arbitrary: fc.record({ r: role, m: role, admin: fc.boolean() }).map(({ r, m, admin }) => `REVOKE ${admin ? 'ADMIN OPTION FOR ' : ''}$${r} FROM $${m}`), weight: 3 },
    ];
  return [
    { arbitrary: fc.record({ r: role, m: role, opts: fc.subarray(['ADMIN TRUE', 'INHERIT FALSE', 'INHERIT TRUE', 'SET FALSE'], { maxLength: 2 }) }).map(({ r, m, opts }) => `GRANT $${r} TO $${m}${opts.length ? ` WITH ${opts.join(', ')}` : ''}`), weight: 3 },
    {
      arbitrary: fc.record({ r: role, m: role, opt: fc.constantFrom('', 'ADMIN OPTION FOR ', 'INHERIT OPTION FOR ', 'SET OPTION FOR ') }).map(({ r, m, opt }) => `REVOKE ${opt}$${r} FROM $${m}`),
      weight: 3,
    },
  ];
}

/** One step of a history, as SQL with `$a`..`$d` standing for the sequence's roles and `$s` for its schema. */
const step = (major: number): fc.Arbitrary<string> => fc.oneof(
  fc
    .record({ r: fc.constantFrom('c', 'd'), attrs: fc.subarray(['LOGIN', 'CREATEDB', 'BYPASSRLS', 'NOINHERIT', 'CREATEROLE', 'REPLICATION', 'IN ROLE $a', 'ROLE $b', 'ADMIN $a']) })
    .map(({ r, attrs }) => `CREATE ROLE $${r} ${attrs.join(' ')}`),
  fc
    .record({ r: role, attrs: fc.subarray(['LOGIN', 'NOLOGIN', 'BYPASSRLS', 'NOBYPASSRLS', 'INHERIT', 'NOINHERIT', 'SUPERUSER', 'NOSUPERUSER'], { minLength: 1, maxLength: 2 }) })
    .map(({ r, attrs }) => `ALTER ROLE $${r} ${attrs.join(' ')}`),
  ...membershipSteps(major),
  fc.record({ t: table, as: maybeAs }).map(({ t, as }) => asRole(as, `CREATE TABLE $s.${t} (id int, x text)`)),
  maybeAs.map((as) => asRole(as, `CREATE SEQUENCE $s.sq`)),
  fc
    .record({ as: maybeAs, f: fc.constantFrom('f', 'g'), definer: fc.boolean(), path: fc.boolean() })
    .map(({ as, f, definer, path }) => asRole(as, `CREATE FUNCTION $s.${f}(int) RETURNS int LANGUAGE sql${definer ? ' SECURITY DEFINER' : ''}${path ? ' SET search_path = pg_catalog, pg_temp' : ''} AS 'SELECT 1'`)),
  {
    arbitrary: fc.record({ grant: fc.boolean(), on: privilegeOn(TARGETS), g: grantee, option: fc.boolean() }).map(({ grant, on, g, option }) => {
      if (grant) return `GRANT ${on.privs} ON ${on.target} TO ${who(g)}${option && g !== 'PUBLIC' ? ' WITH GRANT OPTION' : ''}`;
      return `REVOKE ${option ? 'GRANT OPTION FOR ' : ''}${on.privs} ON ${on.target} FROM ${who(g)}`;
    }),
    weight: 6,
  },
  {
    arbitrary: fc.record({ as: role, viaSetRole: fc.boolean(), inSchema: fc.boolean(), grant: fc.boolean(), on: privilegeOn(DEFAULTS), g: grantee }).map(({ as, viaSetRole, inSchema, grant, on, g }) => {
      const body = `${inSchema ? 'IN SCHEMA $s ' : ''}${grant ? `GRANT ${on.privs} ON ${on.target} TO ${who(g)}` : `REVOKE ${on.privs} ON ${on.target} FROM ${who(g)}`}`;
      return viaSetRole ? asRole(as, `ALTER DEFAULT PRIVILEGES ${body}`) : `ALTER DEFAULT PRIVILEGES FOR ROLE $${as} ${body}`;
    }),
    weight: 4,
  },
  {
    // The test's own database (`prop`): CONNECT, TEMPORARY and CREATE, granted and revoked.
    arbitrary: fc
      .record({ grant: fc.boolean(), privs: fc.constantFrom('CONNECT', 'TEMPORARY', 'TEMP', 'CREATE', 'ALL', 'CONNECT, CREATE'), g: grantee, option: fc.boolean() })
      .map(({ grant, privs, g, option }) =>
        grant ? `GRANT ${privs} ON DATABASE prop TO ${who(g)}${option && g !== 'PUBLIC' ? ' WITH GRANT OPTION' : ''}` : `REVOKE ${option ? 'GRANT OPTION FOR ' : ''}${privs} ON DATABASE prop FROM ${who(g)}`,
      ),
    weight: 2,
  },
  fc
    .record({ target: fc.constantFrom('TABLE $s.t1', 'TABLE $s.t2', 'SEQUENCE $s.sq', 'FUNCTION $s.f(int)', 'SCHEMA $s'), r: role })
    .map(({ target, r }) => `ALTER ${target} OWNER TO $${r}`),
  fc
    .record({ t: table, action: fc.constantFrom('ENABLE', 'DISABLE', 'FORCE', 'NO FORCE') })
    .map(({ t, action }) => `ALTER TABLE $s.${t} ${action} ROW LEVEL SECURITY`),
  {
    arbitrary: fc
      .record({
        t: table,
        p: policy,
        restrictive: fc.boolean(),
        cmd: fc.constantFrom('ALL', 'SELECT', 'INSERT', 'UPDATE', 'DELETE'),
        roles: fc.subarray(['$a', '$b', '$c', 'PUBLIC'], { maxLength: 2 }),
        u: fc.constantFrom(...USING),
        c: fc.constantFrom(...CHECK),
      })
      .map(({ t, p, restrictive, cmd, roles, u, c }) => {
        const using = cmd === 'INSERT' ? '' : ` USING (${u})`;
        const check = cmd === 'INSERT' || cmd === 'UPDATE' || cmd === 'ALL' ? ` WITH CHECK (${c})` : '';
        return `CREATE POLICY ${p} ON $s.${t}${restrictive ? ' AS RESTRICTIVE' : ''} FOR ${cmd}${roles.length ? ` TO ${roles.join(', ')}` : ''}${using}${check}`;
      }),
    weight: 2,
  },
  {
    arbitrary: fc.record({ t: table, p: policy, roles: fc.subarray(['$a', '$b', '$c', 'PUBLIC'], { minLength: 1, maxLength: 2 }) }).map(({ t, p, roles }) => `ALTER POLICY ${p} ON $s.${t} TO ${roles.join(', ')}`),
    weight: 2,
  },
  {
    arbitrary: fc.record({ t: table, p: policy, u: fc.constantFrom(...USING) }).map(({ t, p, u }) => `ALTER POLICY ${p} ON $s.${t} USING (${u})`),
    weight: 2,
  },
  fc.record({ t: table, p: policy }).map(({ t, p }) => `DROP POLICY ${p} ON $s.${t}`),
  role.map((r) => `DROP ROLE $${r}`),
  table.map((t) => `DROP TABLE $s.${t}`),
);

function asRole(as: Role | undefined, sql: string): string {
  return as ? `SET ROLE $${as}; ${sql}; RESET ROLE` : sql;
}

const SETUP = [
  'CREATE ROLE $a',
  'CREATE ROLE $b',
  'GRANT $a TO $b',
  'CREATE SCHEMA $s',
  'GRANT USAGE, CREATE ON SCHEMA $s TO PUBLIC',
  'CREATE TABLE $s.t1 (id int, x text)',
  'CREATE POLICY p1 ON $s.t1 USING (true)',
  "CREATE FUNCTION $s.f(int) RETURNS int LANGUAGE sql AS 'SELECT 1'",
  // Every history shares the database: PUBLIC's privileges on it start as PostgreSQL gives them.
  'REVOKE ALL PRIVILEGES ON DATABASE prop FROM PUBLIC',
  'GRANT CONNECT, TEMPORARY ON DATABASE prop TO PUBLIC',
];

describe('the declared state against the server (random histories)', function () {
  this.timeout(900_000);
  let cluster: TestCluster;
  let client: Client;
  let sequence = 0;
  /** How many statements of each kind the server accepted, so a generator that only makes refused statements fails the test. */
  const ranKinds = new Map<string, number>();
  const kindOf = (sql: string) => {
    const kinds: Array<[string, RegExp]> = [
      ['SET ROLE', /^SET ROLE/],
      ['OWNER TO', / OWNER TO /],
      // The setup's reset of PUBLIC is counted apart, so the drawn database grants are counted alone.
      ['database reset', /^(REVOKE ALL PRIVILEGES|GRANT CONNECT, TEMPORARY) ON DATABASE /],
      ['GRANT ON DATABASE', /^GRANT .* ON DATABASE /],
      ['REVOKE ON DATABASE', /^REVOKE .* ON DATABASE /],
      ['GRANT ON ALL', /^GRANT .* ON ALL /],
      ['REVOKE ON ALL', /^REVOKE .* ON ALL /],
      ['GRANT privilege', /^GRANT .* ON /],
      ['REVOKE GRANT OPTION FOR', /^REVOKE GRANT OPTION FOR/],
      ['REVOKE privilege', /^REVOKE .* ON /],
      ['ALTER DEFAULT PRIVILEGES GRANT', /^ALTER DEFAULT PRIVILEGES .*GRANT/],
      ['ALTER DEFAULT PRIVILEGES REVOKE', /^ALTER DEFAULT PRIVILEGES .*REVOKE/],
      ['GRANT role WITH', /^GRANT \S+ TO \S+ WITH/],
      ['GRANT role', /^GRANT /],
      ['REVOKE role option', /^REVOKE \w+ OPTION FOR/],
      ['REVOKE role', /^REVOKE /],
      ['ROW LEVEL SECURITY', /ROW LEVEL SECURITY/],
      ['ALTER ROLE', /^ALTER ROLE/],
      ['ALTER POLICY USING', /^ALTER POLICY .* USING/],
      ['ALTER POLICY', /^ALTER POLICY/],
      ['CREATE POLICY', /^CREATE POLICY/],
      ['DROP POLICY', /^DROP POLICY/],
    ];
    return kinds.find(([, re]) => re.test(sql))?.[0] ?? sql.split(' $')[0];
  };

  before(async () => {
    await loadParser();
    cluster = await startCluster();
    cluster.psql('CREATE DATABASE prop');
    client = new Client({ host: cluster.host, port: cluster.port, user: cluster.superuser, password: cluster.password, database: 'prop' });
    await client.connect();
  });

  after(async () => {
    await client?.end();
    cluster?.stop();
  });

  it(`has no drift between the model and the catalog on ${RUNS} random histories`, async () => {
    const db = { query: async <T>(text: string, values: unknown[] = []) => (await client.query(text, values)).rows as T[], major: cluster.version };
    await fc.assert(
      fc.asyncProperty(fc.array(step(cluster.version), { minLength: 1, maxLength: 12 }), async (steps) => {
        const prefix = `q${++sequence}_`;
        const ran: string[] = [];
        for (const s of [...SETUP, ...steps]) {
          // `$a` is the sequence's role a, `$s` its schema.
          const sql = s.replace(/\$([abcds])\b/g, `${prefix}$1`);
          try {
            await client.query(sql);
            ran.push(sql);
            ranKinds.set(kindOf(s), (ranKinds.get(kindOf(s)) ?? 0) + 1);
          } catch {
            await client.query('RESET ROLE');
          }
        }
        const model = modelOf({ 'history.sql': ran.map((s) => `${s};\n`).join('') });
        const declared = declaredFacts(model.state, cluster.superuser, { major: cluster.version, database: { name: 'prop', owner: cluster.superuser } });
        const ours = (r: string) => r.startsWith(prefix);
        // Before 15 the public schema belongs to the bootstrap superuser and PUBLIC may CREATE
        // in it; the model starts from 15's. The histories never touch it: it is left out there.
        const oldPublic = cluster.version < 15;
        if (oldPublic) declared.facts = declared.facts.filter((f) => !f.key.includes(' schema:public'));
        const live = await readLiveAccess(db, oldPublic ? [`${prefix}s`] : [`${prefix}s`, 'public'], cluster.superuser);
        live.roles = live.roles.filter((r) => r.builtin || ours(r.name));
        live.memberships = live.memberships.filter((m) => ours(m.role) || ours(m.member));
        live.defaultAcls = live.defaultAcls.filter((d) => ours(d.role));
        // The database's grants to earlier histories' roles are theirs.
        for (const o of live.objects) if (o.kind === 'database') o.acl = o.acl.filter((i) => i.grantee === 'public' || i.grantee === o.owner || ours(i.grantee));
        const drift = compareFacts(declared, liveFacts(live), { migrationRole: cluster.superuser });
        assert.deepEqual(
          drift.map((f) => f.message),
          [],
          `history:\n${ran.join(';\n')}`,
        );
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: process.env.PGWARDEN_SHRINK !== '1' },
    );
    const few = [...ranKinds].filter(([, n]) => n < Math.max(3, RUNS / 50)).map(([k, n]) => `${k}: ${n}`);
    assert.deepEqual(few, [], `statement kinds the server rarely accepted: ${JSON.stringify([...ranKinds])}`);
    assert.ok(ranKinds.size >= 24, JSON.stringify([...ranKinds]));
  });
});
