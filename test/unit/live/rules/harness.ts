// A table tester for the live rules, in the spirit of the SQL rules' ruleTester: each case
// is a catalog snapshot (what the db layer's readSnapshot would read), and an invalid
// case lists the exact objects the rule reports. Runs the whole audit loop, which is
// pure, and asserts each finding's object kind and resolved severity too.

import assert from 'node:assert/strict';
import { defaultConfig, PgwardenConfig } from '../../../../server/src/core/config';
import { runLiveAudit } from '../../../../server/src/core/live/audit';
import { AclGrant, AuditObjectKind, PolicyInfo, TableInfo } from '../../../../server/src/core/live/catalog';
import { Severity } from '../../../../server/src/core/rules';
import { LIVE_RULES } from '../../../../server/src/core/live/rules';
import { LiveSnapshot, SnapshotMembership, SnapshotRole } from '../../../../server/src/core/live/snapshot';
import { loadParser, parseText } from '../../../../server/src/core/sql/parser';

export interface SnapshotCase {
  name: string;
  snapshot: Partial<LiveSnapshot>;
  config?: Partial<PgwardenConfig>;
}

export interface InvalidCase extends SnapshotCase {
  /** The objects reported, in order, and optionally a pattern each message must match and a severity other than the default. */
  findings: Array<{ object: string; message?: RegExp; severity?: Severity; fix?: string | null }>;
}

export function emptySnapshot(): LiveSnapshot {
  return {
    roles: [role('postgres', { oid: 10, superuser: true, bypassrls: true })],
    passwords: { postgres: 'scram-sha-256' },
    tables: [],
    schemas: [{ name: 'public', publicCreate: false }],
    functions: [],
    passwordEncryption: 'scram-sha-256',
    languages: [{ name: 'plpgsql', trusted: true }],
    memberships: [],
    serverMajor: 18,
    now: '2026-06-01T12:00:00+00:00',
    roleReferences: { postgres: 100 },
    databases: [],
    extensions: [],
    replication: { senders: [], physicalSlots: 0 },
  };
}

export function role(name: string, attrs: Partial<SnapshotRole> = {}): SnapshotRole {
  return {
    name,
    oid: 16384 + name.length,
    superuser: false,
    login: true,
    bypassrls: false,
    predefined: false,
    inherit: true,
    createrole: false,
    replication: false,
    connectionLimit: -1,
    validUntil: null,
    ...attrs,
  };
}

/** `member` is a member of `role`, with PostgreSQL's default options (INHERIT and SET, no ADMIN) unless given. */
export function member(role: string, memberName: string, opts: Partial<Omit<SnapshotMembership, 'role' | 'member'>> = {}): SnapshotMembership {
  return { role, member: memberName, admin: false, inherit: true, set: true, ...opts };
}

export function table(schema: string, name: string, attrs: Partial<TableInfo> = {}): TableInfo {
  return { schema, name, kind: 'table', owner: 'app_owner', rls: false, forceRls: false, securityInvoker: false, policies: [], grants: [grant('app_owner', 'SELECT')], ...attrs };
}

export function grant(grantee: string, privilege: string): AclGrant {
  return { grantee, grantor: 'app_owner', privilege, grantable: false };
}

export function policy(name: string, attrs: Partial<PolicyInfo> = {}): PolicyInfo {
  return { name, command: 'ALL', permissive: true, roles: ['PUBLIC'], using: '(owner = CURRENT_USER)', withCheck: null, ...attrs };
}

/** `kind`: the object kind every finding of the rule is located on. */
export function liveRuleTester(ruleId: string, cases: { kind: AuditObjectKind; valid: SnapshotCase[]; invalid: InvalidCase[] }): void {
  describe(`live rule ${ruleId}`, () => {
    before(() => loadParser());
    const rule = LIVE_RULES.find((r) => r.meta.id === ruleId);
    it('is registered', () => assert.ok(rule, `${ruleId} is not in core/live/rules/index.ts`));
    const run = (c: SnapshotCase) => {
      const errors: string[] = [];
      const found = runLiveAudit({ ...emptySnapshot(), ...c.snapshot }, { ...defaultConfig(), ...c.config }, (id, err) => errors.push(`${id}: ${String(err)}`));
      assert.deepEqual(errors, [], 'no rule may throw');
      return found.filter((f) => f.ruleId === ruleId);
    };
    for (const c of cases.valid) {
      it(`valid: ${c.name}`, () => assert.deepEqual(run(c), []));
    }
    for (const c of cases.invalid) {
      it(`invalid: ${c.name}`, () => {
        const got = run(c);
        assert.deepEqual(got.map((f) => f.object), c.findings.map((f) => f.object));
        c.findings.forEach((f, i) => {
          if (f.message) assert.match(got[i].message, f.message);
          // The fix statement exactly, or null for a finding whose fix is a decision, not a statement.
          if (f.fix !== undefined) assert.equal(got[i].fix ?? null, f.fix);
          // Every fix statement is SQL PostgreSQL's parser accepts (a <placeholder> only in a comment).
          const fix = got[i].fix;
          if (fix !== undefined) {
            const parsed = parseText(fix);
            assert.ok(parsed.ok && parsed.stmts.length > 0, `the fix of ${got[i].object} does not parse: ${fix}`);
          }
          assert.equal(got[i].objectKind, cases.kind);
          assert.equal(got[i].severity, f.severity ?? rule?.meta.defaultSeverity);
        });
      });
    }
  });
}
