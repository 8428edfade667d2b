import { ruleTester } from './harness';

ruleTester('dynamic-sql-injection', {
  valid: [],
  invalid: [],
});
