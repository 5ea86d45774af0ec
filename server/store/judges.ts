import { all, get, run, type Engine, type Sql } from './engine/sql.ts';
import { leaseFence, toJob, type JobRow } from './sampling.ts';
import type { EndpointKeys } from '../sampling/endpoint-key.ts';
import type { GenerationJob, JobError } from '../../shared/sampling.ts';
import type { JudgeFailure } from '../../shared/judges.ts';
import type { Ranking } from '../../shared/ranking.ts';
import { promptIsData } from './counted-rankings.ts';

/** A judge as the server uses it, keys included; routes turn it into the key-less view. `baseUrl` null: the project's sampling endpoint. */
export type StoredJudge = {
  id: number;
  projectId: number;
  name: string;
  model: string;
  baseUrl: string | null;
  apiKey: string | null;
  apiKeyEnv: string | null;
  temperature: number | null;
  bothOrders: boolean;
  template: string | null;
  createdAt: string;
  judgedPrompts: number;
  failures: number;
  latestJobId: number | null;
};

export type NewJudge = { name: string; model: string; keys: EndpointKeys | null; temperature: number | null; bothOrders: boolean; template: string | null };

/** One display order of one prompt as the judge ranked it, per criterion key, in response ids. */
export type JudgeOrderRanking = { displayIndex: number; criterion: string; shownOrder: number[]; ranking: Ranking<number> };
export type JudgeOutcome = {
  promptId: number;
  /** Display orders this prompt still needed when the run took it. */
  needed: number;
  rankings: JudgeOrderRanking[];
  failures: { displayIndex: number; error: string; answer: string | null }[];
};

/** A stored judge ranking as the readers (agreement, results, export, leaderboard) take it. */
export type JudgeRankingRow = { judgeId: number; promptId: number; externalId: string; displayIndex: number; ranking: Ranking<number> };

type JudgeRow = {
  id: number;
  project_id: number;
  name: string;
  model: string;
  base_url: string | null;
  api_key: string | null;
  api_key_env: string | null;
  temperature: number | null;
  both_orders: number;
  template: string | null;
  created_at: string;
  judged: number;
  failures: number;
  latest_job: number | null;
};

const judgeColumns = `j.*,
  (SELECT count(*) FROM (SELECT prompt_id FROM judge_rankings r WHERE r.judge_id = j.id GROUP BY prompt_id
     HAVING count(DISTINCT display_index) = CASE WHEN j.both_orders = 1 THEN 2 ELSE 1 END) d) AS judged,
  (SELECT count(*) FROM judge_failures f WHERE f.judge_id = j.id) AS failures,
  (SELECT max(id) FROM generation_jobs g WHERE g.judge_id = j.id) AS latest_job`;

const toJudge = (r: JudgeRow): StoredJudge => ({
  id: r.id,
  projectId: r.project_id,
  name: r.name,
  model: r.model,
  baseUrl: r.base_url,
  apiKey: r.api_key,
  apiKeyEnv: r.api_key_env,
  temperature: r.temperature,
  bothOrders: r.both_orders === 1,
  template: r.template,
  createdAt: r.created_at,
  judgedPrompts: r.judged,
  failures: r.failures,
  latestJobId: r.latest_job,
});

// Rankable: not excluded and holding all K responses, so every judgement shows the same K as a labeler's task; and
// not gold: a gold prompt tests the labelers and is never data, so a judge run does not spend calls on it.
const rankable = `p.excluded = 0 AND p.response_count >= 2 AND p.response_count = pr.responses_per_prompt AND ${promptIsData('p')}`;
// How many of the run's display orders the judge has already ranked for prompt p.
const ordersDone = '(SELECT count(DISTINCT r.display_index) FROM judge_rankings r WHERE r.judge_id = ? AND r.prompt_id = p.id AND r.display_index < ?)';

function* judgeById(id: number): Sql<JudgeRow | undefined> {
  return yield* get<JudgeRow>(`SELECT ${judgeColumns} FROM judges j WHERE j.id = ?`, id);
}

