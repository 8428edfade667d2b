// Every postgresql.conf rule. (Filled in by the pg_hba/postgresql.conf issue.)
import { RuleMeta } from '../../rules';

export const CONF_RULES: readonly { meta: RuleMeta }[] = [];
