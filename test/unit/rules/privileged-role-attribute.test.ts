import { ruleTester } from './harness';

ruleTester('privileged-role-attribute', {
  valid: [],
  invalid: [],
});
