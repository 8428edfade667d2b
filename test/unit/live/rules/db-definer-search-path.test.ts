import { liveRuleTester } from './harness';

const fn = (signature: string, attrs: object = {}) => ({ signature, securityDefiner: true, setsSearchPath: false, publicExecute: false, owner: 'app_owner', ...attrs });

liveRuleTester('db-definer-search-path', {
  kind: 'function',
  valid: [
    { name: 'search_path set', snapshot: { functions: [fn('app.f()', { setsSearchPath: true })] } },
    { name: 'not SECURITY DEFINER', snapshot: { functions: [fn('app.g()', { securityDefiner: false })] } },
  ],
  invalid: [
    {
      name: 'definer without search_path',
      snapshot: { functions: [fn('app.reset_balance(p_id integer)')] },
      findings: [{ object: 'app.reset_balance(p_id integer)', message: /^SECURITY DEFINER function app\.reset_balance\(p_id integer\) \(owner "app_owner"\) does not set search_path: .*ALTER FUNCTION app\.reset_balance\(p_id integer\) SET search_path = pg_catalog, pg_temp\.$/ }],
    },
  ],
});
