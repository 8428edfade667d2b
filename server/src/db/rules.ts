// The live-audit rules' metadata. Kept apart from audit.ts so the registry can list
// them without importing the database code.

import { RuleMeta, Severity } from '../core/rules';

const meta = (id: string, defaultSeverity: Severity, description: string): RuleMeta => ({
  id,
  language: 'db',
  defaultSeverity,
  description,
  fixable: false,
});

export const DB_RULES: readonly RuleMeta[] = [
  meta('db-superuser-login', 'warning', 'More than one superuser can log in: each is an account that bypasses every permission check.'),
  meta('db-bypassrls', 'warning', 'A role other than a superuser has BYPASSRLS and ignores every row-level security policy.'),
  meta('db-rls-off-granted', 'warning', 'A table without row-level security is granted to roles other than its owner, or to PUBLIC.'),
  meta('db-rls-no-policy', 'warning', 'A table has row-level security enabled but no policy, so it denies every row to everyone but its owner.'),
  meta('db-policy-always-true', 'warning', 'A permissive policy with USING (true) or WITH CHECK (true) lets its roles see or write every row.'),
  meta('db-public-table-privilege', 'warning', 'PUBLIC holds a privilege on a table or view, so every role, present and future, holds it.'),
  meta('db-public-schema-create', 'error', 'PUBLIC may CREATE in a schema, so any role can plant objects that shadow others (CVE-2018-1058).'),
  meta('db-public-function-execute', 'warning', 'A SECURITY DEFINER function is executable by PUBLIC, so any role runs it with its owner\'s rights.'),
  meta('db-definer-search-path', 'error', 'A SECURITY DEFINER function does not set search_path, so a caller can make it run their own objects.'),
  meta('db-password-encryption', 'error', 'password_encryption is not scram-sha-256, so new passwords are stored as weak MD5 hashes.'),
  meta('db-md5-password', 'warning', 'A role\'s password is stored as an MD5 hash, which is weak and usable as the password itself for md5 logins.'),
  meta('db-untrusted-language', 'warning', 'An untrusted procedural language is installed: its functions run unsandboxed with the server\'s operating-system rights.'),
];

