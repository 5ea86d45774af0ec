import { all, get, run, type Engine, type Sql } from './engine/sql.ts';
import type { CreateProjectInput, MemberCandidate, Project, ProjectProgress } from '../../shared/projects.ts';
import { defaultCriteria, type Criterion } from '../../shared/criteria.ts';
import { qualityDefaults, type PatchProjectInput } from '../../shared/quality.ts';
import { promptIsData } from './counted-rankings.ts';
import { liveSession, type SessionUser } from './sessions.ts';
import type { Role } from '../../shared/users.ts';

type ProjectRow = {
  id: number;
  name: string;
  guidelines: string;
  responses_per_prompt: number;
  labelers_per_prompt: number;
  allow_ties: number;
  lease_minutes: number;
  criteria: string;
  gold_rate: number;
  gold_min_tasks: number;
  gold_min_tau_b: number;
  max_labelers_per_prompt: number | null;
  min_kendall_w: number;
  gold_prompts: number;
  created_by: number | null;
  created_at: string;
};

const toProject = (r: ProjectRow): Project => ({
  id: r.id,
  name: r.name,
  guidelines: r.guidelines,
  responsesPerPrompt: r.responses_per_prompt,
  labelersPerPrompt: r.labelers_per_prompt,
  allowTies: r.allow_ties === 1,
  leaseMinutes: r.lease_minutes,
  criteria: JSON.parse(r.criteria) as Criterion[],
  goldRate: r.gold_rate,
  goldMinTasks: r.gold_min_tasks,
  goldMinTauB: r.gold_min_tau_b,
  // NULL (projects from before the setting) is R: adaptive overlap off.
  maxLabelersPerPrompt: r.max_labelers_per_prompt ?? r.labelers_per_prompt,
  minKendallW: r.min_kendall_w,
  goldPrompts: r.gold_prompts,
  createdAt: r.created_at,
});

/** Callers inside the server (benches, tests) may leave out the criteria and the quality settings: their defaults. */
export type NewProject = Omit<CreateProjectInput, 'criteria' | 'goldRate' | 'goldMinTasks' | 'goldMinTauB' | 'minKendallW'> &
  Partial<Pick<CreateProjectInput, 'criteria' | 'goldRate' | 'goldMinTasks' | 'goldMinTauB' | 'minKendallW'>>;

// Settings name → column, for PATCH; a fixed map, so no caller's text ever becomes SQL.
const settingColumns = {
  goldRate: 'gold_rate',
  goldMinTasks: 'gold_min_tasks',
  goldMinTauB: 'gold_min_tau_b',
  maxLabelersPerPrompt: 'max_labelers_per_prompt',
  minKendallW: 'min_kendall_w',
} as const satisfies Record<keyof PatchProjectInput, string>;

export type MemberRole = 'lead' | 'labeler';

export type ProjectAccess = { project: Project; role: MemberRole | null };
export type AssignmentAccess = ProjectAccess & { assignedTo: number };

type AssignmentAccessRow = ProjectRow & { member_role: MemberRole | null; assigned_to: number };
type Nullable<T> = { [K in keyof T]: T[K] | null };
const toAssignmentAccess = (row: AssignmentAccessRow): AssignmentAccess => ({ project: toProject(row), role: row.member_role, assignedTo: row.assigned_to });

/** Adds a member, or changes their role; a lead stays a lead. */
export const upsertMember = (projectId: number, userId: number, role: MemberRole): Sql<number> =>
  run(
    `INSERT INTO project_members (project_id, user_id, role) VALUES (?, ?, ?)
     ON CONFLICT (project_id, user_id) DO UPDATE SET role = CASE WHEN project_members.role = 'lead' THEN 'lead' ELSE excluded.role END`,
    projectId,
    userId,
    role,
  );

/** Whether any ranking of the project exists (a "not rankable" answer or an excluded one included): its criteria are then fixed. */
export function* projectHasRankings(projectId: number): Sql<boolean> {
  return (yield* get<{ one: number }>('SELECT 1 AS one FROM rankings WHERE project_id = ? LIMIT 1', projectId)) !== undefined;
}

