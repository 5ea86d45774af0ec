import type { ChatMessage } from '../../../shared/messages.ts';
import { Markdown } from './markdown.tsx';

const roleLabels: Record<ChatMessage['role'], string> = { system: 'System', user: 'User', assistant: 'Assistant' };

// A long system prompt is context, not the question: folded past this length so the turns stay in view.
const foldSystemAfter = 600;

/** A prompt's chat turns as bubbles with their role, the system turn set apart. */
export function ChatTranscript({ messages }: { messages: readonly ChatMessage[] }) {
  return (
    <ol className="chat" aria-label="Prompt">
      {messages.map((m, i) => (
        <li key={i} className={`chat-turn chat-${m.role}`} data-role={m.role}>
          {m.role === 'system' && m.content.length > foldSystemAfter ? (
            <details className="chat-bubble">
              <summary className="chat-role">{roleLabels.system} · {m.content.length.toLocaleString()} characters (show)</summary>
              <Markdown text={m.content} />
            </details>
          ) : (
            <div className="chat-bubble">
              <div className="chat-role">{roleLabels[m.role]}</div>
              <Markdown text={m.content} />
            </div>
          )}
        </li>
      ))}
    </ol>
  );
}
