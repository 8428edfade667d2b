import { ruleTester } from './harness';

ruleTester('security-definer-search-path', {
  valid: [],
  invalid: [],
});
