// lintHba as the front ends call it: suppression comments, shared superuser facts, and
// near-linear time on large files (shadowing analysis included).

import assert from 'node:assert/strict';
import { defaultConfig } from '../../../server/src/core/config';
import { generateHbaFile, lintHba } from '../../../server/src/core/hba/lint';
import { applySuppressions } from '../../../server/src/core/suppress';
import { LineIndex } from '../../../server/src/core/text';
import { Workspace } from '../../../server/src/core/workspace';

const run = (text: string, config = defaultConfig()) => {
  const r = lintHba({ uri: 'file:///etc/pg/pg_hba.conf', text }, { workspace: new Workspace(), config });
  return applySuppressions(r.findings, r.comments, new LineIndex(text));
};

describe('lintHba', () => {
  it('honours pgwarden-disable-next-line comments on the record\'s first line', () => {
    const text = '# pgwarden-disable-next-line hba-md5, hba-no-ssl -- legacy app\nhost app app 10.0.0.0/8 md5\nhost app app 10.1.0.0/16 md5\n';
    const ids = run(text).map((f) => `${new LineIndex(text).positionAt(f.start).line + 1}:${f.ruleId}`);
    assert.ok(!ids.includes('2:hba-md5') && !ids.includes('2:hba-no-ssl'));
    assert.ok(ids.includes('3:hba-shadowed'), ids.join(' '));
    assert.ok(!ids.some((i) => i.endsWith('unused-suppression')));
  });

  it('reports an unused suppression', () => {
    const text = '# pgwarden-disable-next-line hba-trust\nlocal all all peer\n';
    assert.deepEqual(run(text).map((f) => f.ruleId), ['unused-suppression']);
  });

  it('uses superusers from SQL facts and the live catalog', () => {
    const ws = new Workspace();
    ws.setCatalog({ superusers: ['root_admin'], roles: ['root_admin'], rlsEnabled: [], rlsForced: [], policies: [] });
    const r = lintHba({ uri: 'file:///x/pg_hba.conf', text: 'hostssl app root_admin 203.0.113.0/24 scram-sha-256\n' }, { workspace: ws, config: defaultConfig() });
    assert.deepEqual(r.findings.map((f) => f.ruleId), ['hba-superuser-remote']);
  });

  it('takes near-linear time on large files', function () {
    this.timeout(60_000);
    const cpu = (n: number) => {
      const text = generateHbaFile(n);
      let best = Infinity;
      for (let k = 0; k < 3; k++) {
        const c = process.cpuUsage();
        lintHba({ uri: 'file:///x/pg_hba.conf', text }, { workspace: new Workspace(), config: defaultConfig() });
        const d = process.cpuUsage(c);
        best = Math.min(best, d.user + d.system);
      }
      return best;
    };
    cpu(1000);
    const small = cpu(1000);
    const large = cpu(16000);
    // Linear is 16x; a pairwise comparison of records would be 256x.
    assert.ok(large / small < 80, `16,000 records took ${(large / small).toFixed(1)}x the time of 1,000`);
  });
});
