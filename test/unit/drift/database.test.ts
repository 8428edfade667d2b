// Drift of the connected database's own privileges (CONNECT, TEMPORARY, CREATE): the files'
// GRANT/REVOKE ... ON DATABASE folded into its ACL, against the ACL aclexplode gives, as a
// table of cases. A built-in default nobody declared is never a finding; a grant made by
// hand, a revoke made by hand of something the files grant, and a changed declared owner are.

import assert from 'node:assert/strict';
import { findingAnchor } from '../../../server/src/core/drift/anchor';
import { compareFacts, factsByKey } from '../../../server/src/core/drift/compare';
import { declaredFacts } from '../../../server/src/core/drift/declared';
import { accessChanges } from '../../../server/src/core/drift/impact';
import { statementImpact } from '../../../server/src/core/drift/statement-impact';
import { LiveAccess, LiveAclItem, liveFacts } from '../../../server/src/core/drift/live';
import { adoptingSql, reconcilingSql } from '../../../server/src/core/drift/sql';
import { loadParser } from '../../../server/src/core/sql/parser';
import { modelOf } from '../model/support';

const ATTRS = { superuser: false, createrole: false, createdb: false, login: false, replication: false, bypassrls: false, inherit: true };
const ROLES = 'CREATE ROLE app_user LOGIN;\nCREATE ROLE support;\n';

/** An ACL item as `grantee:privilege`, `*` for WITH GRANT OPTION. */
function items(spec: string[]): LiveAclItem[] {
  return spec.map((s) => {
    const [grantee, p] = s.split(':');
    return { grantee, privilege: p.replace('*', ''), grantable: p.endsWith('*') };
  });
}

/** The built-in ACL of a database owned by `owner`: acldefault('d', owner). */
const BUILTIN = (owner: string) => [`${owner}:create`, `${owner}:connect`, `${owner}:temporary`, 'public:connect', 'public:temporary'];

function live(acl: string[], owner = 'postgres', extraRoles: string[] = []): LiveAccess {
  return {
    migrationRole: 'postgres',
    roles: [
      { name: 'postgres', attributes: { ...ATTRS, superuser: true, login: true }, builtin: true },
      { name: 'pg_monitor', attributes: { ...ATTRS }, builtin: true },
      ...['app_user', 'support', ...extraRoles].map((name) => ({ name, attributes: { ...ATTRS, login: name === 'app_user' || name === 'intruder' }, builtin: false })),
    ],
    memberships: [],
    objects: [
      { kind: 'database', name: 'app', owner, acl: items(acl) },
      { kind: 'schema', name: 'public', owner: 'pg_database_owner', acl: items(['pg_database_owner:usage', 'pg_database_owner:create', 'public:usage']) },
    ],
    policies: [],
    defaultAcls: [],
  };
}

interface Case {
  name: string;
  files: string;
  acl: string[];
  owner?: string;
  platformRoles?: string[];
  /** `direction message`, in compareFacts' order. */
  findings: string[];
  /** `file:line` of each finding's anchor (`-` for none). */
  places?: string[];
  reconcile?: string[];
  adopt?: string[];
}

