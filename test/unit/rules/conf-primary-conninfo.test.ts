import { confRuleTester } from '../conf/harness';

confRuleTester('conf-primary-conninfo', {
  valid: [
    "primary_conninfo = 'host=10.0.0.1 user=replicator sslmode=verify-full passfile=/var/lib/postgresql/.pgpass'\n",
    "primary_conninfo = 'host=/var/run/postgresql user=replicator'\n",
    { code: "primary_conninfo = 'user=replicator'\n", name: 'no host: the default Unix socket' },
    "primary_conninfo = 'host=primary.internal sslmode=verify-ca'\n",
    { code: "primary_conninfo = 'host=primary gssencmode=require'\n", name: 'GSSAPI encryption required' },
    "primary_conninfo = ''\n",
  ],
  invalid: [
    {
      code: "primary_conninfo = 'host=10.0.0.1 user=replicator password=secret sslmode=verify-full'\n",
      errors: [{ line: 1, column: 20, severity: 'warning', message: 'primary_conninfo holds the replication password' }],
    },
    {
      code: "primary_conninfo = 'host=10.0.0.1 user=replicator'\n",
      errors: [{ line: 1, column: 20, severity: 'warning', message: 'has no sslmode (libpq uses prefer)' }],
    },
    {
      code: "primary_conninfo = 'host=primary port=5432 password=''p w'' sslmode=disable'\n",
      name: 'a quoted password with a blank; both problems',
      errors: [
        { line: 1, column: 20, message: 'holds the replication password' },
        { line: 1, column: 20, message: 'has sslmode=disable' },
      ],
    },
    {
      code: "primary_conninfo = 'postgresql://replicator:secret@10.0.0.1:5432/postgres?sslmode=verify-full'\n",
      name: 'a URI with a password',
      errors: [{ line: 1, column: 20, message: 'holds the replication password' }],
    },
    {
      code: "primary_conninfo = 'host=primary sslmode=require'\n",
      errors: [{ line: 1, column: 20, severity: 'info', message: "does not check the primary's certificate" }],
    },
  ],
});
