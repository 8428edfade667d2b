import { ruleTester } from './harness';

ruleTester('hardcoded-encryption-key', {
  valid: [],
  invalid: [],
});
