import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useLocation } from 'wouter';
import { createProject, projectKeys } from '../../api/queries.ts';
import { fieldIssues, listFieldIssues } from '../../api/field-issues.ts';
import { CriteriaFields } from './criteria-fields.tsx';
import { defaultCriterionDrafts, toCriteriaInput } from './criterion-drafts.ts';
import { FieldError } from './field-error.tsx';

/** A lead's or admin's form for a new project; the server validates, and its messages show under each field. */
export function NewProjectForm({ onCancel }: { onCancel: () => void }) {
  const [name, setName] = useState('');
  const [guidelines, setGuidelines] = useState('');
  const [k, setK] = useState('4');
  const [r, setR] = useState('3');
  const [allowTies, setAllowTies] = useState(true);
  const [lease, setLease] = useState('30');
  const [criteria, setCriteria] = useState(defaultCriterionDrafts);
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  const create = useMutation({
    // Empty or non-numeric fields go as null: the server's message then says what is expected.
    mutationFn: () =>
      createProject({
        name,
        guidelines,
        responsesPerPrompt: toNumber(k),
        labelersPerPrompt: toNumber(r),
        allowTies,
        leaseMinutes: toNumber(lease),
        criteria: toCriteriaInput(criteria),
      }),
    onSuccess: (project) => {
      void queryClient.invalidateQueries({ queryKey: projectKeys.list() });
      navigate(`/projects/${project.id}`);
    },
  });
  const errors = create.error ? fieldIssues(create.error) : {};
  const criteriaIssues = listFieldIssues(create.error, 'criteria');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <form className="card stack new-project" onSubmit={submit} aria-label="New project" noValidate>
      <h2>New project</h2>
      <label>
        Name
        <input name="name" value={name} onChange={(e) => setName(e.target.value)} autoFocus />
        <FieldError message={errors.name} />
      </label>
      <label>
        Guidelines <span className="muted hint">(markdown, shown to labelers)</span>
        <textarea name="guidelines" rows={5} value={guidelines} onChange={(e) => setGuidelines(e.target.value)} />
        <FieldError message={errors.guidelines} />
      </label>
      <div className="form-grid">
        <label>
          K responses per prompt
          <input name="responsesPerPrompt" type="number" min={2} max={9} value={k} onChange={(e) => setK(e.target.value)} />
          <FieldError message={errors.responsesPerPrompt} />
        </label>
        <label>
          R labelers per prompt
          <input name="labelersPerPrompt" type="number" min={1} max={50} value={r} onChange={(e) => setR(e.target.value)} />
          <FieldError message={errors.labelersPerPrompt} />
        </label>
        <label>
          Lease minutes
          <input name="leaseMinutes" type="number" min={1} max={1440} value={lease} onChange={(e) => setLease(e.target.value)} />
          <FieldError message={errors.leaseMinutes} />
        </label>
        <label className="inline tie-toggle">
          <input name="allowTies" type="checkbox" checked={allowTies} onChange={(e) => setAllowTies(e.target.checked)} />
          Allow ties
        </label>
      </div>
      <CriteriaFields value={criteria} onChange={setCriteria} issues={criteriaIssues} />
      <FieldError message={errors['']} />
      <div className="row">
        <button type="submit" className="primary" disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create project'}
        </button>
        <button type="button" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}

/** A number field as the API takes it: empty is NaN, so the server says what is expected. */
export function toNumber(value: string): number {
  return value.trim() === '' ? Number.NaN : Number(value);
}
