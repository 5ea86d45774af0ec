import type { SelectHTMLAttributes } from 'react';
import type { Role } from '../../../../shared/users.ts';

// Least power first, so the default choice is the safe one.
const roles: readonly Role[] = ['labeler', 'lead', 'admin'];

/** A choice of account role; every other attribute goes to the <select> as given. */
export function RoleSelect({ value, onRole, ...rest }: { value: Role; onRole: (role: Role) => void } & Omit<SelectHTMLAttributes<HTMLSelectElement>, 'value' | 'onChange'>) {
  return (
    <select {...rest} value={value} onChange={(e) => onRole(e.target.value as Role)}>
      {roles.map((r) => (
        <option key={r} value={r}>
          {r}
        </option>
      ))}
    </select>
  );
}
