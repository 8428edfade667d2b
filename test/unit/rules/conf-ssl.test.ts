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
    { code: "ssl = on\nssl_ciphers = 'HIGH:!aNULL:!kRSA'\n", name: 'static RSA key exchange removed' },
    { code: "ssl = on\nssl_ciphers = 'ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384'\n", name: 'forward-secret suites only' },
    { code: "ssl = on\nssl_ciphers = 'ECDHE+AESGCM:DHE+AESGCM:@STRENGTH'\n", name: 'forward-secret key exchange in every selection' },
    { code: "ssl = on\nssl_min_protocol_version = 'TLSv1.3'\nssl_ciphers = 'HIGH:MEDIUM'\n", name: 'ssl_ciphers does not govern TLS 1.3' },
    { code: "ssl_ciphers = 'HIGH:MEDIUM:+3DES:!aNULL'\n", name: 'ssl is off by default: conf-ssl says so on an ssl line, not on the cipher list' },
    "ssl_passphrase_command = '/usr/local/bin/get-key-passphrase %p'\n",
  ],
  invalid: [
    { code: 'ssl = off\n', errors: [{ line: 1, column: 7, endColumn: 10, message: 'ssl is off' }], output: 'ssl = on\n' },
    { code: "ssl = 'false'\n", errors: [{ line: 1, column: 7 }], output: "ssl = 'on'\n" },
    { code: 'ssl 0\n', errors: [{ line: 1, column: 5 }], output: 'ssl on\n' },
    { code: "ssl_min_protocol_version = 'TLSv1'\n", errors: [{ line: 1, column: 28, message: 'TLSv1 allows deprecated' }], output: "ssl_min_protocol_version = 'TLSv1.2'\n" },
    { code: 'ssl_min_protocol_version = tlsv1.1\n', errors: [{ line: 1, column: 28, message: 'TLSv1.1' }], output: 'ssl_min_protocol_version = TLSv1.2\n' },
    {
      code: "ssl = on\nssl_ciphers = 'HIGH:MEDIUM:+3DES:!aNULL'\n",
      errors: [{ line: 2, column: 15, severity: 'info', message: 'lets TLS 1.2 clients use RSA key exchange, which has no forward secrecy' }],
      output: "ssl = on\nssl_ciphers = 'HIGH:MEDIUM:+3DES:!aNULL:!kRSA'\n",
    },
    {
      code: "ssl = on\nssl_ciphers = 'ECDHE-RSA-AES128-GCM-SHA256:AES256-SHA'\n",
      name: 'a named suite without ECDHE or DHE',
      errors: [{ line: 2, column: 15, severity: 'info' }],
      output: "ssl = on\nssl_ciphers = 'ECDHE-RSA-AES128-GCM-SHA256:AES256-SHA:!kRSA'\n",
    },
    {
      code: "ssl = on\nssl_ciphers = 'DEFAULT:-kRSA:AES128-SHA'\n",
      name: 'removed with - and added back',
      errors: [{ line: 2, column: 15, severity: 'info' }],
      output: "ssl = on\nssl_ciphers = 'DEFAULT:-kRSA:AES128-SHA:!kRSA'\n",
    },
    {
      code: "ssl_passphrase_command = 'echo s3cret'\n",
      errors: [{ line: 1, column: 26, severity: 'warning', message: "the private key's passphrase is written in the configuration" }],
    },
  ],
});
