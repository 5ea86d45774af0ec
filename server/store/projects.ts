import type { Db } from './db.ts';
import type { CreateProjectInput, MemberCandidate, Project, ProjectProgress } from '../../shared/projects.ts';

type ProjectRow = {
  id: number;
  name: string;
  guidelines: string;
  responses_per_prompt: number;
  labelers_per_prompt: number;
  allow_ties: number;
  lease_minutes: number;
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
  createdAt: r.created_at,
});

export type MemberRole = 'lead' | 'labeler';

export function projectsStore(db: Db) {
  const insert = db.prepare<[string, string, number, number, number, number, number | null], ProjectRow>(
    `INSERT INTO projects (name, guidelines, responses_per_prompt, labelers_per_prompt, allow_ties, lease_minutes, created_by)
     VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *`,
  );
  const byId = db.prepare<[number], ProjectRow>('SELECT * FROM projects WHERE id = ?');
  const all = db.prepare<[], ProjectRow>('SELECT * FROM projects ORDER BY id');
  const forMember = db.prepare<[number], ProjectRow>(
    'SELECT p.* FROM projects p JOIN project_members m ON m.project_id = p.id WHERE m.user_id = ? ORDER BY p.id',
  );
  const memberRole = db.prepare<[number, number], { role: MemberRole }>('SELECT role FROM project_members WHERE project_id = ? AND user_id = ?');
  const upsertMember = db.prepare<[number, number, MemberRole]>(
    `INSERT INTO project_members (project_id, user_id, role) VALUES (?, ?, ?)
     ON CONFLICT (project_id, user_id) DO UPDATE SET role = CASE WHEN role = 'lead' THEN 'lead' ELSE excluded.role END`,
  );
  const candidates = db.prepare<[{ project: number; labelersOnly: number }], MemberCandidate>(
    `SELECT u.id, u.username, u.role FROM users u
     WHERE u.disabled = 0 AND (@labelersOnly = 0 OR u.role = 'labeler')
       AND NOT EXISTS (SELECT 1 FROM project_members m WHERE m.project_id = @project AND m.user_id = u.id)
     ORDER BY u.username`,
  );
  const deleteMember = db.prepare<[number, number]>('DELETE FROM project_members WHERE project_id = ? AND user_id = ?');
  // Ending the lease now lets the next task request hand the place back exactly as an expired lease does.
  const endOpenLeases = db.prepare<[number, number, number]>("UPDATE assignments SET expires_at = ? WHERE project_id = ? AND user_id = ? AND state = 'open'");
  // Done and complete count kept rankings (server/store/prompt-places.ts), the places the pool counts: an excluded
  // labeler's or ranking's work no longer completes a prompt, and the pool is offering it again.
  const promptCounts = db.prepare<[{ k: number; r: number; project: number }], { prompts: number; rankable: number; needed: number; done: number; complete: number }>(
    `SELECT count(*) AS prompts,
            coalesce(sum(response_count = @k AND excluded = 0), 0) AS rankable,
            coalesce(sum(CASE WHEN response_count = @k AND excluded = 0 THEN @r + extra_labelers ELSE 0 END), 0) AS needed,
            coalesce(sum(CASE WHEN response_count = @k AND excluded = 0 THEN min(kept, @r + extra_labelers) ELSE 0 END), 0) AS done,
            coalesce(sum(response_count = @k AND excluded = 0 AND kept >= @r + extra_labelers), 0) AS complete
     FROM prompts WHERE project_id = @project`,
  );
  const openCount = db.prepare<[number, number], { n: number }>("SELECT count(*) AS n FROM assignments WHERE project_id = ? AND state = 'open' AND expires_at > ?");
  const labelerCounts = db.prepare<[number], { userId: number; username: string; rankings: number; skips: number; excluded: number }>(
    `SELECT u.id AS userId, u.username, m.excluded,
            (SELECT count(*) FROM assignments a WHERE a.project_id = m.project_id AND a.user_id = u.id AND a.state = 'submitted') AS rankings,
            (SELECT count(*) FROM assignments a WHERE a.project_id = m.project_id AND a.user_id = u.id AND a.state = 'skipped') AS skips
     FROM project_members m JOIN users u ON u.id = m.user_id
     WHERE m.project_id = ? AND m.role = 'labeler' ORDER BY u.username`,
  );

  return {
    create(input: CreateProjectInput, createdBy: number | null): Project {
      return db.transaction(() => {
        const row = insert.get(input.name, input.guidelines, input.responsesPerPrompt, input.labelersPerPrompt, input.allowTies ? 1 : 0, input.leaseMinutes, createdBy);
        if (!row) throw new Error('project insert returned nothing');
        if (createdBy !== null) upsertMember.run(row.id, createdBy, 'lead');
        return toProject(row);
      })();
    },
    byId(id: number): Project | null {
      const row = byId.get(id);
      return row ? toProject(row) : null;
    },
    list(): Project[] {
      return all.all().map(toProject);
    },
    listForMember(userId: number): Project[] {
      return forMember.all(userId).map(toProject);
    },
    memberRole(projectId: number, userId: number): MemberRole | null {
      return memberRole.get(projectId, userId)?.role ?? null;
    },
    addMember(projectId: number, userId: number, role: MemberRole): void {
      upsertMember.run(projectId, userId, role);
    },
    /** Accounts that could join: every enabled non-member, or only labelers when a lead is asking. */
    memberCandidates(projectId: number, labelersOnly: boolean): MemberCandidate[] {
      return candidates.all({ project: projectId, labelersOnly: labelersOnly ? 1 : 0 });
    },
    /** Takes someone off the project; their open tasks go back to the pool. Their submitted rankings stay (exclusion is for those). */
    removeMember(projectId: number, userId: number): boolean {
      return db.transaction(() => {
        const removed = deleteMember.run(projectId, userId).changes === 1;
        if (removed) endOpenLeases.run(Date.now(), projectId, userId);
        return removed;
      })();
    },
    progress(project: Project): ProjectProgress {
      const c = promptCounts.get({ k: project.responsesPerPrompt, r: project.labelersPerPrompt, project: project.id });
      return {
        prompts: c?.prompts ?? 0,
        rankablePrompts: c?.rankable ?? 0,
        rankingsNeeded: c?.needed ?? 0,
        rankingsDone: c?.done ?? 0,
        completePrompts: c?.complete ?? 0,
        openAssignments: openCount.get(project.id, Date.now())?.n ?? 0,
        labelers: labelerCounts.all(project.id).map((l) => ({ ...l, excluded: l.excluded === 1 })),
      };
    },
  };
}