const CASES: Case[] = [
  { name: 'built-in defaults and files that never name the database: no drift', files: ROLES, acl: BUILTIN('postgres'), findings: [] },
  {
    name: "PUBLIC's CONNECT revoked by hand, the files never speak of PUBLIC's database privileges: not drift",
    files: `${ROLES}GRANT CONNECT ON DATABASE app TO app_user;`,
    acl: ['postgres:create', 'postgres:connect', 'postgres:temporary', 'public:temporary', 'app_user:connect'],
    findings: [],
  },
  {
    name: 'the owner revoking its own TEMPORARY by hand, never declared: not drift',
    files: ROLES,
    acl: ['postgres:create', 'postgres:connect', 'public:connect', 'public:temporary'],
    findings: [],
  },
  {
    name: 'GRANT CONNECT and GRANT CREATE made by hand, the files never name the database: each on the role it goes to',
    files: ROLES,
    acl: [...BUILTIN('postgres'), 'support:create', 'intruder:connect'],
    findings: [
      'live-only CONNECT on database app to intruder is in the database, but no migration declares it',
      'live-only CREATE on database app to support is in the database, but no migration declares it',
    ],
    places: ['-', '001.sql:2'],
    reconcile: ['REVOKE CONNECT ON DATABASE app FROM intruder;', 'REVOKE CREATE ON DATABASE app FROM support;'],
    adopt: ['GRANT CONNECT ON DATABASE app TO intruder;', 'GRANT CREATE ON DATABASE app TO support;'],
  },
  {
    name: 'REVOKE CONNECT made by hand from the role the files grant it to',
    files: `${ROLES}REVOKE ALL ON DATABASE app FROM PUBLIC;\nGRANT CONNECT, TEMP ON DATABASE app TO app_user;`,
    acl: ['postgres:create', 'postgres:connect', 'postgres:temporary', 'app_user:temporary'],
    findings: ['declared-only CONNECT on database app to app_user is declared, but the database does not have it'],
    places: ['001.sql:4'],
    reconcile: ['GRANT CONNECT ON DATABASE app TO app_user;'],
    adopt: ['REVOKE CONNECT ON DATABASE app FROM app_user;'],
  },
  {
    name: "PUBLIC's CONNECT given back by hand after the files revoke it, and a grant option added",
    files: `${ROLES}REVOKE CONNECT ON DATABASE app FROM PUBLIC;\nGRANT CONNECT ON DATABASE app TO app_user;`,
    acl: ['postgres:create', 'postgres:connect', 'postgres:temporary', 'public:temporary', 'public:connect', 'app_user:connect*'],
    findings: [
      'changed CONNECT on database app to app_user: declared granted, the database has with grant option',
      'live-only CONNECT on database app to public is in the database, but no migration declares it',
    ],
    places: ['001.sql:4', '001.sql:3'],
    reconcile: ['REVOKE GRANT OPTION FOR CONNECT ON DATABASE app FROM app_user;', 'REVOKE CONNECT ON DATABASE app FROM PUBLIC;'],
    adopt: ['GRANT CONNECT ON DATABASE app TO app_user WITH GRANT OPTION;', 'GRANT CONNECT ON DATABASE app TO PUBLIC;'],
  },
  {
    name: "PUBLIC's TEMPORARY revoked by hand when the files name PUBLIC on the database: drift",
    files: `${ROLES}REVOKE CONNECT ON DATABASE app FROM PUBLIC;`,
    acl: ['postgres:create', 'postgres:connect', 'postgres:temporary'],
    findings: ['declared-only TEMPORARY on database app to public is declared, but the database does not have it'],
    places: ['001.sql:3'],
    reconcile: ['GRANT TEMPORARY ON DATABASE app TO PUBLIC;'],
  },
  {
    name: 'grants on another database (a multi-database setup) are not about this one',
    files: `${ROLES}REVOKE ALL ON DATABASE other FROM PUBLIC;\nGRANT CREATE ON DATABASE other TO support;`,
    acl: BUILTIN('postgres'),
    findings: [],
  },
  {
    name: 'predefined and platform roles are left alone',
    files: ROLES,
    acl: [...BUILTIN('app_owner'), 'pg_monitor:connect', 'supabase_admin:create'],
    owner: 'app_owner',
    platformRoles: ['supabase_admin'],
    findings: [],
  },
  {
    name: 'a quoted database name is matched exactly; a different case is another database',
    files: `${ROLES}GRANT CREATE ON DATABASE "App" TO support;`,
    acl: BUILTIN('postgres'),
    findings: [],
  },
  {
    name: 'the owner the files give, against the live one; its privileges move with it',
    files: `${ROLES}ALTER DATABASE app OWNER TO support;`,
    acl: [...BUILTIN('postgres')],
    findings: ['changed owner of database app: declared support, the database has postgres'],
    places: ['001.sql:3'],
    reconcile: ['ALTER DATABASE app OWNER TO support;'],
    adopt: ['ALTER DATABASE app OWNER TO postgres;'],
  },
  {
    name: 'an owner only the database has is not drift: the files do not say who owns it',
    files: `${ROLES}GRANT CONNECT ON DATABASE app TO app_user;`,
    acl: [...BUILTIN('support'), 'app_user:connect'],
    owner: 'support',
    findings: [],
  },
  {
    name: 'CREATE DATABASE in the files: its grants count for the database of that name',
    files: `${ROLES}CREATE DATABASE app OWNER support;\nGRANT CONNECT ON DATABASE app TO app_user;`,
    acl: [...BUILTIN('support')],
    owner: 'support',
    findings: ['declared-only CONNECT on database app to app_user is declared, but the database does not have it'],
    places: ['001.sql:4'],
  },
];

const line = (uri: string, offset: number, text: string) => `${uri.replace('file:///', '')}:${text.slice(0, offset).split('\n').length}`;

