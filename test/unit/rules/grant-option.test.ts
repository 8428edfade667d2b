import { ruleTester } from './harness';

ruleTester('grant-option', {
  valid: [],
  invalid: [],
});
