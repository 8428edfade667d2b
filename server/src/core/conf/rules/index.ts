// Every postgresql.conf rule.
import { ConfRule } from '../rule';
import { confIdleTimeout } from './conf-idle-timeout';
import { confListenAll } from './conf-listen-all';
import { confAuthTimeout } from './conf-auth-timeout';
import { confFilePermissions } from './conf-file-permissions';
import { confLogFiles } from './conf-log-files';
import { confPgaudit } from './conf-pgaudit';
import { confPreload } from './conf-preload';
import { confServerDiffers } from './conf-server-differs';
import { confPrimaryConninfo } from './conf-primary-conninfo';
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
  confAuthTimeout,
  confLogFiles,
  confPrimaryConninfo,
  confFilePermissions,
  confPgaudit,
  confPreload,
  confServerDiffers,
];
