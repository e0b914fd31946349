// The draft as a candidate of a chosen track would see it, read-only, made
// on the client from the editor's copy (unsaved changes included) with the
// candidate page's own question cards. No attempt is created.

import { useId, useState } from 'react';
import { useT } from '../../context';
import { candidateView } from '../../lib/preview';
import { examMax } from '../../lib/examModel';
import { firstNumbers } from '../../lib/numbering';
import type { ExamDocument } from '../../lib/types';
import { TrackSelect, formatScore, useModal } from '../../components/ui';
import { QuestionCard } from '../Take';

export function PreviewDialog({
  draft,
  trackLabel,
  onClose,
}: {
  draft: ExamDocument;
  trackLabel: (track: string) => string;
  onClose: () => void;
}) {
  const t = useT();
  const ref = useModal(true);
  const titleId = useId();
  const tracks = draft.tracks ?? [];
  const [track, setTrack] = useState(tracks[0] ?? '');
  const sections = candidateView(draft, track);
  const max = examMax(draft)[track] ?? 0;
  const starts = firstNumbers(sections);
  return (
    <dialog
      ref={ref}
      className="dialog preview-dialog"
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <div className="preview-head">
        <h2 id={titleId}>{t('preview.title')}</h2>
        <TrackSelect label={t('preview.track')} className="inline-field" value={track} onChange={setTrack} tracks={tracks} trackName={trackLabel} />
        <button type="button" className="btn" onClick={onClose}>
          {t('preview.close')}
        </button>
      </div>
      <p className="muted small">{t('preview.note')}</p>
      <div className="take preview-body" data-testid="preview">
        <h3 className="preview-exam-title">{draft.title}</h3>
        {draft.description ? <p>{draft.description}</p> : null}
        <p className="muted small">
          {t('preview.facts', {
            minutes: Math.round((draft.time_limit_seconds ?? 0) / 60),
            count: sections.reduce((a, s) => a + s.questions.length, 0),
            max: formatScore(max),
          })}
        </p>
        {sections.map((s, si) => (
          <section key={s.id} className="take-section">
            <h4>{s.title}</h4>
            {s.instructions ? <p className="muted">{s.instructions}</p> : null}
            {s.questions.map((q, qi) => {
              const n = starts[si] + qi;
              return (
                <QuestionCard
                  key={q.id}
                  t={t}
                  q={q}
                  number={n}
                  value={undefined}
                  mark="unanswered"
                  flagged={false}
                  error={null}
                  disabled
                  onChange={() => {}}
                />
              );
            })}
          </section>
        ))}
      </div>
    </dialog>
  );
}
