import { liveRuleTester } from './harness';

const fn = (signature: string, attrs: object = {}) => ({ signature, securityDefiner: true, setsSearchPath: true, publicExecute: true, owner: 'app_owner', ...attrs });

liveRuleTester('db-public-function-execute', {
  kind: 'function',
  valid: [
    { name: 'EXECUTE revoked from PUBLIC', snapshot: { functions: [fn('app.f()', { publicExecute: false })] } },
    { name: 'an invoker-rights function runs with the caller\'s rights', snapshot: { functions: [fn('app.g()', { securityDefiner: false })] } },
  ],
  invalid: [
    {
      name: 'a definer function executable by PUBLIC',
      snapshot: { functions: [fn('app.reset_balance(p_id integer)')] },
      findings: [{ object: 'app.reset_balance(p_id integer)', message: /^SECURITY DEFINER function app\.reset_balance\(p_id integer\) is executable by PUBLIC: every role runs it with the rights of "app_owner"/, fix: 'REVOKE EXECUTE ON FUNCTION app.reset_balance(p_id integer) FROM PUBLIC;' }],
    },
  ],
});
