// The line above an imported draft: what was read (format, questions by
// type) and how many problems wait beside their questions.

import { useState } from 'react';
import { useStaff, useT } from '../../context';
import { ErrorMessage, useSubmit } from '../../components/ui';
import { bankQuestionBody } from '../../lib/examModel';
import { typeCounts } from '../../lib/imports';
import { useDispatch } from './context';
import type { EditorState, ESection } from './state';

/** The batch endpoint's limit (bank.MaxBatch on the server). */
const BATCH = 1000;

export function ImportSummary({ summary, sections }: { summary: NonNullable<EditorState['imported']>; sections: ESection[] }) {
  const t = useT();
  const { api } = useStaff();
  const dispatch = useDispatch();
  const save = useSubmit();
  const [saved, setSaved] = useState(0);
  const counts = typeCounts(summary.stats);
  // Straight from the preview: every imported question not yet in the bank
  // goes there in batches, and each keeps a link to its copy (bank_id).
  const pending = sections.flatMap((sec, si) => sec.questions.map((q, qi) => ({ q, si, qi }))).filter((x) => !x.q.bank_id);
  const saveAll = () =>
    save.run(async () => {
      let n = 0;
      for (let i = 0; i < pending.length; i += BATCH) {
        const part = pending.slice(i, i + BATCH);
        const res = await api.createBankQuestions(part.map((x) => bankQuestionBody(x.q)));
        res.items.forEach((b, k) => dispatch({ type: 'setQuestion', si: part[k].si, qi: part[k].qi, patch: { bank_id: b.id } }));
        n += part.length;
        setSaved(n);
      }
    });
  return (
    <div className="card import-summary" role="status" data-testid="import-summary">
      <p>
        <strong>{t('import.summary', { format: summary.format, n: summary.stats.questions })}</strong>
      </p>
      {counts.length ? (
        <p className="small">
          {t('import.byType')}: {counts.map(([k, n]) => `${t(`qtype.${k}`)} ${n}`).join(' · ')}
        </p>
      ) : null}
      <p className="small">{summary.problems ? t('import.problems', { n: summary.problems }) : t('import.noProblems')}</p>
      <p className="muted small">{t('import.unsaved')}</p>
      {pending.length ? (
        <p>
          <button type="button" className="btn btn-small" onClick={saveAll} disabled={save.busy} data-testid="import-save-bank">
            {t('bank.saveAll', { n: pending.length })}
          </button>
        </p>
      ) : null}
      {saved && !pending.length ? <p className="small" data-testid="import-saved-bank">{t('bank.savedAll', { n: saved })}</p> : null}
      <ErrorMessage error={save.error} />
    </div>
  );
}
