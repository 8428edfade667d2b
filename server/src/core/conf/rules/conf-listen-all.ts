// conf-listen-all: listen_addresses '*', '0.0.0.0' or '::' makes the server accept TCP
// connections on every interface, so pg_hba.conf and the firewall are the only barriers.
// Often intended on a database host, hence information only and no fix: only the owner
// knows which interface to keep.
// The judgement is shared with the live audit (core/conf/judge), so the file and the
// server can never disagree about what is weak.

import { ConfRule, judgedFindings } from '../rule';

export const confListenAll: ConfRule = {
  meta: {
    id: 'conf-listen-all',
    language: 'conf',
    defaultSeverity: 'info',
    description: "listen_addresses '*' (or 0.0.0.0, ::): the server listens on every network interface.",
    fixable: false,
  },
  check(doc) {
    // A container's server must listen on the container's own interface to be reached
    // through its published port; the container network is the boundary there, and who
    // may connect is pg_hba.conf's to say (the hba-* rules report it).
    if (containerConfig(doc.path ?? doc.uri)) return [];
    return judgedFindings(doc, 'conf-listen-all');
  },
};

/** Folders that hold a container image's or a cluster deployment's files. */
const CONTAINER_DIRS = new Set(['docker', 'dockerfiles', 'container', 'containers', 'images', 'kube', 'kubernetes', 'k8s', 'helm', 'compose', 'docker-compose']);

/** Whether a configuration file belongs to a container image or a Kubernetes/Helm/Compose deployment, by its folders. */
export function containerConfig(path: string): boolean {
  const dirs = path.replace(/^[a-z]+:\/\/[^/]*/i, '').split(/[\\/]/).slice(0, -1);
  return dirs.some((d) => CONTAINER_DIRS.has(d.toLowerCase()));
}
