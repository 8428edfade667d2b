import { confRuleTester } from '../conf/harness';

confRuleTester('conf-listen-all', {
  valid: [
    "listen_addresses = 'localhost'\n",
    "listen_addresses = '10.0.0.5, 127.0.0.1'\n",
    "listen_addresses = '*'\nlisten_addresses = 'localhost'\n",
    "#listen_addresses = '*'\n",
    { code: "# pgwarden-disable-next-line conf-listen-all -- reached only through the private VLAN\nlisten_addresses = '*'\n", name: 'suppressed with a reason' },
  ],
  invalid: [
    { code: "listen_addresses = '*'\n", errors: [{ line: 1, column: 20, endColumn: 23, message: "listen_addresses '*'" }] },
    { code: "listen_addresses = 'localhost, 0.0.0.0'\n", errors: [{ line: 1, column: 20, message: "'0.0.0.0'" }] },
    { code: "listen_addresses '::'\n", errors: [{ line: 1, column: 18 }] },
  ],
});
