// Policy expressions in canonical form: what the author wrote and what pg_get_expr writes
// back for it compare equal; a change of meaning does not.

import assert from 'node:assert/strict';
import { expressionKey, parseExpression } from '../../../server/src/core/drift/expression';
import { loadParser } from '../../../server/src/core/sql/parser';

const key = (text: string) => expressionKey(parseExpression(text));

describe('policy expressions in canonical form', () => {
  before(() => loadParser());

  // Written by the author, and as PostgreSQL 18's pg_get_expr gives it back.
  const SAME: Array<[string, string]> = [
    ['owner = current_user', '(owner = CURRENT_USER)'],
    ["x IN ('a', 'b')", "(x = ANY (ARRAY['a'::text, 'b'::text]))"],
    ["x NOT IN ('a', 'b')", "(x <> ALL (ARRAY['a'::text, 'b'::text]))"],
    ['id BETWEEN 1 AND 5', '((id >= 1) AND (id <= 5))'],
    ["x LIKE 'a%'", "(x ~~ 'a%'::text)"],
    ["name = 'x'", "((name)::text = 'x'::text)"],
    ['EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolname = x)', '(EXISTS ( SELECT 1\n   FROM pg_roles r\n  WHERE ((r.rolname)::text = t1.x)))'],
    ["auth.uid() = user_id AND (team = 'a' AND id > 0)", "((auth.uid() = user_id) AND (team = 'a'::text) AND (id > 0))"],
    ['user_id = (SELECT auth.uid())', '(user_id = ( SELECT auth.uid() AS uid))'],
    ['id IN (SELECT member FROM app.members)', '(id IN ( SELECT members.member\n   FROM app.members))'],
  ];
  for (const [written, deparsed] of SAME)
    it(`${written} is ${deparsed.replace(/\s+/g, ' ')}`, () => {
      assert.equal(key(written), key(deparsed));
    });

  it('tells a changed constant, operator, column or function apart', () => {
    assert.notEqual(key('id > 0'), key('(id > 1)'));
    assert.notEqual(key('id > 0'), key('(id >= 0)'));
    assert.notEqual(key('owner = current_user'), key('(team = CURRENT_USER)'));
    assert.notEqual(key('auth.uid() = user_id'), key('(auth.role() = user_id)'));
    assert.notEqual(key('true'), key('false'));
  });

  it('an expression that does not parse is undefined (unknown, never compared)', () => {
    assert.equal(parseExpression('(id >'), undefined);
  });
});
