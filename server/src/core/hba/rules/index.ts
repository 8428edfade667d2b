// Every pg_hba.conf rule. (Filled in by the pg_hba issue.)
import { RuleMeta } from '../../rules';

export const HBA_RULES: readonly { meta: RuleMeta }[] = [];
