import { confRuleTester } from '../conf/harness';

confRuleTester('conf-listen-all', {
  valid: [
    "listen_addresses = 'localhost'\n",
    "listen_addresses = '10.0.0.5, 127.0.0.1'\n",
    "listen_addresses = '*'\nlisten_addresses = 'localhost'\n",
    "#listen_addresses = '*'\n",
    { code: "# pgwarden-disable-next-line conf-listen-all -- reached only through the private VLAN\nlisten_addresses = '*'\n", name: 'suppressed with a reason' },
    { code: "listen_addresses = '*' # what IP address(es) to listen on;\n", fileName: 'examples/docker/custom-config/configs/postgresql.conf', name: "a container image's config: the container's interface is how it is reached" },
    { code: "listen_addresses = '*'\n", fileName: 'images/pgmq-pg/postgresql.conf', name: 'an image folder' },
    { code: "listen_addresses = '*'\n", fileName: 'examples/kube/pgaudit/configs/postgresql.conf', name: 'a Kubernetes deployment' },
  ],
  invalid: [
    { code: "listen_addresses = '*'\n", errors: [{ line: 1, column: 20, endColumn: 23, message: "listen_addresses '*'" }] },
    { code: "listen_addresses = 'localhost, 0.0.0.0'\n", errors: [{ line: 1, column: 20, message: "'0.0.0.0'" }] },
    { code: "listen_addresses '::'\n", errors: [{ line: 1, column: 18 }] },
    { code: "listen_addresses = '*'\n", fileName: 'dockerless/postgresql.conf', name: 'a folder whose name only contains docker', errors: [{ line: 1, column: 20 }] },
  ],
});
