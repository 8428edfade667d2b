import { SnapshotExtension } from '../../../../server/src/core/live/snapshot';
import { liveRuleTester } from './harness';

const ext = (name: string, attrs: Partial<SnapshotExtension> = {}): SnapshotExtension => ({ name, schema: 'extensions', version: '1.3', defaultVersion: '1.3', relocatable: true, ...attrs });

liveRuleTester('db-extension-outdated', {
  kind: 'extension',
  valid: [
    { name: 'at the default version', snapshot: { extensions: [ext('pgcrypto')] } },
    { name: 'no control file on this server (default unknown)', snapshot: { extensions: [ext('custom', { defaultVersion: null })] } },
  ],
  invalid: [
    {
      name: 'behind the packaged default',
      snapshot: { extensions: [ext('pg_stat_statements', { version: '1.9', defaultVersion: '1.11' })] },
      findings: [{ object: 'pg_stat_statements', message: /^Extension "pg_stat_statements" is at version 1\.9 but the server provides 1\.11: .* ALTER EXTENSION pg_stat_statements UPDATE\.$/ }],
    },
  ],
});
