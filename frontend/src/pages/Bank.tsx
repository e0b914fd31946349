import { useState } from 'react';
import { useI18n, useStaff } from '../context';
import { bankQuestionBody, parseTracks, questionMax } from '../lib/examModel';
import { groupProblems } from '../lib/problems';
import { LIMITS } from '../lib/limits';
import type { BankQuestion } from '../lib/types';
import { columnsOf, DataTable, ErrorMessage, Loading, Notice, PageHeader, SaveOrCancel, TextArea, TextField, formatDateTime, formatScore, useStaffPage, useSubmit } from '../components/ui';
import { BankFilters, noFilter, useBankSearch } from './bank/search';

// The organization's question bank (admin, recruiter): search prompts and
// options, filter by tag and type, page on, edit a question's prompt, tags
// and explanation, delete one. Exams hold copies, so neither changes them.
export function BankPage() {
  const { t, lang, api } = useStaffPage('bank.title');
  const [filter, setFilter] = useState(noFilter);
  const list = useBankSearch(filter, 25);
  const [editing, setEditing] = useState<BankQuestion | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  const remove = async (q: BankQuestion) => {
    if (!window.confirm(t('bank.confirmDelete'))) return;
    setError(null);
    setDone(null);
    try {
      await api.deleteBankQuestion(q.id);
      if (editing?.id === q.id) setEditing(null);
      setDone(t('bank.deleted'));
      list.reload();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <section className="page">
      <PageHeader title={t('bank.title')} sub={<p className="muted">{t('bank.intro')}</p>} />
      <div className="card">
        <BankFilters value={filter} onChange={setFilter} idPrefix="bank" />
        {done ? <Notice kind="success">{done}</Notice> : null}
        <ErrorMessage error={error ?? list.error} />
        {list.loading && list.items.length === 0 ? <Loading /> : null}
        {!list.loading && list.items.length === 0 ? <p className="muted">{t('bank.none')}</p> : null}
        {list.items.length > 0 ? (
          <DataTable
            testId="bank-list"
            caption={t('bank.title')}
            columns={[
              ...columnsOf([t('bank.prompt'), t('bank.type'), t('bank.tags')]),
              { label: t('bank.points'), num: true },
              { label: t('bank.updated') },
              { label: t('bank.actions'), srOnly: true },
            ]}
          >
            {list.items.map((q) => (
              <tr key={q.id} data-id={q.id}>
                <td className="prompt-cell">{q.prompt}</td>
                <td>{t(`qtype.${q.type}`)}</td>
                <td>
                  {(q.tags ?? []).map((tag) => (
                    <button key={tag} type="button" className="badge tag-chip" onClick={() => setFilter({ ...filter, tag })}>
                      {tag}
                    </button>
                  ))}
                </td>
                <td className="num">{formatScore(questionMax(q))}</td>
                <td className="small">{formatDateTime(q.updated_at, lang)}</td>
                <td className="row-actions">
                  <button type="button" className="btn btn-small" onClick={() => (setDone(null), setEditing(q))}>
                    {t('bank.edit')}
                  </button>
                  <button type="button" className="btn btn-small btn-danger-text" onClick={() => remove(q)}>
                    {t('bank.delete')}
                  </button>
                </td>
              </tr>
            ))}
          </DataTable>
        ) : null}
        {list.next ? (
          <button type="button" className="btn" onClick={list.loadMore}>
            {t('bank.more')}
          </button>
        ) : null}
      </div>
      {editing ? (
        <BankEditor
          key={editing.id}
          q={editing}
          onSaved={() => {
            setEditing(null);
            setDone(t('bank.saved'));
            list.reload();
          }}
          onCancel={() => setEditing(null)}
        />
      ) : null}
    </section>
  );
}

function BankEditor({ q, onSaved, onCancel }: { q: BankQuestion; onSaved: () => void; onCancel: () => void }) {
  const { t, lang } = useI18n();
  const { api } = useStaff();
  const [prompt, setPrompt] = useState(q.prompt);
  const [tags, setTags] = useState((q.tags ?? []).join(', '));
  const [explanation, setExplanation] = useState(q.explanation ?? '');
  const { busy, error, run } = useSubmit();
  const problems = groupProblems(lang, error);
  const save = () =>
    run(async () => {
      await api.updateBankQuestion(q.id, bankQuestionBody({ ...q, prompt, tags: parseTracks(tags), explanation }));
      onSaved();
    });
  return (
    <form
      className="card"
      aria-labelledby="bank-edit-h"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h2 id="bank-edit-h">{t('bank.editTitle')}</h2>
      <TextArea label={t('bank.promptLabel')} field="prompt" value={prompt} onChange={setPrompt} problems={problems} maxLength={LIMITS.prompt} rows={3} />
      <TextField label={t('bank.tagsLabel')} field="tags" value={tags} onChange={setTags} problems={problems} />
      <TextArea label={t('bank.explanation')} field="explanation" value={explanation} onChange={setExplanation} problems={problems} maxLength={LIMITS.explanation} rows={2} />
      <SaveOrCancel error={error} problems={problems.size} busy={busy} label={t('bank.save')} onCancel={onCancel} />
    </form>
  );
}
