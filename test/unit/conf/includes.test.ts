// Following include directives: relative paths, include_dir order and filters, cycles,
// depth, missing files and misbehaving file systems, all without a hang or a throw.

import assert from 'node:assert/strict';
import { analyzeConf } from '../../../server/src/core/conf/analyze';
import { CONF_DIR, lintConfCase, memoryFs } from './harness';

const syntax = (code: string, files: Record<string, string>) =>
  lintConfCase({ code, files })
    .filter((f) => f.ruleId === 'conf-syntax')
    .map((f) => f.message.replace(/\. The server refuses.*$/, ''));

describe('postgresql.conf includes', () => {
  it('resolves nested includes relative to the including file', () => {
    assert.deepEqual(syntax("include 'a/one.conf'\n", { 'a/one.conf': "include 'two.conf'\n", 'a/two.conf': 'work_mem = 4MB\n' }), []);
    assert.deepEqual(syntax("include 'a/one.conf'\n", { 'a/one.conf': "include 'two.conf'\n", 'two.conf': 'work_mem = 4MB\n' }), [
      `include: a/one.conf line 1: could not open configuration file "${CONF_DIR}/a/two.conf": No such file or directory`,
    ]);
    assert.deepEqual(syntax(`include '${CONF_DIR}/abs.conf'\n`, { 'abs.conf': 'work_mem = 4MB\n' }), []);
  });

  it('reads include_dir files in C order, so upper case sorts first', () => {
    const a = analyzeConf(
      { uri: `file://${CONF_DIR}/postgresql.conf`, text: "work_mem = 1MB\ninclude_dir 'd'\n", ...memoryFs({ 'd/b.conf': 'work_mem = 2MB\n', 'd/B.conf': 'work_mem = 3MB\n' }) },
      17,
    );
    assert.deepEqual(a.settings[0].overriddenBy, { file: 'd/b.conf', line: 0 });
  });

  it('ends an include cycle with one problem', () => {
    const t0 = Date.now();
    assert.deepEqual(syntax("include 'a.conf'\n", { 'a.conf': "include 'b.conf'\n", 'b.conf': "include 'a.conf'\n" }), [
      'include: a.conf line 1: b.conf line 1: include cycle a.conf -> b.conf -> a.conf; the server stops at nesting depth 10 ("maximum nesting depth exceeded")',
    ]);
    assert.deepEqual(syntax("include_dir '.'\n", { 'x.conf': 'work_mem = 4MB\n' }).length, 1, 'a directory that holds the file itself');
    assert.ok(Date.now() - t0 < 1000);
  });

  it('stops at the server nesting depth of 10', () => {
    const files: Record<string, string> = {};
    for (let i = 1; i <= 12; i++) files[`n${i}.conf`] = `include 'n${i + 1}.conf'\n`;
    files['n13.conf'] = 'work_mem = 4MB\n';
    const msgs = syntax("include 'n1.conf'\n", files);
    assert.equal(msgs.length, 1);
    assert.match(msgs[0], /n10\.conf line 1: could not open configuration file ".*n11\.conf": maximum nesting depth exceeded/);
  });

  it('survives a file system that throws, and does nothing without one', () => {
    const boom = () => {
      throw new Error('EACCES');
    };
    const a = analyzeConf({ uri: 'file:///etc/postgresql.conf', text: "include 'x.conf'\ninclude_dir 'd'\n", readFile: boom, listDir: boom }, 17);
    assert.deepEqual(a.includeProblems.map((p) => p.message), ['could not open configuration file "/etc/x.conf": No such file or directory', 'could not open configuration directory "/etc/d"']);
    const b = analyzeConf({ uri: 'untitled:Untitled-1', text: "include 'x.conf'\n" }, 17);
    assert.deepEqual(b.includeProblems, []);
  });
});

describe('postgresql.conf includes: exponential nesting', () => {
  it('stops after a bounded number of files instead of hanging', () => {
    // Each level includes the next one 20 times: 20^9 files for the server, within its depth limit.
    const files: Record<string, string> = {};
    for (let i = 1; i <= 8; i++) files[`l${i}.conf`] = `include 'l${i + 1}.conf'\n`.repeat(20);
    files['l9.conf'] = 'work_mem = 4MB\n';
    const t0 = Date.now();
    const msgs = syntax("include 'l1.conf'\n", files);
    assert.ok(Date.now() - t0 < 3000, `${Date.now() - t0} ms`);
    assert.equal(msgs.length, 1);
    assert.match(msgs[0], /more than 1000 included files; pgwarden stopped following includes here/);
  });
});
