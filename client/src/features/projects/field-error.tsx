/** A server validation message under the input it is about. */
export function FieldError({ message }: { message: string | undefined }) {
  return message ? <span className="field-error" role="alert">{message}</span> : null;
}
