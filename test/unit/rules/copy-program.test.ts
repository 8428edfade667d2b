import { ruleTester } from './harness';

ruleTester('copy-program', {
  valid: [],
  invalid: [],
});
