import { liveRuleTester, role } from './harness';

const fn = (attrs = {}) => ({ signature: 'app.pay(integer)', securityDefiner: true, setsSearchPath: true, publicExecute: false, owner: 'app_owner', executeGrantees: ['clerk'], ...attrs });

liveRuleTester('db-definer-execute', {
  kind: 'function',
  valid: [
    { name: 'granted to a group role (cannot log in)', snapshot: { roles: [role('clerk', { login: false })], functions: [fn()] } },
    { name: 'not SECURITY DEFINER', snapshot: { roles: [role('clerk')], functions: [fn({ securityDefiner: false })] } },
    { name: 'granted to a superuser', snapshot: { roles: [role('clerk', { superuser: true })], functions: [fn()] } },
    { name: 'no direct grant', snapshot: { roles: [role('clerk')], functions: [fn({ executeGrantees: [] })] } },
  ],
  invalid: [
    {
      name: 'login roles granted EXECUTE directly',
      snapshot: { roles: [role('clerk'), role('teller'), role('group', { login: false })], functions: [fn({ executeGrantees: ['clerk', 'group', 'teller'] })] },
      findings: [{ object: 'app.pay(integer)', message: /^SECURITY DEFINER function app\.pay\(integer\) runs with the rights of "app_owner" for the login roles "clerk", "teller", granted EXECUTE directly/ }],
    },
  ],
});
