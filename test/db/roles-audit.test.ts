// The role and privilege checks of the live audit on a real server, read by three kinds
// of auditor: an ordinary login role, a member of pg_monitor, and the superuser. Each sees
// what the catalog shows it, and the test states what that is for each rule.

import assert from 'node:assert/strict';
import { audit, connect, DbFinding } from '../../server/src/db';
import { startCluster, TestCluster } from '../support/postgres';
import { target } from './helpers';

const PASSWORD = 'Roles-Audit-1';

const of = (fs: DbFinding[], rule: string) => fs.filter((f) => f.ruleId === rule).map((f) => `${f.object}: ${f.message}`);

describe('db: role and privilege checks as an ordinary role, as pg_monitor and as superuser', function () {
  this.timeout(60_000);
  let c: TestCluster;
  before(async () => {
    c = await startCluster();
    // On 16+ one grant WITH SET FALSE shows that inheritance alone makes no superuser.
    const setFalse = c.version >= 16 ? 'GRANT ops TO nina WITH SET FALSE;' : 'GRANT ops TO nina;';
    c.psql(`
      CREATE ROLE root_like SUPERUSER NOLOGIN;
      CREATE ROLE ops NOLOGIN;
      CREATE ROLE rls_admin NOLOGIN BYPASSRLS;
      CREATE ROLE mallory LOGIN;
      CREATE ROLE nina LOGIN;
      CREATE ROLE reporter LOGIN;
      GRANT root_like TO ops;
      GRANT ops TO mallory;
      ${setFalse}
      GRANT rls_admin TO reporter;
      CREATE ROLE plain_auditor LOGIN PASSWORD '${PASSWORD}';
      CREATE ROLE monitor_auditor LOGIN PASSWORD '${PASSWORD}' IN ROLE pg_monitor;
      CREATE ROLE loaders NOLOGIN;
      CREATE ROLE loader1 LOGIN;
      GRANT pg_read_server_files TO loaders;
      GRANT loaders TO loader1;
    `);
  });
  after(() => c?.stop());

  const auditAs = async (user: string) => {
    const s = await connect(target(c.port, { user }), async () => (user === 'postgres' ? c.password : PASSWORD));
    try {
      return await audit(s);
    } finally {
      await s.close();
    }
  };

  it('every auditor sees the same escalation paths: pg_auth_members and pg_roles are readable by all', async () => {
    const expected = [
      'mallory: Login role "mallory" can act as superuser "root_like": mallory -> ops (SET ROLE) -> root_like (SET ROLE). Unless "mallory" is meant to administer the server, cut the path: REVOKE ops FROM mallory' +
        (c.version >= 16 ? ', or grant it again WITH SET FALSE.' : '.'),
      // Before 16, nina's grant cannot say SET FALSE: she may SET ROLE ops like mallory.
      ...(c.version >= 16 ? [] : ['nina: Login role "nina" can act as superuser "root_like": nina -> ops (SET ROLE) -> root_like (SET ROLE). Unless "nina" is meant to administer the server, cut the path: REVOKE ops FROM nina.']),
      'reporter: Login role "reporter" can act as "rls_admin", which has BYPASSRLS: reporter -> rls_admin (SET ROLE). Unless "reporter" is meant to bypass row-level security, cut the path: REVOKE rls_admin FROM reporter' +
        (c.version >= 16 ? ', or grant it again WITH SET FALSE.' : '.'),
    ];
    for (const user of ['plain_auditor', 'monitor_auditor', 'postgres']) {
      const r = await auditAs(user);
      assert.deepEqual(of(r.findings, 'db-role-escalation'), expected, user);
      assert.deepEqual(
        of(r.findings, 'db-predefined-role-member'),
        [
          'loaders: Role "loaders" is a member of pg_read_server_files, which lets it (and the login role that holds its rights: loader1) read any file the database server can read (COPY FROM a file, pg_read_file), including configuration and other databases\' files. Use REVOKE pg_read_server_files FROM loaders and grant narrower privileges on the objects it needs.',
        ],
        user,
      );
    }
  });
});
