import type { ChatMessage } from '../../shared/messages.ts';
import type { Criterion } from '../../shared/criteria.ts';

/** The letter a response is shown under: A for the first shown, B for the second, … (K ≤ 9). */
export const responseLetter = (index: number): string => String.fromCharCode(65 + index);

/**
 * The prompt a judge gets unless its lead wrote another. Placeholders: {{guidelines}}, {{criteria}}, {{conversation}},
 * {{count}}, {{letters}}, {{responses}} and {{answer_format}} (docs/judges.md). The answer format allows ties.
 */
export const defaultJudgeTemplate = `You are an expert judge ranking AI assistant responses for a preference dataset.

Guidelines:
{{guidelines}}

Criteria to rank by:
{{criteria}}

The conversation so far:
{{conversation}}

The {{count}} candidate responses to its last user turn:
{{responses}}

Rank the responses {{letters}} from best to worst on each criterion. Write ">" for "better than" and "=" for two responses
that are equally good, and name every letter exactly once, for example "A > B = C > D". You may think first, but end
your answer with exactly one line per criterion, in this form:
{{answer_format}}`;

export type JudgeInput = { guidelines: string; criteria: readonly Pick<Criterion, 'key' | 'name' | 'description'>[]; messages: readonly ChatMessage[]; responses: readonly string[] };

const roleName = { system: 'System', user: 'User', assistant: 'Assistant' } as const;

/** The template with every placeholder filled; one user message, so any chat model can be a judge. */
export function judgeMessages(template: string, input: JudgeInput): ChatMessage[] {
  const letters = input.responses.map((_, i) => responseLetter(i));
  const fill: Record<string, string> = {
    guidelines: input.guidelines.trim() || '(none given)',
    criteria: input.criteria.map((c) => `- ${c.key} (${c.name})${c.description ? `: ${c.description}` : ''}`).join('\n'),
    conversation: input.messages.map((m) => `[${roleName[m.role]}]\n${m.content}`).join('\n\n'),
    count: String(input.responses.length),
    letters: letters.join(', '),
    responses: input.responses.map((text, i) => `<response ${letters[i]}>\n${text}\n</response ${letters[i]}>`).join('\n\n'),
    answer_format: input.criteria.map((c) => `${c.key}: <ranking of ${letters.join(', ')}>`).join('\n'),
  };
  // One pass, so a placeholder inside a response's own text is never filled in.
  const content = template.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => fill[name] ?? whole);
  return [{ role: 'user', content }];
}

/** The display orders a judge ranks a prompt in: the responses as stored, and reversed (position bias shows between them). */
export function displayOrders<T>(responses: readonly T[], bothOrders: boolean): T[][] {
  return bothOrders ? [[...responses], [...responses].reverse()] : [[...responses]];
}
