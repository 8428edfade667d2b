import assert from 'node:assert/strict';
import { complete, hover } from '../../../server/src/core/conf/help';

describe('postgresql.conf hover and completion', () => {
  it('hovers a parameter name or value with type, unit, default and advice', () => {
    const text = "password_encryption = md5\nwork_mem = '4MB'\n";
    const h = hover(text, 3)!;
    assert.match(h, /^\*\*password_encryption\*\*: enum/);
    assert.match(h, /Values: `md5`, `scram-sha-256`/);
    assert.match(h, /\*\*Security:\*\* Use `scram-sha-256`/);
    const w = hover(text, text.indexOf("'4MB'") + 1)!;
    assert.match(w, /\*\*work_mem\*\*: integer, unit kB/);
    assert.match(w, /Default: `4MB`/);
    assert.match(w, /Range: 64 \.\. 2147483647 kB/);
    assert.equal(hover(text, text.indexOf('=')), undefined);
  });

  it('hovers commented-out settings, directives, custom and version-specific names', () => {
    assert.match(hover('#shared_buffers = 128MB\n', 3)!, /Change: needs a server restart/);
    assert.match(hover("include_dir 'conf.d'\n", 2)!, /C-locale name order/);
    assert.match(hover('pgaudit.log = ddl\n', 2)!, /custom parameter/);
    assert.match(hover('allow_alter_system = off\n', 2, 16)!, /not a parameter of PostgreSQL 16; it exists in PostgreSQL 17 and later/);
    assert.match(hover('allow_alter_system = off\n', 2, 17)!, /Exists in PostgreSQL 17 and later/);
    assert.equal(hover('no_such_thing = 1\n', 2), undefined);
  });

  it('completes parameter names at the start of a line, for the version', () => {
    const c = complete('wor', 3, 17)!;
    assert.deepEqual([c.start, c.end], [0, 3]);
    assert.ok(c.items.some((i) => i.label === 'work_mem' && i.kind === 'parameter'));
    assert.ok(c.items.some((i) => i.label === 'include_dir' && i.kind === 'directive'));
    assert.ok(c.items.some((i) => i.label === 'allow_alter_system'));
    assert.ok(!complete('', 0, 16)!.items.some((i) => i.label === 'allow_alter_system'));
  });

  it('completes enum and boolean values, quoting only when needed', () => {
    const text = 'log_statement = d';
    const c = complete(text, text.length)!;
    assert.deepEqual([c.start, c.end], [16, 17]);
    assert.deepEqual(c.items.map((i) => i.label), ['none', 'ddl', 'mod', 'all']);
    assert.deepEqual(complete('ssl ', 4)!.items.map((i) => i.insertText), ['on', 'off']);
    const q = "password_encryption = '";
    assert.deepEqual(complete(q, q.length)!.items.map((i) => i.insertText), ['md5', 'scram-sha-256']);
    assert.equal(complete('work_mem = ', 11), undefined);
    assert.equal(complete('# wor', 5), undefined);
  });
});