export function projectsStore(engine: Engine) {
  return {
    /** For a settings route: criteria may change only while this is false (answer 409 otherwise). */
    hasRankings(projectId: number): Promise<boolean> {
      return engine.read(projectHasRankings(projectId));
    },
    /**
     * Replaces the criteria unless a ranking exists, checked in the same statement as the change rather than before it;
     * 'ranked' is the route's 409.
     */
    async setCriteriaUnlessRanked(projectId: number, criteria: readonly Criterion[]): Promise<'updated' | 'ranked' | 'not_found'> {
      const changed = await engine.read(
        run('UPDATE projects SET criteria = ? WHERE id = ? AND NOT EXISTS (SELECT 1 FROM rankings WHERE project_id = ?)', JSON.stringify(criteria), projectId, projectId),
      );
      if (changed > 0) return 'updated';
      return (await engine.read(get<{ id: number }>('SELECT id FROM projects WHERE id = ?', projectId))) ? 'ranked' : 'not_found';
    },
    /** `criteria` may be left out by callers inside the server (benches, tests): the default criterion. */
    create(input: NewProject, createdBy: number | null): Promise<Project> {
      return engine.transaction(function* () {
        const row = yield* get<ProjectRow>(
          `INSERT INTO projects (name, guidelines, responses_per_prompt, labelers_per_prompt, allow_ties, lease_minutes, criteria, created_by,
                                 gold_rate, gold_min_tasks, gold_min_tau_b, max_labelers_per_prompt, min_kendall_w)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
          input.name, input.guidelines, input.responsesPerPrompt, input.labelersPerPrompt, input.allowTies ? 1 : 0, input.leaseMinutes,
          JSON.stringify(input.criteria ?? defaultCriteria), createdBy,
          input.goldRate ?? qualityDefaults.goldRate, input.goldMinTasks ?? qualityDefaults.goldMinTasks, input.goldMinTauB ?? qualityDefaults.goldMinTauB,
          input.maxLabelersPerPrompt ?? input.labelersPerPrompt, input.minKendallW ?? qualityDefaults.minKendallW,
        );
        if (!row) throw new Error('project insert returned nothing');
        if (createdBy !== null) yield* upsertMember(row.id, createdBy, 'lead');
        return toProject(row);
      });
    },
    /** Changes the given quality settings (already checked against the project's R); the project as it is now. */
    async updateSettings(id: number, patch: PatchProjectInput): Promise<Project | null> {
      const keys = (Object.keys(settingColumns) as (keyof PatchProjectInput)[]).filter((k) => patch[k] !== undefined);
      if (keys.length === 0) return this.byId(id);
      const row = await engine.read(
        get<ProjectRow>(`UPDATE projects SET ${keys.map((k) => `${settingColumns[k]} = ?`).join(', ')} WHERE id = ? RETURNING *`, ...keys.map((k) => patch[k] as number), id),
      );
      return row ? toProject(row) : null;
    },
    async byId(id: number): Promise<Project | null> {
      const row = await engine.read(get<ProjectRow>('SELECT * FROM projects WHERE id = ?', id));
      return row ? toProject(row) : null;
    },
    async list(): Promise<Project[]> {
      return (await engine.read(all<ProjectRow>('SELECT * FROM projects ORDER BY id'))).map(toProject);
    },
    async listForMember(userId: number): Promise<Project[]> {
      const rows = await engine.read(all<ProjectRow>('SELECT p.* FROM projects p JOIN project_members m ON m.project_id = p.id WHERE m.user_id = ? ORDER BY p.id', userId));
      return rows.map(toProject);
    },
    /** The project with the caller's role in it (null if not a member), in one query: the access check of every project route. */
    async withRole(projectId: number, userId: number): Promise<ProjectAccess | null> {
      const row = await engine.readTogether(
        get<ProjectRow & { member_role: MemberRole | null }>(
          'SELECT p.*, m.role AS member_role FROM projects p LEFT JOIN project_members m ON m.project_id = p.id AND m.user_id = ? WHERE p.id = ?',
          userId,
          projectId,
        ),
      );
      return row ? { project: toProject(row), role: row.member_role } : null;
    },
    /** An assignment's owner, its project and the caller's role there, in one query: the access check of submit and skip. */
    async withRoleByAssignment(assignmentId: number, userId: number): Promise<AssignmentAccess | null> {
      const row = await engine.readTogether(
        get<AssignmentAccessRow>(
          `SELECT p.*, m.role AS member_role, a.user_id AS assigned_to FROM assignments a JOIN projects p ON p.id = a.project_id
           LEFT JOIN project_members m ON m.project_id = p.id AND m.user_id = ? WHERE a.id = ?`,
          userId,
          assignmentId,
        ),
      );
      return row ? toAssignmentAccess(row) : null;
    },
    /**
     * The session's user and, as `withRoleByAssignment`, the assignment's access, in one statement: submit is the
     * labeling hot path, and one read transaction costs less than two. No row: no live session of an enabled user.
     * A row without a project: no such assignment.
     */
    async sessionWithRoleByAssignment(tokenHash: string, assignmentId: number): Promise<{ user: SessionUser; access: AssignmentAccess | null } | null> {
      const row = await engine.readTogether(
        get<Nullable<AssignmentAccessRow> & { session_user_id: number; session_username: string; session_role: Role }>(
          `SELECT u.id AS session_user_id, u.username AS session_username, u.role AS session_role,
             p.*, m.role AS member_role, a.user_id AS assigned_to
           FROM ${liveSession.from}
           LEFT JOIN assignments a ON a.id = ?
           LEFT JOIN projects p ON p.id = a.project_id
           LEFT JOIN project_members m ON m.project_id = p.id AND m.user_id = u.id
           WHERE ${liveSession.where}`,
          assignmentId,
          tokenHash,
          Date.now(),
        ),
      );
      if (!row) return null;
      const user = { id: row.session_user_id, username: row.session_username, role: row.session_role };
      return { user, access: row.id === null ? null : toAssignmentAccess(row as AssignmentAccessRow) };
    },
    async memberRole(projectId: number, userId: number): Promise<MemberRole | null> {
      return (await engine.read(get<{ role: MemberRole }>('SELECT role FROM project_members WHERE project_id = ? AND user_id = ?', projectId, userId)))?.role ?? null;
    },
    async addMember(projectId: number, userId: number, role: MemberRole): Promise<void> {
      await engine.read(upsertMember(projectId, userId, role));
    },
    /** Accounts that could join: every enabled non-member, or only labelers when a lead is asking. */
    memberCandidates(projectId: number, labelersOnly: boolean): Promise<MemberCandidate[]> {
      return engine.read(
        all<MemberCandidate>(
          `SELECT u.id, u.username, u.role FROM users u
           WHERE u.disabled = 0 AND (? = 0 OR u.role = 'labeler')
             AND NOT EXISTS (SELECT 1 FROM project_members m WHERE m.project_id = ? AND m.user_id = u.id)
           ORDER BY u.username`,
          labelersOnly ? 1 : 0,
          projectId,
        ),
      );
    },
    /** Takes someone off the project; their open tasks go back to the pool. Their submitted rankings stay (exclusion is for those). */
    removeMember(projectId: number, userId: number): Promise<boolean> {
      return engine.transaction(function* () {
        const removed = (yield* run('DELETE FROM project_members WHERE project_id = ? AND user_id = ?', projectId, userId)) === 1;
        // Ending the lease now lets the next task request hand the place back exactly as an expired lease does.
        if (removed) yield* run("UPDATE assignments SET expires_at = ? WHERE project_id = ? AND user_id = ? AND state = 'open'", Date.now(), projectId, userId);
        return removed;
      });
    },
    progress(project: Project): Promise<ProjectProgress> {
      const k = project.responsesPerPrompt;
      const r = project.labelersPerPrompt;
      return engine.read(
        (function* () {
          // Gold prompts are tests, not work: they hold no places and are not counted here (server/store/counted-rankings.ts).
          // Done and complete count kept rankings (server/store/prompt-places.ts), the places the pool counts: an excluded
          // labeler's or ranking's work no longer completes a prompt, and the pool is offering it again.
          const c = yield* get<{ prompts: number; rankable: number; needed: number; done: number; complete: number }>(
            `SELECT count(*) AS prompts,
                    coalesce(sum(CASE WHEN response_count = ? AND excluded = 0 THEN 1 ELSE 0 END), 0) AS rankable,
                    coalesce(sum(CASE WHEN response_count = ? AND excluded = 0 THEN ? + extra_labelers ELSE 0 END), 0) AS needed,
                    coalesce(sum(CASE WHEN response_count = ? AND excluded = 0
                                      THEN CASE WHEN kept < ? + extra_labelers THEN kept ELSE ? + extra_labelers END ELSE 0 END), 0) AS done,
                    coalesce(sum(CASE WHEN response_count = ? AND excluded = 0 AND kept >= ? + extra_labelers THEN 1 ELSE 0 END), 0) AS complete
             FROM prompts WHERE project_id = ? AND ${promptIsData()}`,
            k, k, r, k, r, r, k, r, project.id,
          );
          const open = yield* get<{ n: number }>("SELECT count(*) AS n FROM assignments WHERE project_id = ? AND state = 'open' AND expires_at > ?", project.id, Date.now());
          const labelers = yield* all<{ userId: number; username: string; rankings: number; skips: number; excluded: number; paused: string | null }>(
            `SELECT u.id AS "userId", u.username, m.excluded, m.paused_reason AS paused,
                    (SELECT count(*) FROM assignments a WHERE a.project_id = m.project_id AND a.user_id = u.id AND a.state = 'submitted') AS rankings,
                    (SELECT count(*) FROM assignments a WHERE a.project_id = m.project_id AND a.user_id = u.id AND a.state = 'skipped') AS skips
             FROM project_members m JOIN users u ON u.id = m.user_id
             WHERE m.project_id = ? AND m.role = 'labeler' ORDER BY u.username`,
            project.id,
          );
          return {
            prompts: c?.prompts ?? 0,
            rankablePrompts: c?.rankable ?? 0,
            rankingsNeeded: c?.needed ?? 0,
            rankingsDone: c?.done ?? 0,
            completePrompts: c?.complete ?? 0,
            openAssignments: open?.n ?? 0,
            labelers: labelers.map((l) => ({ ...l, excluded: l.excluded === 1 })),
          };
        })(),
      );
    },
  };
}
