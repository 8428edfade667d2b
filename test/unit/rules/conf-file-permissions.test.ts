import { confRuleTester } from '../conf/harness';

confRuleTester('conf-file-permissions', {
  valid: [
    'unix_socket_permissions = 0770\n',
    'unix_socket_permissions = 0700\n',
    { code: 'data_checksums = off\n', name: 'internal settings are conf-syntax, and judged only on a live server' },
  ],
  invalid: [
    {
      code: 'unix_socket_permissions = 0777\n',
      errors: [{ line: 1, column: 27, severity: 'info', message: 'unix_socket_permissions 0777 lets every user of the machine connect' }],
      output: 'unix_socket_permissions = 0770\n',
    },
    { code: 'unix_socket_permissions = 511\n', name: 'decimal', errors: [{ line: 1, column: 27, message: '0777' }], output: 'unix_socket_permissions = 0770\n' },
  ],
});
