import { ruleTester } from './harness';

ruleTester('weak-password-hash', {
  valid: [],
  invalid: [],
});
