// The live audit: db-* findings computed from the catalog. Filled in below.

import { PgwardenConfig } from '../core/config';
import { RuleMeta } from '../core/rules';
import { Session } from './session';
import { DbFinding } from './types';

export interface AuditOptions {
  config?: PgwardenConfig;
}

export const DB_RULES: RuleMeta[] = [];

export async function audit(_session: Session, _opts: AuditOptions = {}): Promise<DbFinding[]> {
  throw new Error('audit: not implemented yet');
}
