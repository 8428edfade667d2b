import { ruleTester } from './harness';

ruleTester('superuser-use', {
  valid: [],
  invalid: [],
});
