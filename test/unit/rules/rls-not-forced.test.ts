import { ruleTester } from './harness';

ruleTester('rls-not-forced', {
  valid: [],
  invalid: [],
});
