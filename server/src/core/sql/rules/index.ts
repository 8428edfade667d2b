// Every SQL rule, in the order of the README's table. The registry test fails when a
// rule module, its docs page or its table test is missing from here.

import { grantToPublic } from './grant-to-public';
import { grantAll } from './grant-all';
import { grantOption } from './grant-option';
import { superuserRole } from './superuser-role';
import { privilegedRoleAttribute } from './privileged-role-attribute';
import { superuserUse } from './superuser-use';
import { predefinedRoleGrant } from './predefined-role-grant';
import { hardcodedPassword } from './hardcoded-password';
import { weakPasswordHash } from './weak-password-hash';
import { missingRls } from './missing-rls';
import { rlsNoPolicy } from './rls-no-policy';
import { rlsNotForced } from './rls-not-forced';
import { policyAlwaysTrue } from './policy-always-true';
import { viewBypassesRls } from './view-bypasses-rls';
import { securityDefinerSearchPath } from './security-definer-search-path';
import { definerSearchPathUnsafe } from './definer-search-path-unsafe';
import { definerPublicExecute } from './definer-public-execute';
import { untrustedLanguage } from './untrusted-language';
import { hardcodedEncryptionKey } from './hardcoded-encryption-key';
import { weakSetting } from './weak-setting';
import { copyProgram } from './copy-program';
import { dynamicSqlInjection } from './dynamic-sql-injection';
import { unknownRole } from './unknown-role';
import { policyToPublic } from './policy-to-public';
import { policyNoEffect } from './policy-no-effect';
import { policyBypassrlsRole } from './policy-bypassrls-role';
import { policyWeakAuthCheck } from './policy-weak-auth-check';
import { policyUnknownColumn } from './policy-unknown-column';
import { SqlRule } from '../rule';

export const SQL_RULES: readonly SqlRule[] = [
  grantToPublic,
  grantAll,
  grantOption,
  superuserRole,
  privilegedRoleAttribute,
  superuserUse,
  predefinedRoleGrant,
  hardcodedPassword,
  weakPasswordHash,
  missingRls,
  rlsNoPolicy,
  rlsNotForced,
  policyAlwaysTrue,
  viewBypassesRls,
  securityDefinerSearchPath,
  definerSearchPathUnsafe,
  definerPublicExecute,
  untrustedLanguage,
  hardcodedEncryptionKey,
  weakSetting,
  copyProgram,
  dynamicSqlInjection,
  unknownRole,
  policyToPublic,
  policyNoEffect,
  policyBypassrlsRole,
  policyWeakAuthCheck,
  policyUnknownColumn,
];