describe('drift: the database privileges (CONNECT, TEMPORARY, CREATE)', () => {
  before(loadParser);

  for (const c of CASES)
    it(c.name, () => {
      const model = modelOf({ '001.sql': c.files });
      const owner = c.owner ?? 'postgres';
      const declared = declaredFacts(model.state, 'postgres', { database: { name: 'app', owner } });
      const state = live(c.acl, owner, ['supabase_admin']);
      const liveSide = liveFacts(state, { platformRoles: c.platformRoles ?? ['supabase_admin'] });
      const findings = compareFacts(declared, liveSide, { migrationRole: 'postgres' });
      assert.deepEqual(findings.map((f) => `${f.direction} ${f.message}`), c.findings);
      for (const f of findings) assert.equal(f.kind, f.key.startsWith('owner') ? 'owner' : 'privilege');
      if (c.places) {
        const byKey = factsByKey(declared.facts);
        assert.deepEqual(findings.map((f) => findingAnchor(f, byKey)?.at).map((at) => (at ? line(at.uri, at.start, c.files) : '-')), c.places);
      }
      const statements = (sql: string) => sql.split('\n').filter((l) => l && !l.startsWith('--'));
      if (c.reconcile) assert.deepEqual(statements(reconcilingSql(findings, declared.facts, { major: 17 })), c.reconcile);
      if (c.adopt) assert.deepEqual(statements(adoptingSql(findings, liveSide, { major: 17 })), c.adopt);
    });

  it('without a compared database (impact, the hover) there are no database facts', () => {
    const declared = declaredFacts(modelOf({ '001.sql': `${ROLES}GRANT CONNECT ON DATABASE app TO app_user;` }).state, 'postgres');
    assert.deepEqual(declared.facts.filter((f) => 'object' in f && f.object.kind === 'database'), []);
  });

  it('quotes a database and a grantee that need it in the generated SQL', () => {
    const model = modelOf({ '001.sql': `${ROLES}CREATE ROLE "Web User";` });
    const declared = declaredFacts(model.state, 'postgres', { database: { name: 'My App', owner: 'postgres' } });
    const state = live(BUILTIN('postgres'));
    state.roles.push({ name: 'Web User', attributes: { ...ATTRS }, builtin: false });
    state.objects[0] = { kind: 'database', name: 'My App', owner: 'postgres', acl: items([...BUILTIN('postgres'), 'Web User:create']) };
    const findings = compareFacts(declared, liveFacts(state), { migrationRole: 'postgres' });
    assert.deepEqual(reconcilingSql(findings, declared.facts, { major: 17 }).split('\n').filter((l) => l && !l.startsWith('--')), ['REVOKE CREATE ON DATABASE "My App" FROM "Web User";']);
  });
});

describe('impact: what a GRANT or REVOKE on a database changes', () => {
  before(loadParser);

  const FILE = [
    'CREATE ROLE app_user LOGIN;',
    'REVOKE CONNECT ON DATABASE app FROM PUBLIC;',
    'GRANT CONNECT, CREATE ON DATABASE app TO app_user;',
    'GRANT CONNECT ON DATABASE app TO app_user;',
    'ALTER DATABASE app OWNER TO app_user;',
  ].join('\n');

  it('the hover on each statement says what it changes, from the database as PostgreSQL makes it', () => {
    const model = modelOf({ '001.sql': FILE });
    const file = model.files[0];
    const at = (line: number) => FILE.split('\n').slice(0, line - 1).join('\n').length + 1 + 5;
    const hover = (line: number) => statementImpact(model.files, file.uri, file.effects, at(line))?.lines;
    assert.deepEqual(hover(2), ['after this statement, every role (PUBLIC) no longer holds CONNECT on database app through this grant']);
    assert.deepEqual(hover(3), ['after this statement, role app_user can CONNECT on database app', 'after this statement, role app_user can CREATE on database app']);
    assert.deepEqual(hover(4), []); // the editor words an empty answer "No change to access"
  });

  it('pgwarden impact lists the database privileges a migration adds and removes, and an owner it gives', () => {
    const before = modelOf({ '001.sql': 'CREATE ROLE app_user LOGIN;' }).state;
    const after = modelOf({ '001.sql': 'CREATE ROLE app_user LOGIN;', '002.sql': FILE.split('\n').slice(1).join('\n') }).state;
    // The owner it gives holds app_user's grants as the owner's: the owner is the change.
    assert.deepEqual(accessChanges(before, after).map((c) => `${c.change} ${c.message}`), ['added + owner of database app (app_user)', 'removed - CONNECT on database app to public']);
  });
});
