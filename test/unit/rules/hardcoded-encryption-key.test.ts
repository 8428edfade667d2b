import { ruleTester } from './harness';

ruleTester('hardcoded-encryption-key', {
  valid: [
    "SELECT pgp_sym_encrypt(secret, current_setting('app.key')) FROM t;",
    { code: "SELECT pgp_sym_decrypt(data, :'key') FROM t;", name: 'a psql variable key' },
    { code: 'SELECT pgp_sym_encrypt(secret, $1);', name: 'a parameter' },
    { code: 'SELECT encrypt(data, k.key, \'aes\') FROM t JOIN keys k USING (id);', name: 'a column' },
    { code: "SELECT pgp_sym_encrypt('constant data', key_col) FROM keys;", name: 'constant data, not a constant key' },
    { code: "SELECT encrypt('x', 'y');", name: 'another function with the same name but two arguments' },
    { code: "SELECT hmac('data', 'key');", name: 'hmac takes three arguments' },
    { code: "SELECT digest('data', 'sha256');", name: 'digest has no key' },
    "SELECT 'pgp_sym_encrypt(x, ''key'')';",
    {
      code: "CREATE FUNCTION enc(d text, k text) RETURNS bytea LANGUAGE plpgsql AS $$\nBEGIN\n  RETURN pgp_sym_encrypt(d, k); -- pgp_sym_encrypt(d, 'x')\nEND $$;",
      name: 'a PL/pgSQL body with a parameter key and a commented-out literal',
    },
    {
      code: "CREATE FUNCTION enc(d text) RETURNS bytea LANGUAGE plpython3u AS $$ return pgp_sym_encrypt(d, 'k') $$;",
      name: 'bodies in other languages are not SQL',
    },
    {
      code: "DO $$ BEGIN RAISE NOTICE '%', 'pgp_sym_encrypt(d, ''k'')'; END $$;",
      name: 'a call inside a string in a body',
    },
    "-- SELECT pgp_sym_encrypt(x, 'key')\nSELECT 1;",
  ],
  invalid: [
    {
      code: "INSERT INTO t (c) VALUES (pgp_sym_encrypt('data', 'k3y!'));",
      errors: [{ line: 1, column: 51, endColumn: 57, message: 'The key given to pgp_sym_encrypt is written in the SQL' }],
    },
    {
      code: "SELECT PGP_SYM_DECRYPT(c, 'k3y!', 'cipher-algo=aes256') FROM t;",
      name: 'upper case, with options',
      errors: [{ line: 1, column: 27, endColumn: 33, message: 'pgp_sym_decrypt' }],
    },
    {
      code: "SELECT pgcrypto.encrypt(data, 'k3y!'::bytea, 'aes'), decrypt_iv(data, bytea 'k3y!', '\\x00', 'aes') FROM t;",
      name: 'schema-qualified, casts in both styles',
      errors: [
        { line: 1, column: 31, endColumn: 37, message: 'encrypt' },
        { line: 1, column: 77, endColumn: 83, message: 'decrypt_iv' },
      ],
    },
    {
      code: "UPDATE t SET mac = hmac(body, decode('00ff', 'hex'), 'sha256');",
      name: 'a constant decoded',
      errors: [{ line: 1, column: 38, endColumn: 44, message: 'hmac' }],
    },
    {
      code: "SELECT '日本語🙂';\nSELECT encrypt_iv(d, '秘密', '\\x00', 'aes'), pgp_sym_encrypt_bytea(d, 'k'), pgp_sym_decrypt_bytea(d, 'k') FROM t;",
      name: 'CJK key after CJK and emoji, three functions',
      errors: [
        { line: 2, column: 22, endColumn: 26 },
        { line: 2, column: 69, endColumn: 72 },
        { line: 2, column: 100, endColumn: 103 },
      ],
    },
    {
      code: "CREATE FUNCTION enc(d text) RETURNS bytea LANGUAGE sql\nBEGIN ATOMIC\n  SELECT pgp_sym_encrypt(d, 'k3y!');\nEND;",
      name: 'inside a SQL-standard function body',
      errors: [{ line: 3, column: 29, endColumn: 35 }],
    },
    {
      code: "CREATE FUNCTION enc(d text) RETURNS bytea LANGUAGE plpgsql AS $body$\nDECLARE r bytea;\nBEGIN\n  r := pgp_sym_encrypt(d, 'k3y!'::text, 'cipher-algo=aes256');\n  RETURN r;\nEND $body$;",
      name: 'inside a dollar-quoted PL/pgSQL body',
      errors: [{ line: 4, column: 27, endColumn: 33, message: 'pgp_sym_encrypt' }],
    },
    {
      code: "SELECT '日本🙂';\nDO $$ BEGIN PERFORM hmac(convert_to('x', 'UTF8'), E'k\\'ey', 'sha256'), Encrypt(a, b, 'aes'); END $$;",
      name: 'a DO block after CJK and emoji, nested call in the data, an E string key',
      errors: [{ line: 2, column: 51, endColumn: 59, message: 'hmac' }],
    },
    {
      code: "CREATE FUNCTION decr(c bytea) RETURNS text LANGUAGE sql AS $$ SELECT pgp_sym_decrypt(c, '秘密') $$;",
      name: 'a dollar-quoted SQL body, CJK key',
      errors: [{ line: 1, column: 89, endColumn: 93 }],
    },
  ],
});
