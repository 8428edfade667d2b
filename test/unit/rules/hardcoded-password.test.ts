import { ruleTester } from './harness';

ruleTester('hardcoded-password', {
  valid: [],
  invalid: [],
});
