import { ruleTester } from './harness';

ruleTester('definer-public-execute', {
  valid: [],
  invalid: [],
});
