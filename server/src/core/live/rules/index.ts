// Every live rule, in the order their findings are listed. The registry test fails when a
// rule module, its docs page or its table test is missing from here.

import { LiveRule } from '../rule';
import { dbSuperuserLogin } from './db-superuser-login';
import { dbBypassrls } from './db-bypassrls';
import { dbMd5Password } from './db-md5-password';
import { dbRlsOffGranted } from './db-rls-off-granted';
import { dbRlsNoPolicy } from './db-rls-no-policy';
import { dbPolicyAlwaysTrue } from './db-policy-always-true';
import { dbPublicTablePrivilege } from './db-public-table-privilege';
import { dbPublicSchemaCreate } from './db-public-schema-create';
import { dbDefinerSearchPath } from './db-definer-search-path';
import { dbPublicFunctionExecute } from './db-public-function-execute';
import { dbPasswordEncryption } from './db-password-encryption';
import { dbUntrustedLanguage } from './db-untrusted-language';
import { dbPredefinedRoleMember } from './db-predefined-role-member';
import { dbRoleEscalation } from './db-role-escalation';
import { dbSettings } from './db-settings';
import { dbPolicyToPublic } from './db-policy-to-public';
import { dbPolicyNoEffect } from './db-policy-no-effect';
import { dbPolicyBypassrlsRole } from './db-policy-bypassrls-role';
import { dbPolicyRlsOff } from './db-policy-rls-off';
import { dbRlsNotForced } from './db-rls-not-forced';
import { dbViewBypassesRls } from './db-view-bypasses-rls';
import { dbDefinerExecute } from './db-definer-execute';
import { dbOrphanRole } from './db-orphan-role';
import { dbExpiredRole } from './db-expired-role';
import { dbRoleNoConnectionLimit } from './db-role-no-connection-limit';
import { dbPasswordNoExpiry } from './db-password-no-expiry';
import { dbDatabasePublicConnect } from './db-database-public-connect';
import { dbExtensionInPublic } from './db-extension-in-public';
import { dbExtensionOutdated } from './db-extension-outdated';
import { dbReplicationSuperuser } from './db-replication-superuser';
import { dbPolicyWeakAuthCheck } from './db-policy-weak-auth-check';
import { dbSettingsReview } from './db-settings-review';
import { dbPolicyReview } from './db-policy-review';
import { dbServerVersion } from './db-server-version';
import { dbTablespaceInDatadir } from './db-tablespace-in-datadir';
import { dbExtensionReview } from './db-extension-review';
import { dbWalArchiving } from './db-wal-archiving';
import { dbStatsReader } from './db-stats-reader';
import { dbLeakproofFunction } from './db-leakproof-function';
import { dbViewReview } from './db-view-review';

export const LIVE_RULES: readonly LiveRule[] = [
  dbSuperuserLogin,
  dbBypassrls,
  dbMd5Password,
  dbRlsOffGranted,
  dbRlsNoPolicy,
  dbPolicyAlwaysTrue,
  dbPublicTablePrivilege,
  dbPublicSchemaCreate,
  dbDefinerSearchPath,
  dbPublicFunctionExecute,
  dbPasswordEncryption,
  dbUntrustedLanguage,
  dbPredefinedRoleMember,
  dbRoleEscalation,
  dbSettings,
  dbSettingsReview,
  dbPolicyToPublic,
  dbPolicyWeakAuthCheck,
  dbPolicyReview,
  dbPolicyNoEffect,
  dbPolicyBypassrlsRole,
  dbPolicyRlsOff,
  dbRlsNotForced,
  dbViewBypassesRls,
  dbDefinerExecute,
  dbOrphanRole,
  dbExpiredRole,
  dbRoleNoConnectionLimit,
  dbPasswordNoExpiry,
  dbDatabasePublicConnect,
  dbExtensionInPublic,
  dbExtensionOutdated,
  dbReplicationSuperuser,
  dbServerVersion,
  dbTablespaceInDatadir,
  dbExtensionReview,
  dbWalArchiving,
  dbStatsReader,
  dbLeakproofFunction,
  dbViewReview,
];
