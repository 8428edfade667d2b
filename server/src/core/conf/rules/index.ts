// Every postgresql.conf rule.
import { ConfRule } from '../rule';
import { confIdleTimeout } from './conf-idle-timeout';
import { confListenAll } from './conf-listen-all';
import { confLogging } from './conf-logging';
import { confOverridden } from './conf-overridden';
import { confPasswordEncryption } from './conf-password-encryption';
import { confSsl } from './conf-ssl';
import { confSyntax } from './conf-syntax';

export const CONF_RULES: readonly ConfRule[] = [
  confSyntax,
  confOverridden,
  confPasswordEncryption,
  confSsl,
  confListenAll,
  confLogging,
  confIdleTimeout,
];