export function judgesStore(engine: Engine) {
  return {
    /** The new judge, or null when the project already has one of that name. */
    create(projectId: number, input: NewJudge, userId: number | null): Promise<StoredJudge | null> {
      return engine.transaction(function* () {
        if (yield* get('SELECT 1 AS one FROM judges WHERE project_id = ? AND name = ?', projectId, input.name)) return null;
        const row = yield* get<{ id: number }>(
          `INSERT INTO judges (project_id, name, model, base_url, api_key, api_key_env, temperature, both_orders, template, created_by)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
          projectId, input.name, input.model, input.keys?.baseUrl ?? null, input.keys?.apiKey ?? null, input.keys?.apiKeyEnv ?? null,
          input.temperature, input.bothOrders ? 1 : 0, input.template, userId,
        );
        const created = row ? yield* judgeById(row.id) : undefined;
        return created ? toJudge(created) : null;
      });
    },
    async list(projectId: number): Promise<StoredJudge[]> {
      return (await engine.read(all<JudgeRow>(`SELECT ${judgeColumns} FROM judges j WHERE j.project_id = ? ORDER BY j.id`, projectId))).map(toJudge);
    },
    async byId(id: number): Promise<StoredJudge | null> {
      const r = await engine.read(judgeById(id));
      return r ? toJudge(r) : null;
    },
    /**
     * A queued run over every rankable prompt the judge has not ranked in every display order, or the run already active
     * for the judge. Counts are judgements: total = the display orders still missing.
     */
    createRun(judge: StoredJudge, concurrency: number, userId: number | null, lease: { owner: string; at: number }): Promise<{ job: GenerationJob; created: boolean }> {
      const orders = judge.bothOrders ? 2 : 1;
      return engine.transaction(function* () {
        const active = yield* get<JobRow>("SELECT * FROM generation_jobs WHERE judge_id = ? AND kind = 'judge' AND status IN ('queued', 'running')", judge.id);
        if (active) return { job: toJob(active), created: false };
        // The creator holds the lease from the first moment, as for sampling jobs.
        const row = yield* get<JobRow>(
          "INSERT INTO generation_jobs (project_id, kind, judge_id, status, concurrency, created_by, owner, heartbeat_at) VALUES (?, 'judge', ?, 'queued', ?, ?, ?, ?) RETURNING *",
          judge.projectId, judge.id, concurrency, userId, lease.owner, lease.at,
        );
        if (!row) throw new Error('job insert returned nothing');
        yield* run(
          `INSERT INTO generation_tasks (job_id, prompt_id) SELECT ?, p.id FROM prompts p JOIN projects pr ON pr.id = p.project_id
           WHERE p.project_id = ? AND ${rankable} AND ${ordersDone} < ?`,
          row.id, judge.projectId, judge.id, orders, orders,
        );
        const total = (yield* get<{ total: number }>(
          `SELECT coalesce(sum(? - ${ordersDone}), 0) AS total FROM generation_tasks t JOIN prompts p ON p.id = t.prompt_id WHERE t.job_id = ?`,
          orders, judge.id, orders, row.id,
        ))?.total ?? 0;
        yield* run('UPDATE generation_jobs SET total = ? WHERE id = ?', total, row.id);
        return { job: { ...toJob(row), total }, created: true };
      });
    },
    /** The display orders of a prompt the judge has ranked already (a run resumes with the others). */
    async rankedOrders(judgeId: number, promptId: number): Promise<Set<number>> {
      const rows = await engine.read(all<{ display_index: number }>('SELECT DISTINCT display_index FROM judge_rankings WHERE judge_id = ? AND prompt_id = ?', judgeId, promptId));
      return new Set(rows.map((r) => r.display_index));
    },
    /** Writes finished prompts and the job's counters in one transaction, as the lease holder only (false otherwise). */
    recordOutcomes(jobId: number, judgeId: number, owner: string, at: number, outcomes: JudgeOutcome[], errors: JobError[]): Promise<boolean> {
      return engine.transaction(function* () {
        if (!(yield* leaseFence(jobId, owner, at))) return false;
        let done = 0;
        let failed = 0;
        for (const o of outcomes) {
          for (const r of o.rankings) {
            yield* run(
              `INSERT INTO judge_rankings (judge_id, prompt_id, display_index, criterion, shown_order, tiers, job_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (judge_id, prompt_id, display_index, criterion) DO UPDATE SET shown_order = excluded.shown_order, tiers = excluded.tiers,
                 job_id = excluded.job_id, created_at = excluded.created_at`,
              judgeId, o.promptId, r.displayIndex, r.criterion, JSON.stringify(r.shownOrder), JSON.stringify(r.ranking), jobId, at,
            );
          }
          for (const f of o.failures) {
            yield* run('INSERT INTO judge_failures (job_id, judge_id, prompt_id, display_index, error, answer) VALUES (?, ?, ?, ?, ?, ?)', jobId, judgeId, o.promptId, f.displayIndex, f.error, f.answer);
          }
          const ranked = new Set(o.rankings.map((r) => r.displayIndex)).size;
          done += ranked;
          failed += o.needed - ranked;
          yield* run('UPDATE generation_tasks SET state = ?, error = ? WHERE job_id = ? AND prompt_id = ?', o.failures.length ? 'failed' : 'done', o.failures[0]?.error ?? null, jobId, o.promptId);
        }
        yield* run('UPDATE generation_jobs SET done = done + ?, failed = failed + ?, errors = ? WHERE id = ?', done, failed, JSON.stringify(errors), jobId);
        return true;
      });
    },
    /** The judge's unreadable answers and failed requests, newest first. */
    async failures(judgeId: number, limit: number): Promise<JudgeFailure[]> {
      const rows = await engine.read(
        all<{ id: number; job_id: number; prompt_id: number; external_id: string; display_index: number; error: string; answer: string | null; created_at: string }>(
          `SELECT f.id, f.job_id, f.prompt_id, p.external_id, f.display_index, f.error, f.answer, f.created_at
           FROM judge_failures f JOIN prompts p ON p.id = f.prompt_id WHERE f.judge_id = ? ORDER BY f.id DESC LIMIT ?`,
          judgeId, limit,
        ),
      );
      return rows.map((r) => ({ id: r.id, jobId: r.job_id, promptId: r.prompt_id, externalId: r.external_id, displayIndex: r.display_index, error: r.error, answer: r.answer, createdAt: r.created_at }));
    },
    /**
     * Every judge ranking of the project, on prompts not excluded and not gold, for each criterion in `keys` (see
     * judgedCriteria: a read under a criterion selection), optionally within a prompt id range.
     */
    rankingsOf(projectId: number, keys: readonly string[], range?: { first: number; last: number }): Promise<JudgeCriterionRows[]> {
      return engine.read(judgeCriteriaRows(projectId, keys, range));
    },
  };
}

/** One criterion's judge rankings, as judgeStoredRankings (server/judges/judge-sources.ts) takes them. */
export type JudgeCriterionRows = { key: string; rows: JudgeRankingRow[] };

/** judgeRankingRows for each of the criteria a selection reads (one for a criterion, every one for combined). */
export function* judgeCriteriaRows(projectId: number, keys: readonly string[], range?: { first: number; last: number }): Sql<JudgeCriterionRows[]> {
  const out: JudgeCriterionRows[] = [];
  for (const key of keys) out.push({ key, rows: yield* judgeRankingRows(projectId, key, range) });
  return out;
}

/**
 * The readers' step (a transaction of theirs may include it): judge rankings of a project and criterion, by prompt,
 * judge, order. A gold prompt is a test of the labelers, never data, so a judge's ranking of one is never read.
 */
export function* judgeRankingRows(projectId: number, criterion: string, range?: { first: number; last: number }): Sql<JudgeRankingRow[]> {
  const rows = yield* all<{ judge_id: number; prompt_id: number; external_id: string; display_index: number; tiers: string }>(
    `SELECT r.judge_id, r.prompt_id, p.external_id, r.display_index, r.tiers FROM judge_rankings r JOIN judges j ON j.id = r.judge_id JOIN prompts p ON p.id = r.prompt_id
     WHERE j.project_id = ? AND r.criterion = ? AND p.excluded = 0 AND ${promptIsData('p')} ${range ? 'AND r.prompt_id BETWEEN ? AND ?' : ''}
     ORDER BY r.prompt_id, r.judge_id, r.display_index`,
    ...(range ? [projectId, criterion, range.first, range.last] : [projectId, criterion]),
  );
  return rows.map((r) => ({ judgeId: r.judge_id, promptId: r.prompt_id, externalId: r.external_id, displayIndex: r.display_index, ranking: JSON.parse(r.tiers) as Ranking<number> }));
}
