import assert from 'node:assert/strict';
import { lookupParam } from '../../../server/src/core/conf/catalog';
import { checkValue, parseBool, parseNumber, rint } from '../../../server/src/core/conf/value';

const p = (name: string, v = 15) => lookupParam(name, v)!;

describe('postgresql.conf values (guc.c semantics)', () => {
  it('parse_bool: prefixes, case-insensitive, on/off need two letters', () => {
    for (const t of ['on', 'ON', 't', 'tru', 'TRUE', 'y', 'yes', '1']) assert.equal(parseBool(t), true, t);
    for (const f of ['off', 'of', 'OFF', 'f', 'false', 'n', 'no', '0']) assert.equal(parseBool(f), false, f);
    for (const bad of ['o', '', ' on', 'onn', 'truex', '2', '01', 'yess']) assert.equal(parseBool(bad), undefined, bad);
  });

  it('parse_int: octal, hex, fractions, exponents, units rounded like the server', () => {
    const kb = (v: string) => parseNumber(v, true, 'kB');
    assert.deepEqual(kb('4MB'), { ok: true, value: 4096 });
    assert.deepEqual(kb('010'), { ok: true, value: 8 });
    assert.deepEqual(kb('0x100'), { ok: true, value: 256 });
    assert.deepEqual(kb('1e3'), { ok: true, value: 1000 });
    assert.deepEqual(kb('1.5GB'), { ok: true, value: 1572864 });
    assert.deepEqual(kb(' 64 kB '), { ok: true, value: 64 });
    assert.deepEqual(kb('1B'), { ok: true, value: 0 });
    assert.equal(kb('4mb').ok, false);
    assert.equal(kb('08MB').ok, false, '0 is octal, so 8 starts the unit');
    assert.equal(kb('4MBs').ok, false);
    assert.equal(kb('4TB').ok, false, 'beyond INT_MAX kB');
    assert.equal(kb('').ok, false);
    assert.equal(parseNumber('5', true, '').ok, true);
    assert.equal(parseNumber('5ms', true, '').ok, false, 'a unit on a unitless parameter');
    assert.deepEqual(parseNumber('1.5s', true, 'ms'), { ok: true, value: 1500 });
    assert.deepEqual(parseNumber('30s', true, 'min'), { ok: true, value: 0 });
    assert.deepEqual(parseNumber('90s', true, 'min'), { ok: true, value: 2 }, '1.5 rounds half to even');
    assert.deepEqual(parseNumber('1d', true, 'min'), { ok: true, value: 1440 });
    assert.deepEqual(parseNumber('2ms', false, 'ms'), { ok: true, value: 2 });
    assert.equal(parseNumber('1e400', false, '').ok, false);
    assert.equal(parseNumber('nan', false, '').ok, false);
    assert.deepEqual(parseNumber('inf', false, ''), { ok: true, value: Infinity });
    assert.equal(rint(2.5), 2);
    assert.equal(rint(3.5), 4);
    assert.equal(rint(-2.5), -2);
  });

  it('reports problems in the server words', () => {
    assert.equal(checkValue(p('ssl'), 'maybe'), 'parameter "ssl" requires a Boolean value');
    assert.equal(checkValue(p('work_mem'), '10'), '10 kB is outside the valid range for parameter "work_mem" (64 .. 2147483647)');
    assert.match(checkValue(p('work_mem'), '4mb')!, /Valid units for this parameter are "B", "kB", "MB", "GB", and "TB"/);
    assert.match(checkValue(p('statement_timeout'), '5m')!, /"us", "ms", "s", "min", "h", and "d"/);
    assert.equal(checkValue(p('log_statement'), 'x'), 'invalid value for parameter "log_statement": "x". Available values: none, ddl, mod, all.');
    assert.equal(checkValue(p('synchronous_commit'), 'YES'), undefined, 'hidden enum spellings');
    assert.equal(checkValue(p('password_encryption', 13), 'on'), undefined);
    assert.notEqual(checkValue(p('password_encryption', 14), 'on'), undefined);
    assert.equal(checkValue(p('search_path'), 'anything'), undefined);
    assert.equal(checkValue(p('log_connections', 18), 'receipt, Authentication'), undefined);
    assert.notEqual(checkValue(p('log_connections', 18), 'receipt,nope'), undefined);
  });
});
