import { useQuery } from '@tanstack/react-query';
import { openApiOptions } from '../../api/docs-queries.ts';

type Parameter = { name: string; in: string; required?: boolean; schema?: unknown };
type Media = Record<string, { schema?: unknown }>;
type Operation = { summary?: string; description?: string; tags?: string[]; security?: unknown[]; parameters?: Parameter[]; requestBody?: { content?: Media }; responses?: Record<string, { description?: string; content?: Media }> };

const methods = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** One route of the document, as a reader scans it: method and path, who may call it, parameters, body and answers. */
function OperationView({ method, path, op }: { method: string; path: string; op: Operation }) {
  const body = op.requestBody?.content ? Object.entries(op.requestBody.content)[0] : undefined;
  return (
    <details className="card api-op" id={`${method}-${path}`}>
      <summary>
        <code className={`api-method api-${method}`}>{method.toUpperCase()}</code> <code>{path}</code> <span className="muted">{op.summary}</span>
      </summary>
      <div className="stack">
        <p className="muted">{op.description}{op.security?.length === 0 ? ' No session or token needed.' : ' Session cookie or bearer API token.'}</p>
        {op.parameters && op.parameters.length > 0 && (
          <table className="api-params">
            <thead><tr><th>parameter</th><th>in</th><th>schema</th></tr></thead>
            <tbody>
              {op.parameters.map((p) => (
                <tr key={`${p.in}-${p.name}`}><td><code>{p.name}</code>{p.required ? ' (required)' : ''}</td><td>{p.in}</td><td><code>{JSON.stringify(p.schema)}</code></td></tr>
              ))}
            </tbody>
          </table>
        )}
        {body && (
          <div>
            <h3>Request body <span className="muted">({body[0]})</span></h3>
            <pre className="api-schema">{JSON.stringify(body[1].schema, null, 2)}</pre>
          </div>
        )}
        <h3>Responses</h3>
        {Object.entries(op.responses ?? {}).map(([status, r]) => {
          const media = r.content ? Object.entries(r.content)[0] : undefined;
          return (
            <details key={status}>
              <summary><strong>{status}</strong> {r.description}{media ? <span className="muted"> · {media[0]}</span> : null}</summary>
              {media && <pre className="api-schema">{JSON.stringify(media[1].schema, null, 2)}</pre>}
            </details>
          );
        })}
      </div>
    </details>
  );
}

/** `/api-docs`: the server's OpenAPI document (`GET /api/openapi.json`) for reading, rendered here with nothing fetched from elsewhere. */
export function ApiDocsPage() {
  const doc = useQuery(openApiOptions());
  if (doc.isPending) return <p className="muted pad">Loading the API description…</p>;
  if (doc.isError) return <p className="pad" role="alert">Could not load the API description: {doc.error.message}</p>;
  const paths = doc.data.paths as Record<string, Partial<Record<(typeof methods)[number], Operation>>>;
  return (
    <main className="pad stack">
      <h1>API</h1>
      <p>
        {doc.data.info.description} The machine-readable document is <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI {doc.data.openapi}); feed it
        to a client generator, or read it here.
      </p>
      {Object.entries(paths).flatMap(([path, ops]) =>
        methods.flatMap((m) => {
          const op = ops[m];
          return op ? [<OperationView key={`${m} ${path}`} method={m} path={path} op={op} />] : [];
        }),
      )}
    </main>
  );
}
