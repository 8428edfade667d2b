// The HTML report is a pure function of the audit result: these tests read its text the
// way a reviewer would check a page handed to them: the findings by area with their
// references, the picture with the escalation path in red, the checks that could not run,
// and nothing that loads from elsewhere or runs.

import assert from 'node:assert/strict';
import { defaultConfig } from '../../../server/src/core/config';
import { runLiveAudit } from '../../../server/src/core/live/audit';
import { areaOf, htmlReport, HtmlReportInput } from '../../../server/src/core/live/report-html';
import { roleGraphPicture, MAX_DRAWN } from '../../../server/src/core/live/role-graph-svg';
import { loadParser } from '../../../server/src/core/sql/parser';
import { emptySnapshot, member, role } from './rules/harness';

function input(): HtmlReportInput {
  const snapshot = {
    ...emptySnapshot(),
    roles: [
      role('postgres', { oid: 10, superuser: true, bypassrls: true }),
      role('ops', { login: false }),
      role('mallory'),
      role('bob'),
      role('app_rw', { login: false }),
      role('<script>alert(1)</script>', { login: false }),
    ],
    memberships: [member('ops', 'mallory'), member('postgres', 'ops'), member('app_rw', 'bob'), member('app_rw', '<script>alert(1)</script>', { set: false, inherit: false })],
    roleReferences: { postgres: 10, ops: 0, mallory: 0, bob: 0, app_rw: 3, '<script>alert(1)</script>': 0 },
    extensions: [{ name: 'cube', schema: 'public', version: '1.5', defaultVersion: '1.5', relocatable: true }],
  };
  const findings = runLiveAudit(snapshot, defaultConfig());
  return {
    findings,
    skipped: ['db-md5-password, db-password-no-expiry: pg_authid is readable only by superusers', 'pg_hba rules: this role lacks SELECT on pg_catalog.pg_hba_file_rules'],
    notes: [],
    snapshot,
    target: 'auditor@db.internal:5432/app',
    auditedAs: 'bob',
    generatedAt: '2026-06-01T12:00:00+00:00',
    version: '9.9.9',
  };
}

/** The text of the element with this id, up to its closing tag. */
function section(html: string, id: string): string {
  const start = html.indexOf(`<section id="${id}">`);
  assert.ok(start >= 0, `no section ${id}`);
  return html.slice(start, html.indexOf('</section>', start));
}

