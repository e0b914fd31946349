import { useState } from 'react';
import { useI18n } from '../context';
import { Link, navigate } from '../lib/router';
import { groupProblems } from '../lib/problems';
import type { Position, PositionInput } from '../lib/types';
import { ErrorMessage, Loading, PageHeader, SaveOrCancel, TextArea, TextField, useAsync, useStaffPage, useSubmit } from '../components/ui';

// Positions (岗位): the list and a form to create one. A position's own page
// (Position.tsx) edits it and shows its blueprint and ranking.
export function PositionsPage() {
  const { t, api } = useStaffPage('positions.title');
  const list = useAsync(() => api.listPositions(), [api]);
  const items = list.data?.items ?? [];
  const [creating, setCreating] = useState(false);
  return (
    <section className="page">
      <PageHeader
        title={t('positions.title')}
        sub={<p className="muted">{t('positions.intro')}</p>}
        actions={
          <button type="button" className="btn btn-primary" onClick={() => setCreating(true)} disabled={creating}>
            {t('positions.new')}
          </button>
        }
      />
      {creating ? (
        <PositionForm
          submitLabel={t('positions.create')}
          onCancel={() => setCreating(false)}
          onSubmit={async (b) => {
            const p = await api.createPosition(b);
            navigate(`/positions/${p.id}`);
          }}
        />
      ) : null}
      {list.loading ? <Loading /> : null}
      <ErrorMessage error={list.error} />
      {!list.loading && !list.error && items.length === 0 ? <p className="card muted">{t('positions.none')}</p> : null}
      {items.length > 0 ? (
        <ul className="exam-list" aria-label={t('positions.title')}>
          {items.map((p) => (
            <li key={p.id} className="card exam-card">
              <div className="exam-card-main">
                <h2>
                  <Link to={`/positions/${p.id}`}>{p.title}</Link>
                </h2>
                <p className="muted small">
                  {t('positions.count', { responsibilities: p.responsibilities.length, requirements: p.requirements.length })}
                </p>
                {p.description ? <p className="small">{p.description}</p> : null}
              </div>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

const lines = (s: string) =>
  s
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l);

/** Create or edit a position; list fields are typed one item per line. */
export function PositionForm({
  initial,
  submitLabel,
  onSubmit,
  onCancel,
}: {
  initial?: Position;
  submitLabel: string;
  onSubmit: (b: PositionInput) => Promise<void>;
  onCancel: () => void;
}) {
  const { t, lang } = useI18n();
  const [title, setTitle] = useState(initial?.title ?? '');
  const [description, setDescription] = useState(initial?.description ?? '');
  const [resp, setResp] = useState((initial?.responsibilities ?? []).join('\n'));
  const [reqs, setReqs] = useState((initial?.requirements ?? []).join('\n'));
  const { busy, error, run } = useSubmit();
  const problems = groupProblems(lang, error);
  // A problem of one item (responsibilities[3]) shows under its list.
  const listProblems = (f: string) => [...problems].filter(([k]) => k.startsWith(f)).flatMap(([, v]) => v);
  return (
    <form
      className="card"
      noValidate
      aria-label={submitLabel}
      onSubmit={(e) => {
        e.preventDefault();
        void run(() => onSubmit({ title: title.trim(), description, responsibilities: lines(resp), requirements: lines(reqs) }));
      }}
    >
      <TextField label={t('positions.positionTitle')} field="title" value={title} onChange={setTitle} problems={problems} maxLength={200} />
      <TextArea label={t('positions.description')} field="description" value={description} onChange={setDescription} problems={problems} rows={2} />
      <div className="grid-2">
        {(
          [
            ['responsibilities', resp, setResp],
            ['requirements', reqs, setReqs],
          ] as const
        ).map(([f, value, onChange]) => (
          <TextArea key={f} label={t(`positions.${f}`)} field={f} value={value} onChange={onChange} errors={listProblems(f)} hint={t('positions.linesHint')} rows={8} />
        ))}
      </div>
      <SaveOrCancel error={error} problems={problems.size} busy={busy} label={submitLabel} onCancel={onCancel} />
    </form>
  );
}
