import { ruleTester } from './harness';

ruleTester('untrusted-language', {
  valid: [],
  invalid: [],
});
