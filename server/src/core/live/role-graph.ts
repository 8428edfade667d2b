// Who can become whom: the escalation paths of a role graph, shared by the live rules
// (db-role-escalation, db-predefined-role-member), the HTML report's role picture and the
// editor's role-graph webview.
//
// PostgreSQL gives a member of a role two different things. SET ROLE makes the session
// that role, with its attributes (SUPERUSER, BYPASSRLS); inheritance only adds the role's
// object privileges, never its attributes. So a login role is as strong as a superuser
// when a chain of memberships lets it SET ROLE to one. On 16+ each grant carries its own
// SET and INHERIT options (pg_auth_members.set_option, inherit_option) and SET ROLE needs
// SET on every grant of the chain; before 16 SET ROLE follows any chain and INHERIT is the
// member's rolinherit. A grant WITH ADMIN OPTION lets its holder grant the role to itself,
// so it reaches the role as surely as SET does, and an admin option is usable by every role
// that holds the holder's privileges; but only a superuser may grant a superuser role, so
// ADMIN OPTION on one reaches nothing (checked on 15 and 18). Before 16, CREATEROLE may grant
// itself any role that is not a superuser.

import type { SnapshotMembership, SnapshotRole } from './snapshot';

/** How one step of a path is taken. */
export type StepKind = 'set' | 'inherit' | 'admin' | 'createrole';

export interface PathStep {
  /** The role reached by this step. */
  role: string;
  via: StepKind;
}

export interface EscalationPath {
  /** The login role the path starts from. */
  from: string;
  /** What the end of the path gives. */
  target: 'superuser' | 'bypassrls';
  /** The steps after `from`; the last step's role is the superuser or BYPASSRLS role. */
  steps: PathStep[];
}

/** The words a message uses for a step. */
export const STEP_WORDS: Record<StepKind, string> = {
  set: 'SET ROLE',
  inherit: 'inherits',
  admin: 'ADMIN OPTION: may grant it to itself',
  createrole: 'CREATEROLE before 16: may grant itself any non-superuser role',
};

/** `alice -> ops (SET ROLE) -> postgres (SET ROLE)`. */
export function pathText(p: EscalationPath): string {
  return [p.from, ...p.steps.map((s) => `${s.role} (${STEP_WORDS[s.via]})`)].join(' -> ');
}

const AS = 0;
const PRIVS = 1;

/** The memberships as transitions between states, reversed, for searches from the targets. */
export class RoleReach {
  private readonly index: Map<string, number>;
  private readonly rev: Array<Array<{ from: number; via: StepKind }>>;
  private readonly creators: number[];

  constructor(
    readonly roles: readonly SnapshotRole[],
    memberships: readonly SnapshotMembership[],
    serverMajor: number,
  ) {
    this.index = new Map(roles.map((r, i) => [r.name, i]));
    // States: role i acting as itself (2i, "as") or only holding its privileges (2i+1).
    this.rev = Array.from({ length: roles.length * 2 }, () => []);
    const add = (from: number, to: number, via: StepKind) => this.rev[to].push({ from, via });
    for (const m of memberships) {
      const x = this.index.get(m.member);
      const y = this.index.get(m.role);
      if (x === undefined || y === undefined) continue;
      if (serverMajor >= 16 ? m.set : true) add(2 * x + AS, 2 * y + AS, 'set');
      if (m.inherit) {
        add(2 * x + AS, 2 * y + PRIVS, 'inherit');
        add(2 * x + PRIVS, 2 * y + PRIVS, 'inherit');
      }
      // Only a superuser may grant membership in a superuser role, whatever ADMIN OPTION says.
      if (m.admin && !roles[y].superuser) {
        add(2 * x + AS, 2 * y + AS, 'admin');
        add(2 * x + PRIVS, 2 * y + AS, 'admin');
      }
    }
    this.creators = serverMajor < 16 ? roles.flatMap((r, i) => (r.createrole && !r.superuser ? [i] : [])) : [];
  }

  /**
   * One breadth-first search backwards from the target states; returns, for a role, the
   * shortest path by which it acts as a target role (or, with `privileges`, at least holds
   * its privileges), or undefined.
   */
  pathsTo(isTarget: (r: SnapshotRole) => boolean, privileges = false): (role: string) => PathStep[] | undefined {
    const { roles, rev } = this;
    const next = new Int32Array(roles.length * 2).fill(-1);
    const how: Array<StepKind | undefined> = new Array(roles.length * 2);
    const queue: number[] = [];
    roles.forEach((r, i) => {
      if (!isTarget(r)) return;
      for (const st of privileges ? [2 * i + AS, 2 * i + PRIVS] : [2 * i + AS]) {
        next[st] = st;
        queue.push(st);
      }
    });
    let creatorsDone = false;
    for (let q = 0; q < queue.length; q++) {
      const s = queue[q];
      const visit = (from: number, via: StepKind) => {
        if (next[from] !== -1) return;
        next[from] = s;
        how[from] = via;
        queue.push(from);
      };
      for (const e of rev[s]) visit(e.from, e.via);
      // Any non-superuser role a pre-16 CREATEROLE role reaches is one grant away from it.
      if (!creatorsDone && s % 2 === AS && !roles[s >> 1].superuser) {
        creatorsDone = true;
        for (const c of this.creators) visit(2 * c + AS, 'createrole');
      }
    }
    return (name) => {
      const i = this.index.get(name);
      if (i === undefined) return undefined;
      let s = 2 * i + AS;
      if (next[s] === -1 || next[s] === s) return undefined;
      const steps: PathStep[] = [];
      while (next[s] !== s) {
        const t = next[s];
        steps.push({ role: roles[t >> 1].name, via: how[s] as StepKind });
        s = t;
      }
      return steps;
    };
  }
}

/**
 * The shortest escalation path of every login role that is not itself a superuser: to a
 * superuser when one exists, otherwise (for a role without BYPASSRLS) to a BYPASSRLS role.
 * Linear in roles plus memberships: one search backwards from all targets of each kind.
 */
export function escalationPaths(reach: RoleReach): EscalationPath[] {
  const toSuper = reach.pathsTo((r) => r.superuser);
  const toBypass = reach.pathsTo((r) => r.bypassrls && !r.superuser);
  const out: EscalationPath[] = [];
  for (const r of reach.roles) {
    if (!r.login || r.superuser || r.predefined) continue;
    const su = toSuper(r.name);
    if (su) out.push({ from: r.name, target: 'superuser', steps: su });
    else if (!r.bypassrls) {
      const by = toBypass(r.name);
      if (by) out.push({ from: r.name, target: 'bypassrls', steps: by });
    }
  }
  return out;
}
