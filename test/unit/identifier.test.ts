// The one identifier module: keyword-aware quoting and the qualified-name reader every
// message, fix, generated statement and CLI argument goes through.

import assert from 'node:assert/strict';
import { IdentifierError, parseQualified, parseSchemaQualified, quoteIdent, quoteIdentAlways, quoteQualified } from '../../server/src/core/identifier';

describe('identifier', () => {
  it('quotes keywords, capitals, blanks and quotes, and nothing else', () => {
    assert.deepEqual(['user', 'table', 'Order', 'a b', 'a"b', '1x', 'orders', 'name', 'x$1'].map(quoteIdent), [
      '"user"',
      '"table"',
      '"Order"',
      '"a b"',
      '"a""b"',
      '"1x"',
      'orders',
      'name',
      'x$1',
    ]);
    assert.equal(quoteIdentAlways('orders'), '"orders"');
    assert.equal(quoteQualified({ schema: 'public', name: 'user' }), 'public."user"');
  });

  it('reads a qualified name as SQL does: quoted parts keep case and dots, unquoted ones fold', () => {
    assert.deepEqual(parseQualified('App."Order Items"'), { parts: ['app', 'Order Items'], rest: '' });
    assert.deepEqual(parseQualified('a."B c"."d""e"'), { parts: ['a', 'B c', 'd"e'], rest: '' });
    assert.deepEqual(parseQualified('app.f(integer, text)'), { parts: ['app', 'f'], rest: '(integer, text)' });
    assert.throws(() => parseQualified('"open'), IdentifierError);
    assert.throws(() => parseQualified('""'), IdentifierError);
    assert.throws(() => parseQualified('.x'), IdentifierError);
  });

  it('reads back what quoteIdent writes, for every awkward name', () => {
    for (const n of ['user', 'Order', 'a.b', 'a"b', 'été', 'x y']) {
      assert.deepEqual(parseSchemaQualified(`${quoteIdent('app')}.${quoteIdent(n)}`), { schema: 'app', name: n }, n);
    }
    assert.deepEqual(parseSchemaQualified('orders', 'public'), { schema: 'public', name: 'orders' });
    for (const bad of ['orders', 'a.b.c', 'a.', '.b', '"open.x', '', 'a.b; drop']) assert.equal(parseSchemaQualified(bad), undefined, bad);
  });
});
