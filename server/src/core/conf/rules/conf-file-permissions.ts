// conf-file-permissions: the modes the server gives its Unix socket
// (unix_socket_permissions) and, as a live server shows, its data directory
// (data_directory_mode): who on the machine can connect or read table files.
// The judgement is shared with the live audit (core/conf/judge), so the file and the
// server can never disagree about what is weak.

import { ConfRule, judgedFindings } from '../rule';

export const confFilePermissions: ConfRule = {
  meta: {
    id: 'conf-file-permissions',
    language: 'conf',
    defaultSeverity: 'info',
    description: 'unix_socket_permissions or data_directory_mode that let other users of the machine connect or read table files.',
    fixable: true,
  },
  check(doc) {
    return judgedFindings(doc, 'conf-file-permissions');
  },
};
