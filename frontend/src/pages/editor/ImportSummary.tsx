// The line above an imported draft: what was read (format, questions by
// type) and how many problems wait beside their questions.

import { useT } from '../../context';
import { typeCounts } from '../../lib/imports';
import type { EditorState } from './state';

export function ImportSummary({ summary }: { summary: NonNullable<EditorState['imported']> }) {
  const t = useT();
  const counts = typeCounts(summary.stats);
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
    </div>
  );
}
