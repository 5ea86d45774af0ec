/** "1 prompt", "2 prompts", "1,200 rankings": a count with its noun in the right number. */
export const counted = (n: number, noun: string, plural = `${noun}s`): string => `${n.toLocaleString()} ${n === 1 ? noun : plural}`;
