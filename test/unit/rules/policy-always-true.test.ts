import { ruleTester } from './harness';

ruleTester('policy-always-true', {
  valid: [],
  invalid: [],
});
