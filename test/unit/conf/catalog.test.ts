import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { lookupParam, paramsOf, versionRange } from '../../../server/src/core/conf/catalog';

describe('postgresql.conf parameter catalog', () => {
  it('is a small generated module', () => {
    const size = statSync(join(__dirname, '../../../server/src/core/conf/params.ts')).size;
    assert.ok(size < 150 * 1024, `${size} bytes`);
  });

  it('has every version from 13 to 18, growing', () => {
    const counts = [13, 14, 15, 16, 17, 18].map((v) => paramsOf(v).length);
    for (const c of counts) assert.ok(c > 300, String(counts));
    assert.ok(counts[5] > counts[0], String(counts));
  });

  it('knows the documented version differences', () => {
    assert.equal(lookupParam('allow_alter_system', 16), undefined);
    assert.equal(lookupParam('allow_alter_system', 17)?.type, 'bool');
    assert.equal(lookupParam('log_connections', 17)?.type, 'bool');
    assert.equal(lookupParam('log_connections', 18)?.type, 'string');
    assert.equal(lookupParam('wal_compression', 14)?.type, 'bool');
    assert.deepEqual(lookupParam('wal_compression', 15)?.values, ['pglz', 'lz4', 'zstd', 'on', 'off']);
    assert.ok(lookupParam('force_parallel_mode', 15) && !lookupParam('force_parallel_mode', 16));
    assert.ok(lookupParam('debug_parallel_query', 16) && !lookupParam('debug_parallel_query', 15));
    assert.ok(lookupParam('db_user_namespace', 16) && !lookupParam('db_user_namespace', 17));
    assert.ok(lookupParam('idle_session_timeout', 14) && !lookupParam('idle_session_timeout', 13));
    assert.ok(lookupParam('stats_temp_directory', 14) && !lookupParam('stats_temp_directory', 15));
    assert.equal(lookupParam('ssl_groups', 18)?.type, 'string');
    assert.equal(versionRange('allow_alter_system'), 'PostgreSQL 17 and later');
    assert.equal(versionRange('operator_precedence_warning'), 'PostgreSQL 13');
  });

  it('records types, units, ranges and defaults from pg_settings', () => {
    const wm = lookupParam('work_mem', 15)!;
    assert.deepEqual([wm.type, wm.unit, wm.min, wm.max, wm.boot], ['integer', 'kB', 64, 2147483647, '4096']);
    assert.equal(lookupParam('shared_buffers', 17)?.unit, '8kB');
    assert.equal(lookupParam('password_encryption', 13)?.boot, 'md5');
    assert.equal(lookupParam('password_encryption', 14)?.boot, 'scram-sha-256');
  });
});
