import { confRuleTester } from '../conf/harness';

confRuleTester('conf-ssl', {
  valid: [
    'ssl = on\n',
    'ssl = true\n',
    "ssl_min_protocol_version = 'TLSv1.2'\n",
    'ssl_min_protocol_version = TLSv1.3\n',
    { code: 'ssl = off\nssl = on\n', name: 'the overridden line is conf-overridden, not conf-ssl' },
    { code: 'ssl = off\n', files: { 'postgresql.auto.conf': 'ssl = on\n' }, name: 'ALTER SYSTEM turned it on' },
    'ssl = of course\n',
  ],
  invalid: [
    { code: 'ssl = off\n', errors: [{ line: 1, column: 7, endColumn: 10, message: 'ssl is off' }], output: 'ssl = on\n' },
    { code: "ssl = 'false'\n", errors: [{ line: 1, column: 7 }], output: "ssl = 'on'\n" },
    { code: 'ssl 0\n', errors: [{ line: 1, column: 5 }], output: 'ssl on\n' },
    { code: "ssl_min_protocol_version = 'TLSv1'\n", errors: [{ line: 1, column: 28, message: 'TLSv1 allows deprecated' }], output: "ssl_min_protocol_version = 'TLSv1.2'\n" },
    { code: 'ssl_min_protocol_version = tlsv1.1\n', errors: [{ line: 1, column: 28, message: 'TLSv1.1' }], output: 'ssl_min_protocol_version = TLSv1.2\n' },
  ],
});
