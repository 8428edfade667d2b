import { ruleTester } from './harness';

ruleTester('weak-setting', {
  valid: [],
  invalid: [],
});
