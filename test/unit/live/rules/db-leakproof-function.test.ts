import { liveRuleTester } from './harness';

liveRuleTester('db-leakproof-function', {
  kind: 'function',
  valid: [
    { name: 'no LEAKPROOF function of the database', snapshot: { leakproofFunctions: [] } },
    { name: 'not read', snapshot: {} },
  ],
  invalid: [
    {
      name: 'a LEAKPROOF function in a user schema',
      snapshot: { leakproofFunctions: [{ signature: 'app.same_tenant(integer, integer)', owner: 'postgres', language: 'sql' }] },
      findings: [
        {
          object: 'app.same_tenant(integer, integer)',
          message: /^Function app\.same_tenant\(integer, integer\) \(sql, owned by "postgres"\) is LEAKPROOF: .* ALTER FUNCTION app\.same_tenant\(integer, integer\) NOT LEAKPROOF\.$/,
        },
      ],
    },
  ],
});
