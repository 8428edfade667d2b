// The Sessions node's presenter (lsp/live/sessions-tree.ts) on a judged report.

import assert from 'node:assert/strict';
import { ActivityRow, judgeSessions } from '../../../server/src/core/live/activity';
import { sessionGroupNodes, sessionsNodes } from '../../../server/src/lsp/live/sessions-tree';
import { rootNodes } from '../../../server/src/lsp/live/tree';

const NOW = '2026-12-05T10:00:00.000Z';
const row = (pid: number, over: Partial<ActivityRow> = {}): ActivityRow => ({ pid, role: 'app', database: 'shop', clientAddr: '10.0.0.7', application: 'api', backendType: 'client backend', state: 'active', stateChange: NOW, ssl: true, sslVersion: 'TLSv1.3', visible: true, superuser: false, ...over });

describe('Sessions node', () => {
  const report = judgeSessions({
    rows: [row(11), row(12, { ssl: false }), row(13, { visible: false, role: 'other', clientAddr: null, state: null, ssl: null, application: null }), row(14, { role: 'postgres', superuser: true, clientAddr: null })],
    now: NOW,
    maxConnections: 100,
    reservedConnections: 3,
    roleLimits: {},
    seesAll: false,
    currentUser: 'app',
  });

  it('is on the connection\'s top level', () => {
    assert.deepEqual(rootNodes().map((n) => n.label), ['Roles', 'Tables', 'Findings', 'Sessions', 'Drift']);
  });

  it('shows a summary, the hidden count with why, what to look at, the counts and the list', () => {
    const nodes = sessionsNodes(report);
    assert.deepEqual(nodes.map((n) => `${n.label}|${n.description ?? ''}`), [
      '4 client sessions, 4 of 97 connections|',
      '1 hidden|needs pg_read_all_stats',
      'To look at|1',
      'By role|3',
      'By database|1',
      'By client|3',
      'By application|1',
      'All sessions|4',
    ]);
    assert.match(nodes[1].tooltip ?? '', /PostgreSQL shows "app" only its own sessions in full/);
    assert.equal(nodes[2].expanded, true);
  });

  it('lists sessions: TLS state, the local socket, superusers marked, hidden ones last and said to be hidden', () => {
    const list = sessionGroupNodes(report, 'list');
    assert.deepEqual(list.map((n) => `${n.label}|${n.description}`), [
      '11 app@shop|active, 10.0.0.7, TLSv1.3, api',
      '12 app@shop|active, 10.0.0.7, no TLS, api',
      '14 postgres@shop|active, local socket, api',
      '13 other@shop|hidden',
    ]);
    assert.equal(list[2].warning, true);
    const flags = sessionGroupNodes(report, 'flags');
    assert.deepEqual(flags.map((n) => n.label), ['Session 12 of "app" from 10.0.0.7 is not encrypted (no TLS): its password exchange and queries cross the network in clear text.']);
    assert.deepEqual(sessionGroupNodes(report, 'client').map((n) => `${n.label} ${n.description}`), ['10.0.0.7 2', 'hidden 1', 'local 1']);
  });
});
