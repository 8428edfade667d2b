import { liveRuleTester, role } from './harness';

const fn = (signature: string, attrs: object = {}) => ({ signature, securityDefiner: true, setsSearchPath: false, publicExecute: false, owner: 'app_owner', ...attrs });

liveRuleTester('db-definer-search-path', {
  kind: 'function',
  valid: [
    { name: 'search_path set', snapshot: { functions: [fn('app.f()', { setsSearchPath: true })] } },
    { name: 'a path of schemas only the owner and superusers may create in', snapshot: { roles: [role('postgres', { superuser: true })], schemas: [{ name: 'util', publicCreate: false, creators: ['app_owner', 'postgres'] }], functions: [fn('app.f()', { setsSearchPath: true, searchPath: ['util', 'pg_temp'] })] } },
    { name: 'not SECURITY DEFINER', snapshot: { functions: [fn('app.g()', { securityDefiner: false })] } },
  ],
  invalid: [
    {
      name: 'definer without search_path',
      snapshot: { functions: [fn('app.reset_balance(p_id integer)')] },
      findings: [{ object: 'app.reset_balance(p_id integer)', message: /^SECURITY DEFINER function app\.reset_balance\(p_id integer\) \(owner "app_owner"\) does not set search_path: .*ALTER FUNCTION app\.reset_balance\(p_id integer\) SET search_path = pg_catalog, pg_temp\.$/, fix: 'ALTER FUNCTION app.reset_balance(p_id integer) SET search_path = pg_catalog, pg_temp;' }],
    },
    {
      name: 'a pinned path that lists a schema others may create in',
      snapshot: { schemas: [{ name: 'public', publicCreate: true, creators: ['PUBLIC', 'pg_database_owner'] }], functions: [fn('app.pay(integer)', { setsSearchPath: true, searchPath: ['public', 'pg_temp'] })] },
      findings: [{ object: 'app.pay(integer)', message: /^SECURITY DEFINER function app\.pay\(integer\) \(owner "app_owner"\) has public on its search_path, and PUBLIC may create objects there: .* REVOKE CREATE ON SCHEMA public FROM PUBLIC\.$/, fix: null }],
    },
  ],
});
