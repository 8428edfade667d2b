// Every pg_ident.conf rule, in the order their findings are computed.
import { IdentRule } from '../rule';
import { identAnySuperuser } from './ident-any-superuser';
import { identRegexUnanchored } from './ident-regex-unanchored';
import { identSyntax } from './ident-syntax';

export const IDENT_RULES: readonly IdentRule[] = [
  identSyntax,
  identAnySuperuser,
  identRegexUnanchored,
];
