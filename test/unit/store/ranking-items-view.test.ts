import { describe, expect, it } from 'vitest';
import { openStore } from '../../../server/store/store.ts';

describe('the ranking_items view', () => {
  it('gives each ranked response its fractional rank, as DESIGN.md\'s example does, for SQL averaging', async () => {
    const store = await openStore({ dbFile: ':memory:' });
    const project = await store.projects.create({ name: 'v', guidelines: '', responsesPerPrompt: 4, labelersPerPrompt: 2, allowTies: true, leaseMinutes: 30 }, null);
    await store.prompts.importPrompts(project.id, [{ line: 1, externalId: 'p', messages: [{ role: 'user', content: 'q' }], metadata: {}, responses: ['r1', 'r2', 'r3', 'r4'].map((text) => ({ text, model: null })) }]);
    const ids = new Map((await store.engine.all<{ id: number; text: string }>('SELECT id, text FROM responses')).map((r) => [r.text, r.id]));
    const id = (text: string) => ids.get(text) as number;
    const rank = async (user: string, s: { ranking?: number[][]; notRankable: boolean }) => {
      const u = await store.users.create(user, 'x', 'labeler');
      if (!u) throw new Error('no user');
      await store.projects.addMember(project.id, u.id, 'labeler');
      const a = await store.assignments.next(project, u.id);
      if (!a || a === 'excluded' || 'paused' in a) throw new Error('no task');
      const out = await store.assignments.submit(project, a.id, u.id, { ...s, flags: {}, comment: '' });
      if (!out.ok) throw new Error(out.message);
      return out.rankingId;
    };
    // [["r3"], ["r1","r4"], ["r2"]] gives r3 = 1, r1 = r4 = 2.5, r2 = 4.
    const tied = await rank('ana', { ranking: [[id('r3')], [id('r1'), id('r4')], [id('r2')]], notRankable: false });
    const none = await rank('ben', { notRankable: true });
    const rows = await store.engine.all<{ response_id: number; rank: number }>('SELECT response_id, rank FROM ranking_items WHERE ranking_id = ? ORDER BY response_id', tied);
    expect(rows).toEqual([
      { response_id: id('r1'), rank: 2.5 },
      { response_id: id('r2'), rank: 4 },
      { response_id: id('r3'), rank: 1 },
      { response_id: id('r4'), rank: 2.5 },
    ]);
    expect(await store.engine.get('SELECT count(*) AS n FROM ranking_items WHERE ranking_id = ?', none)).toEqual({ n: 0 });
    await store.close();
  });
});
