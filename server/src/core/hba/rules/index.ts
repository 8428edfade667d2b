// Every pg_hba.conf rule, in the order their findings are computed.
import { HbaRule } from '../rule';
import { hbaDuplicate } from './hba-duplicate';
import { hbaHostBits } from './hba-host-bits';
import { hbaIdentTcp } from './hba-ident-tcp';
import { hbaKeywordCase } from './hba-keyword-case';
import { hbaLdapCleartext } from './hba-ldap-cleartext';
import { hbaMd5 } from './hba-md5';
import { hbaNoSsl } from './hba-no-ssl';
import { hbaOpenAddress } from './hba-open-address';
import { hbaPassword } from './hba-password';
import { hbaReplicationOpen } from './hba-replication-open';
import { hbaShadowed } from './hba-shadowed';
import { hbaSuperuserRemote } from './hba-superuser-remote';
import { hbaSyntax } from './hba-syntax';
import { hbaTrust } from './hba-trust';
import { hbaWideNetwork } from './hba-wide-network';
import { hbaAllRemote } from './hba-all-remote';

export const HBA_RULES: readonly HbaRule[] = [
  hbaSyntax,
  hbaTrust,
  hbaPassword,
  hbaMd5,
  hbaOpenAddress,
  hbaNoSsl,
  hbaIdentTcp,
  hbaSuperuserRemote,
  hbaReplicationOpen,
  hbaShadowed,
  hbaDuplicate,
  hbaLdapCleartext,
  hbaHostBits,
  hbaKeywordCase,
  hbaWideNetwork,
  hbaAllRemote,
];
