import { liveRuleTester } from './harness';

liveRuleTester('db-public-schema-create', {
  kind: 'schema',
  valid: [{ name: 'the default since 15', snapshot: { schemas: [{ name: 'public', publicCreate: false }, { name: 'app', publicCreate: false }] } }],
  invalid: [
    {
      name: 'CREATE for PUBLIC on public and on another schema',
      snapshot: { schemas: [{ name: 'public', publicCreate: true }, { name: 'Shared', publicCreate: true }] },
      findings: [
        { object: 'public', message: /^PUBLIC may CREATE in schema public: .*REVOKE CREATE ON SCHEMA public FROM PUBLIC\.$/ },
        { object: '"Shared"', message: /REVOKE CREATE ON SCHEMA "Shared" FROM PUBLIC/, fix: 'REVOKE CREATE ON SCHEMA "Shared" FROM PUBLIC;' },
      ],
    },
  ],
});
