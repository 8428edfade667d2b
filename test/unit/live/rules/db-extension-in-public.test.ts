import { SnapshotExtension } from '../../../../server/src/core/live/snapshot';
import { liveRuleTester } from './harness';

const ext = (name: string, attrs: Partial<SnapshotExtension> = {}): SnapshotExtension => ({ name, schema: 'public', version: '1.3', defaultVersion: '1.3', relocatable: true, ...attrs });

liveRuleTester('db-extension-in-public', {
  kind: 'extension',
  valid: [
    { name: 'plpgsql lives in pg_catalog', snapshot: { extensions: [ext('plpgsql', { schema: 'pg_catalog' })] } },
    { name: 'an extension in a schema of its own', snapshot: { extensions: [ext('pgcrypto', { schema: 'extensions' })] } },
  ],
  invalid: [
    {
      name: 'a relocatable extension in public, on 15+ where PUBLIC may not CREATE there',
      snapshot: { extensions: [ext('pgcrypto')] },
      findings: [{ object: 'pgcrypto', message: /^Extension "pgcrypto" is installed in schema public\. Give it a schema of its own: CREATE SCHEMA extensions; ALTER EXTENSION pgcrypto SET SCHEMA extensions;/ }],
    },
    {
      name: 'a fixed one in a public schema every role may CREATE in',
      snapshot: { schemas: [{ name: 'public', publicCreate: true }], extensions: [ext('postgis', { relocatable: false })] },
      findings: [{ object: 'postgis', message: /in schema public, where every role may CREATE: any role can shadow its functions .* it is not relocatable: DROP EXTENSION postgis; CREATE EXTENSION postgis SCHEMA extensions;/ }],
    },
  ],
});
