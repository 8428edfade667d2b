import { ruleTester } from './harness';

ruleTester('rls-no-policy', {
  valid: [],
  invalid: [],
});
