// Live-database benchmark: a real PostgreSQL with 10,000 more roles and 100,000 grants,
// timed through the db API the role tree and the audit use. The roles: 100 group roles
// and 9,900 login roles, each a member of one group; one group may SET ROLE to a superuser,
// so 99 login roles have an escalation path. The grants: 1,000 tables, each granted to 100
// roles (groups and logins), 100,000 ACL entries. Prints one line of JSON: the first
// level of the tree (group counts and the first page of each group) and a full live
// audit, medians of 5 runs after one warm-up. Needs PostgreSQL server binaries
// (test/support/postgres).
//   node --require tsx/cjs test/bench/live.ts
import { audit, connect, listRoles, roleGroupCounts, RoleGroup } from '../../server/src/db';
import { cleanEnv } from '../db/helpers';
import { startCluster } from '../support/postgres';
import { resolveProfile } from '../../server/src/db';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const c = await startCluster();
  try {
    const t0 = process.hrtime.bigint();
    c.psql(`
      CREATE ROLE scale_admin SUPERUSER NOLOGIN;
      DO $$ BEGIN
        FOR g IN 0..99 LOOP EXECUTE format('CREATE ROLE %I NOLOGIN', 'scale_group_' || g); END LOOP;
        FOR i IN 1..9900 LOOP EXECUTE format('CREATE ROLE %I LOGIN IN ROLE %I', 'scale_' || i, 'scale_group_' || (i % 100)); END LOOP;
      END $$;
      GRANT scale_admin TO scale_group_0;
      CREATE SCHEMA scale;
      DO $$ BEGIN
        FOR t IN 1..1000 LOOP EXECUTE format('CREATE TABLE scale.%I (id int)', 't' || t); END LOOP;
      END $$;`);
    // Table t of block b (10 tables each) is granted to the 100 roles of block b: 99 logins and one group.
    c.psql(`DO $$ DECLARE tabs text; roles text; BEGIN
      FOR b IN 0..99 LOOP
        SELECT string_agg(format('scale.%I', 't' || (b * 10 + k)), ', ') INTO tabs FROM generate_series(1, 10) k;
        SELECT string_agg(format('%I', 'scale_' || (b * 99 + k)), ', ') || format(', %I', 'scale_group_' || b) INTO roles FROM generate_series(1, 99) k;
        EXECUTE format('GRANT SELECT ON %s TO %s', tabs, roles);
      END LOOP; END $$;`);
    const grants = Number(c.psql(`SELECT count(*) FROM pg_class c, aclexplode(c.relacl) a WHERE c.relnamespace = 'scale'::regnamespace AND a.grantee <> c.relowner`).trim());
    const roleCount = Number(c.psql(`SELECT count(*) FROM pg_roles WHERE rolname LIKE 'scale\\_%'`).trim());
    const buildMs = Number(process.hrtime.bigint() - t0) / 1e6;
    const target = resolveProfile({ name: 'bench', host: '127.0.0.1', port: c.port, user: 'postgres', database: 'postgres', sslmode: 'disable' }, cleanEnv());
    const s = await connect(target, async () => c.password);
    const firstLevel: number[] = [];
    const audits: number[] = [];
    let findings = 0;
    let escalations = 0;
    try {
      for (let i = 0; i < 6; i++) {
        let t0 = process.hrtime.bigint();
        await roleGroupCounts(s);
        for (const group of ['superuser', 'login', 'group'] as RoleGroup[]) await listRoles(s, { group, offset: 0, limit: 200 });
        const tree = Number(process.hrtime.bigint() - t0) / 1e6;
        t0 = process.hrtime.bigint();
        const r = await audit(s);
        const a = Number(process.hrtime.bigint() - t0) / 1e6;
        findings = r.findings.length;
        escalations = r.findings.filter((f) => f.ruleId === 'db-role-escalation').length;
        if (i > 0) {
          firstLevel.push(tree);
          audits.push(a);
        }
      }
    } finally {
      await s.close();
    }
    process.stdout.write(
      JSON.stringify({ roles: roleCount, grants, buildMs, findings, escalations, firstLevelMedianMs: median(firstLevel), auditMedianMs: median(audits), auditRunsMs: audits }) + '\n',
    );
  } finally {
    c.stop();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
