// Judgements of conf-file-permissions: the modes the server gives its socket and its data
// directory, read from settings, so a CIS "file permissions" item is answered without a
// shell on the server. Also data_checksums, which only a live server can show.

import { parseNumber } from '../value';
import { Judgement, octal, Reader } from './view';

function mode(r: Reader, key: string): number | undefined {
  const v = r.raw(key);
  if (v === undefined) return undefined;
  const n = parseNumber(v, true, '');
  return n.ok ? n.value : undefined;
}

export function judgePermissions(r: Reader): Judgement[] {
  const out: Judgement[] = [];
  const socket = mode(r, 'unix_socket_permissions');
  if (socket !== undefined && socket & 0o007) {
    out.push({
      ruleId: 'conf-file-permissions',
      at: ['unix_socket_permissions'],
      severity: 'info',
      message: `unix_socket_permissions ${octal(socket)} lets every user of the machine connect through the socket, so pg_hba.conf's local lines are the only gate; 0770 with unix_socket_group limits it to one group.`,
      fix: { value: '0770', consequence: "local users outside the socket's group (unix_socket_group) can no longer connect through the socket; takes effect at the next restart" },
    });
  }
  const data = mode(r, 'data_directory_mode');
  if (data !== undefined && data & 0o077) {
    out.push({
      ruleId: 'conf-file-permissions',
      at: ['data_directory_mode'],
      severity: data & 0o007 ? 'warning' : 'info',
      message: `data_directory_mode ${octal(data)}: ${data & 0o007 ? 'every user of the machine' : "every member of the server's OS group"} can read the table files, bypassing every privilege and policy (initdb --allow-group-access); keep 0700 unless a backup agent in that group needs it.`,
    });
  }
  if (r.bool('data_checksums') === false) {
    out.push({
      at: ['data_checksums'],
      severity: 'info',
      message: 'data_checksums is off: corruption or tampering of table files on disk goes undetected; enable it (pg_checksums --enable, with the server stopped).',
    });
  }
  return out;
}
