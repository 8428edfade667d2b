import { ruleTester } from './harness';

ruleTester('predefined-role-grant', {
  valid: [],
  invalid: [],
});