describe('HTML audit report', () => {
  before(() => loadParser());

  it('is one page that loads nothing and runs nothing', () => {
    const html = htmlReport(input());
    assert.match(html, /^<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">\n<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">/);
    assert.doesNotMatch(html, /<script|<link|<img|<iframe|\ssrc=|url\((?!#)|@import/i);
    // The only absolute URLs: the SVG namespace and links to the rule pages (followed only when clicked).
    const urls = [...html.matchAll(/https?:\/\/[^"'\s<>]+/g)].map((m) => m[0]);
    assert.ok(urls.length > 0);
    for (const u of urls) assert.ok(u === 'http://www.w3.org/2000/svg' || u.startsWith('https://github.com/pgwarden/pgwarden/blob/main/docs/rules/'), u);
    // A role name is text, never markup, in the tables and in the picture.
    assert.ok(!html.includes('<script>alert(1)</script>'));
    assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  });

  it('groups findings by area, each with the pgdsat (CIS), splinter and pgrls checks it corresponds to', () => {
    const html = htmlReport(input());
    const roles = section(html, 'roles-and-privileges');
    const row = roles.split('<tr').find((r) => r.includes('data-rule="db-role-escalation"')) ?? '';
    assert.match(row, /<td class="sev sev-warning">warning<\/td>/);
    assert.match(row, /<code>mallory<\/code>/);
    assert.match(row, /Login role &quot;mallory&quot; can act as superuser &quot;postgres&quot;: mallory -&gt; ops \(SET ROLE\) -&gt; postgres \(SET ROLE\)\./);
    assert.match(row, /<span title="Excessive administrative privileges revoked">CIS \/ pgdsat 4\.3<\/span><span title="SET ROLE to a BYPASSRLS role through membership">pgrls SEC029<\/span>/);
    // The orphan (info) sorts after the escalation (warning) in its area.
    assert.ok(roles.indexOf('data-rule="db-role-escalation"') < roles.indexOf('data-rule="db-orphan-role"'));
    const ext = section(html, 'databases-and-extensions');
    assert.match(ext, /data-rule="db-extension-in-public".*<span title="extension_in_public">splinter 0014<\/span>/s);
    assert.match(html, /<p class="summary"><span class="sev-error">0 error\(s\)<\/span><span class="sev-warning">1 warning\(s\)<\/span><span class="sev-info">\d+ info<\/span><span>2 check\(s\) not run<\/span><\/p>/);
    assert.match(html, /<dt>Audited as<\/dt><dd><code>bob<\/code>, an ordinary role \(no pg_monitor or pg_read_all_settings\)<\/dd>/);
  });

  it('leaves the "Corresponds to" cell empty for a rule no other tool checks', () => {
    const base = input();
    const md5 = { ruleId: 'db-md5-password', severity: 'warning' as const, objectKind: 'role' as const, object: 'bob', message: 'Role "bob" has an MD5 password hash.' };
    const row = htmlReport({ ...base, findings: [...base.findings, md5] })
      .split('<tr')
      .find((r) => r.includes('data-rule="db-md5-password"'));
    assert.match(row ?? '', /<td class="refs"><\/td><\/tr>/);
  });

  it('draws the role graph with the escalation path in red and lists the path', () => {
    const html = htmlReport(input());
    const g = section(html, 'role-graph');
    const hotEdges = [...g.matchAll(/<line class="edge escalation"[^>]*><title>([^<]*)<\/title>/g)].map((m) => m[1]);
    assert.deepEqual(hotEdges.sort(), ['mallory is a member of ops (INHERIT, SET)', 'ops is a member of postgres (INHERIT, SET)']);
    const hotRoles = [...g.matchAll(/<g class="([^"]*escalation[^"]*)" data-role="([^"]*)"/g)].map((m) => `${m[2]}: ${m[1]}`);
    assert.deepEqual(hotRoles.sort(), ['mallory: role login escalation', 'ops: role escalation', 'postgres: role superuser bypassrls login escalation']);
    // A grant with neither SET nor INHERIT is drawn dashed and not highlighted.
    assert.match(g, /<line class="edge" [^>]*stroke-dasharray="4 3"[^>]*><title>&lt;script&gt;alert\(1\)&lt;\/script&gt; is a member of app_rw \(no INHERIT, no SET\)<\/title>/);
    assert.match(g, /<h3>Escalation paths \(1\)<\/h3><ul class="paths">\n<li>mallory -&gt; ops \(SET ROLE\) -&gt; postgres \(SET ROLE\)<\/li>/);
    // Members are drawn below the roles they belong to.
    const yOf = (name: string) => Number(new RegExp(`data-role="${name}"><title>[^<]*</title><rect x="[\\d.]+" y="([\\d.]+)"`).exec(g)?.[1]);
    assert.ok(yOf('mallory') > yOf('ops') && yOf('ops') > yOf('postgres'), `${yOf('mallory')} ${yOf('ops')} ${yOf('postgres')}`);
  });

  it('lists the checks that could not run with what they lacked', () => {
    const g = section(htmlReport(input()), 'not-run');
    assert.deepEqual(
      [...g.matchAll(/<tr class="not-run"><td><code>([^<]*)<\/code><\/td><td>([^<]*)<\/td><\/tr>/g)].map((m) => `${m[1]} | ${m[2]}`),
      ['db-md5-password, db-password-no-expiry | pg_authid is readable only by superusers', 'pg_hba rules | this role lacks SELECT on pg_catalog.pg_hba_file_rules'],
    );
    const all = htmlReport({ ...input(), skipped: [] });
    assert.match(section(all, 'not-run'), /<p>Every check ran: <code>bob<\/code> could read everything they need\.<\/p>/);
  });

  it('keeps a cluster with thousands of roles to the roles that matter', () => {
    const roles = [role('postgres', { oid: 10, superuser: true }), role('ops', { login: false }), role('mallory')];
    const memberships = [member('ops', 'mallory'), member('postgres', 'ops')];
    for (let i = 0; i < 2000; i++) {
      roles.push(role(`u${i}`));
      memberships.push(member('readers', `u${i}`));
    }
    roles.push(role('readers', { login: false }));
    const pic = roleGraphPicture({ roles, memberships, serverMajor: 18 });
    assert.equal(pic.drawn, 3);
    assert.equal(pic.omitted, 2004 - 3);
    assert.ok(MAX_DRAWN < 2004);
    assert.deepEqual(pic.pathLines, ['mallory -> ops (SET ROLE) -> postgres (SET ROLE)']);
  });

  it('puts each finding in its area by rule and object kind', () => {
    assert.deepEqual(
      [
        areaOf('hba-trust', 'hba'),
        areaOf('db-policy-always-true', 'table'),
        areaOf('db-rls-off-granted', 'table'),
        areaOf('db-view-bypasses-rls', 'table'),
        areaOf('db-password-encryption', 'setting'),
        areaOf('db-extension-outdated', 'extension'),
        areaOf('db-database-public-connect', 'database'),
        areaOf('db-bypassrls', 'role'),
        areaOf('db-public-schema-create', 'schema'),
      ],
      [
        'Client authentication (pg_hba.conf)',
        'Row-level security',
        'Row-level security',
        'Row-level security',
        'Server settings',
        'Databases and extensions',
        'Databases and extensions',
        'Roles and privileges',
        'Tables, schemas and functions',
      ],
    );
  });
});
