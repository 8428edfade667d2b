// pgwarden.json parsing: the defaults, every accepted setting, and every problem message
// with the exact range it underlines. Parsing never throws; a problem leaves that setting
// at its default.

import assert from 'node:assert/strict';
import { DEFAULT_POSTGRES_VERSION, defaultConfig, parseConfig } from '../../server/src/core/config';

const KNOWN = new Set(['grant-all', 'missing-rls']);

/** The problems of `text` as [message, underlined text]. */
function problems(text: string, known: ReadonlySet<string> | undefined = KNOWN): Array<[string, string]> {
  return parseConfig(text, known).problems.map((p) => [p.message, text.slice(p.start, p.end)]);
}

describe('parseConfig', () => {
  it('has the documented defaults', () => {
    assert.equal(DEFAULT_POSTGRES_VERSION, 17);
    assert.deepEqual(defaultConfig(), { rules: {}, rlsSchemas: null, superusers: [], postgresVersion: 17, ignore: [], placeholders: [], migrations: { order: [], kinds: {}, roots: [] }, sessions: { idleInTransactionSeconds: 300 }, drift: { platformRoles: [] } });
    assert.deepEqual(parseConfig('{}'), { config: defaultConfig(), problems: [] });
  });

  it('reads every setting', () => {
    const text = JSON.stringify({
      $schema: './node_modules/pgwarden/schemas/pgwarden.schema.json',
      rules: { 'grant-all': 'off', 'missing-rls': 'error' },
      rls: { schemas: ['public', 'app'] },
      superusers: ['admin'],
      postgresVersion: 13,
      ignore: ['vendor/**'],
      placeholders: ['\\{\\{[^}]*\\}\\}', { pattern: '\\$\\{pw\\}', as: 'literal' }],
      migrations: { order: ['schema/*.sql', 'migrations/**'], kinds: { seed: ['data/*.sql'], down: ['**/rollback_*.sql'] }, roots: ['services/a/db'] },
      sessions: { idleInTransaction: '90s' },
      drift: { platformRoles: ['authenticator', 'supabase_admin'], migrationRole: 'app_owner' },
    });
    assert.deepEqual(parseConfig(text, KNOWN), {
      config: {
        rules: { 'grant-all': 'off', 'missing-rls': 'error' },
        rlsSchemas: ['public', 'app'],
        superusers: ['admin'],
        postgresVersion: 13,
        ignore: ['vendor/**'],
        placeholders: ['\\{\\{[^}]*\\}\\}', { pattern: '\\$\\{pw\\}', as: 'literal' }],
        migrations: { order: ['schema/*.sql', 'migrations/**'], kinds: { seed: ['data/*.sql'], down: ['**/rollback_*.sql'] }, roots: ['services/a/db'] },
        sessions: { idleInTransactionSeconds: 90 },
        drift: { platformRoles: ['authenticator', 'supabase_admin'], migrationRole: 'app_owner' },
      },
      problems: [],
    });
  });

  it('reports bad placeholders and migrations settings on their key, keeping the defaults', () => {
    assert.deepEqual(problems('{"placeholders": "x"}'), [
      ['"placeholders" must be an array of regular expressions, or of {"pattern": "...", "as": "identifier" | "literal" | "blank"}', '"placeholders"'],
    ]);
    assert.deepEqual(problems('{"placeholders": [{"pattern": "x", "as": "number"}]}').map((p) => p[1]), ['"placeholders"']);
    assert.deepEqual(problems('{"placeholders": ["("]}').map((p) => p[0].replace(/: .*/, '')), ['placeholder "(" is not a valid regular expression']);
    assert.deepEqual(problems('{"placeholders": [".*"]}'), [['placeholder ".*" matches the empty string', '"placeholders"']]);
    assert.deepEqual(problems('{"migrations": []}'), [['"migrations" must be an object such as {"order": ["schema/*.sql", "migrations/**"]}', '"migrations"']]);
    assert.deepEqual(problems('{"migrations": {"sort": []}}'), [['unknown setting "migrations.sort" (order, kinds, roots)', '"sort"']]);
    assert.deepEqual(problems('{"migrations": {"order": "a"}}'), [['"migrations.order" must be an array of glob patterns', '"order"']]);
    assert.deepEqual(problems('{"migrations": {"kinds": {"fixture": ["a"]}}}'), [['unknown file kind "fixture" (up, down, test, dump, seed, schema)', '"fixture"']]);
    assert.deepEqual(problems('{"migrations": {"kinds": {"seed": "a"}}}'), [['"migrations.kinds.seed" must be an array of glob patterns', '"seed"']]);
    const r = parseConfig('{"migrations": {"roots": [1]}, "placeholders": [7]}');
    assert.deepEqual([r.config.migrations, r.config.placeholders], [defaultConfig().migrations, []]);
  });

  it('reads sessions.idleInTransaction as seconds or a duration, and reports anything else on its key', () => {
    const idle = (v: unknown) => parseConfig(JSON.stringify({ sessions: { idleInTransaction: v } })).config.sessions.idleInTransactionSeconds;
    assert.deepEqual([idle(45), idle('45'), idle('2min'), idle('1h'), idle(0)], [45, 45, 120, 3600, 0]);
    const bad = '"sessions.idleInTransaction" must be a duration: seconds as a number, or text such as "90s", "5min", "1h"';
    assert.deepEqual(problems('{"sessions": {"idleInTransaction": "soon"}}'), [[bad, '"idleInTransaction"']]);
    assert.deepEqual(problems('{"sessions": {"idleInTransaction": -5}}'), [[bad, '"idleInTransaction"']]);
    assert.deepEqual(problems('{"sessions": {"idle": 5}}'), [['unknown setting "sessions.idle" (idleInTransaction)', '"idle"']]);
    assert.deepEqual(problems('{"sessions": 300}'), [['"sessions" must be an object such as {"idleInTransaction": "5min"}', '"sessions"']]);
    assert.equal(parseConfig('{"sessions": {"idleInTransaction": "soon"}}').config.sessions.idleInTransactionSeconds, 300);
  });

  it('reports bad drift settings on their key, keeping the defaults', () => {
    assert.deepEqual(problems('{"drift": ["a"]}'), [['"drift" must be an object such as {"platformRoles": ["authenticator"]}', '"drift"']]);
    assert.deepEqual(problems('{"drift": {"platform": []}}'), [['unknown setting "drift.platform" (platformRoles, migrationRole)', '"platform"']]);
    assert.deepEqual(problems('{"drift": {"platformRoles": "anon"}}'), [['"drift.platformRoles" must be an array of role names', '"platformRoles"']]);
    assert.deepEqual(problems('{"drift": {"migrationRole": ""}}'), [['"drift.migrationRole" must be a role name', '"migrationRole"']]);
    assert.deepEqual(parseConfig('{"drift": {"platformRoles": [1]}}').config.drift, defaultConfig().drift);
  });

  it('accepts each severity and postgresVersion 13 to 18', () => {
    for (const sev of ['off', 'info', 'warning', 'error']) {
      assert.equal(parseConfig(`{"rules": {"grant-all": "${sev}"}}`, KNOWN).config.rules['grant-all'], sev);
    }
    for (let v = 13; v <= 18; v++) assert.equal(parseConfig(`{"postgresVersion": ${v}}`).config.postgresVersion, v);
  });

  it('accepts a byte order mark before the object', () => {
    assert.deepEqual(parseConfig('\ufeff{"superusers": ["x"]}'), {
      config: { ...defaultConfig(), superusers: ['x'] },
      problems: [],
    });
  });

  it('reports invalid JSON at the parser position, keeping the defaults', () => {
    const text = '{"rules": {"grant-all": "off",}}';
    const r = parseConfig(text);
    assert.deepEqual(r.config, defaultConfig());
    assert.equal(r.problems.length, 1);
    assert.match(r.problems[0].message, /^pgwarden\.json is not valid JSON: /);
    assert.deepEqual([r.problems[0].start, r.problems[0].end], [30, 31]);
    assert.equal(text[30], '}');
  });

  it('underlines the last character when the JSON ends too early, and handles an empty file', () => {
    const r = parseConfig('{"a": 1');
    assert.equal(r.problems.length, 1);
    assert.deepEqual([r.problems[0].start, r.problems[0].end], [6, 7]);
    const empty = parseConfig('');
    assert.deepEqual(empty.config, defaultConfig());
    assert.deepEqual(empty.problems.map((p) => [p.start, p.end]), [[0, 0]]);
    assert.match(empty.problems[0].message, /^pgwarden\.json is not valid JSON: /);
  });

  it('requires an object at the top', () => {
    for (const text of ['[]', 'null', '"x"', '17']) {
      assert.deepEqual(problems(text), [['pgwarden.json must hold a JSON object', text[0]]], text);
    }
  });

  it('names unknown settings at their key', () => {
    assert.deepEqual(problems('{\n  "rule": {},\n  "superusers": []\n}'), [['unknown setting "rule"', '"rule"']]);
  });

  it('checks rules: an object, known ids, and valid severities', () => {
    assert.deepEqual(problems('{"rules": ["grant-all"]}'), [
      ['"rules" must be an object of rule id to "off", "info", "warning" or "error"', '"rules"'],
    ]);
    assert.deepEqual(problems('{"rules": {"grant-al": "off", "grant-all": "warn", "missing-rls": 2}}'), [
      ['unknown rule "grant-al"', '"grant-al"'],
      ['rule "grant-all" must be "off", "info", "warning" or "error"', '"grant-all"'],
      ['rule "missing-rls" must be "off", "info", "warning" or "error"', '"missing-rls"'],
    ]);
    const r = parseConfig('{"rules": {"grant-all": "warn", "missing-rls": "info"}}', KNOWN);
    assert.deepEqual(r.config.rules, { 'missing-rls': 'info' }, 'a bad entry is dropped, the good ones kept');
  });

  it('accepts any rule id when no list of known rules is given', () => {
    assert.deepEqual(parseConfig('{"rules": {"future-rule": "off"}}').config.rules, { 'future-rule': 'off' });
  });

  it('checks rls and rls.schemas', () => {
    assert.deepEqual(problems('{"rls": {"schemas": "public"}}'), [['"rls.schemas" must be an array of schema names', '"schemas"']]);
    assert.deepEqual(problems('{"rls": {"schemas": [1]}}'), [['"rls.schemas" must be an array of schema names', '"schemas"']]);
    assert.deepEqual(problems('{"rls": ["public"]}'), [['"rls" must be an object such as {"schemas": ["public"]}', '"rls"']]);
    assert.deepEqual(problems('{"rls": null}'), [['"rls" must be an object such as {"schemas": ["public"]}', '"rls"']]);
    assert.equal(parseConfig('{"rls": {}}').config.rlsSchemas, null, 'no schemas means every schema');
    assert.deepEqual(parseConfig('{"rls": {"schemas": []}}').config.rlsSchemas, []);
  });

  it('checks superusers, postgresVersion and ignore', () => {
    assert.deepEqual(problems('{"superusers": "admin"}'), [['"superusers" must be an array of role names', '"superusers"']]);
    assert.deepEqual(problems('{"ignore": "x/**"}'), [['"ignore" must be an array of glob patterns', '"ignore"']]);
    for (const v of ['12', '19', '17.5', '"17"', 'null']) {
      const r = parseConfig(`{"postgresVersion": ${v}}`);
      assert.deepEqual(
        r.problems.map((p) => p.message),
        ['"postgresVersion" must be a whole number from 13 to 18'],
        v,
      );
      assert.equal(r.config.postgresVersion, 17, `${v} keeps the default`);
    }
  });

  it('reports several problems at once and keeps the valid settings', () => {
    const r = parseConfig('{"superusers": ["a"], "ignore": 3, "extra": true}', KNOWN);
    assert.deepEqual(r.config.superusers, ['a']);
    assert.deepEqual(r.config.ignore, []);
    assert.deepEqual(
      r.problems.map((p) => p.message),
      ['unknown setting "extra"', '"ignore" must be an array of glob patterns'],
    );
  });
});
