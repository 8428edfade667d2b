// A table tester for the live-audit rules, in the spirit of the SQL rules' ruleTester:
// each case is a catalog snapshot (what readSnapshot would read), and an invalid case
// lists the exact objects the rule reports. Runs checkSnapshot, which is pure.

import assert from 'node:assert/strict';
import { defaultConfig, PgwardenConfig } from '../../../server/src/core/config';
import { AuditSnapshot, checkSnapshot } from '../../../server/src/db/audit';
import { DB_RULES } from '../../../server/src/db/rules';
import { AclGrant, PolicyInfo, TableInfo } from '../../../server/src/db/types';

export interface SnapshotCase {
  name: string;
  snapshot: Partial<AuditSnapshot>;
  config?: Partial<PgwardenConfig>;
}

export interface InvalidCase extends SnapshotCase {
  /** The objects reported, in order, and optionally a pattern each message must match. */
  findings: Array<{ object: string; message?: RegExp }>;
}

export function emptySnapshot(): AuditSnapshot {
  return {
    roles: [{ name: 'postgres', oid: 10, superuser: true, login: true, bypassrls: true, predefined: false }],
    passwords: new Map([['postgres', 'scram-sha-256']]),
    tables: [],
    schemas: [{ name: 'public', publicCreate: false }],
    functions: [],
    passwordEncryption: 'scram-sha-256',
    languages: [{ name: 'plpgsql', trusted: true }],
  };
}

export function role(name: string, attrs: Partial<AuditSnapshot['roles'][number]> = {}): AuditSnapshot['roles'][number] {
  return { name, oid: 16384 + name.length, superuser: false, login: true, bypassrls: false, predefined: false, ...attrs };
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

export function dbRuleTester(ruleId: string, cases: { valid: SnapshotCase[]; invalid: InvalidCase[] }): void {
  describe(`db rule ${ruleId}`, () => {
    it('is registered', () => {
      assert.ok(DB_RULES.some((m) => m.id === ruleId));
    });
    const run = (c: SnapshotCase) =>
      checkSnapshot({ ...emptySnapshot(), ...c.snapshot }, { ...defaultConfig(), ...c.config }).filter((f) => f.ruleId === ruleId);
    for (const c of cases.valid) {
      it(`valid: ${c.name}`, () => assert.deepEqual(run(c), []));
    }
    for (const c of cases.invalid) {
      it(`invalid: ${c.name}`, () => {
        const got = run(c);
        assert.deepEqual(got.map((f) => f.object), c.findings.map((f) => f.object));
        c.findings.forEach((f, i) => {
          if (f.message) assert.match(got[i].message, f.message);
        });
      });
    }
  });
}
