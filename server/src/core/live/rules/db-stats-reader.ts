// db-stats-reader: a login role that holds pg_read_all_stats (directly or through pg_monitor
// or another group) and whose name does not say it is a monitoring agent. Such a role reads
// the text of every other role's statements: pg_stat_activity.query for the sessions now,
// and with pg_stat_statements installed, every query run since the last reset. Statement
// text carries literals: a password given to ALTER ROLE, a customer's e-mail address, a
// token. Monitoring agents need exactly this; an application role does not.

import { quoteIdent } from '../../identifier';
import { RoleReach } from '../role-graph';
import { LiveRule, liveMeta } from '../rule';

/** Names that say a role is a monitoring or metrics agent, the roles pg_monitor is for. */
export const MONITORING_NAME = /monitor|metric|stat|exporter|prometheus|datadog|telegraf|zabbix|nagios|icinga|pgwatch|collectd|grafana|newrelic|observ|pganalyze|pmm|check_?mk|health|probe/i;

export const dbStatsReader: LiveRule = {
  meta: liveMeta(
    'db-stats-reader',
    'info',
    "A login role not named as a monitoring agent holds pg_read_all_stats, so it reads every other role's statement text (pg_stat_activity, pg_stat_statements).",
  ),
  check(s, ctx) {
    if (!s.roles.some((r) => r.name === 'pg_read_all_stats')) return;
    // Held through memberships only: a pre-16 CREATEROLE role could grant itself this role,
    // but also any other non-superuser role, which db-role-escalation and
    // db-predefined-role-member report as the larger problem it is.
    const roles = s.roles.map((r) => (r.createrole ? { ...r, createrole: false } : r));
    const reach = new RoleReach(roles, s.memberships, s.serverMajor);
    const holds = reach.pathsTo((r) => r.name === 'pg_read_all_stats', true);
    const statements = s.extensions.some((e) => e.name === 'pg_stat_statements');
    for (const r of s.roles) {
      if (!r.login || r.superuser || r.predefined || MONITORING_NAME.test(r.name)) continue;
      const path = holds(r.name);
      if (!path) continue;
      const via = [r.name, ...path.map((p) => p.role)].join(' -> ');
      const first = path[0].role;
      const reads = statements
        ? "the text of every role's statements: pg_stat_activity.query for the sessions now, and pg_stat_statements (installed here) for every query since the last reset"
        : "the text of every role's running statements (pg_stat_activity.query), and of every past one once pg_stat_statements is installed";
      ctx.report({
        objectKind: 'role',
        object: r.name,
        message: `Login role "${r.name}" holds pg_read_all_stats (${via}), so it reads ${reads}; statement text carries literals such as passwords given to ALTER ROLE and customer data. If "${r.name}" is not a monitoring agent, REVOKE ${quoteIdent(first)} FROM ${quoteIdent(r.name)}; if it is, turn this rule off or name the role for what it does.`,
      });
    }
  },
};
