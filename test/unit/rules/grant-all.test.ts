import { ruleTester } from './harness';

ruleTester('grant-all', {
  valid: [],
  invalid: [],
});
