import { ruleTester } from './harness';

ruleTester('superuser-role', {
  valid: ['CREATE ROLE app LOGIN;', 'CREATE ROLE app NOSUPERUSER;', 'ALTER ROLE app NOSUPERUSER;', 'ALTER USER app CREATEDB;'],
  invalid: [
    {
      code: 'CREATE ROLE admin WITH LOGIN SUPERUSER;',
      errors: [{ line: 1, column: 30, endColumn: 39, message: '"admin"' }],
      output: 'CREATE ROLE admin WITH LOGIN NOSUPERUSER;',
    },
    {
      code: 'create user bob superuser;',
      errors: [{ line: 1, column: 17 }],
      output: 'create user bob NOSUPERUSER;',
    },
    {
      code: 'ALTER ROLE bob SUPERUSER;',
      errors: [{ line: 1, column: 16, message: '"bob"' }],
      output: 'ALTER ROLE bob NOSUPERUSER;',
    },
  ],
});
