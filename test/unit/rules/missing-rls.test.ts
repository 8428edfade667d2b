import { ruleTester } from './harness';

ruleTester('missing-rls', {
  valid: [],
  invalid: [],
});
