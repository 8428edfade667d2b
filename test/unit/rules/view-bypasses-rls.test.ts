import { ruleTester } from './harness';

ruleTester('view-bypasses-rls', {
  valid: [],
  invalid: [],
});
