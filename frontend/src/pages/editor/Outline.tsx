// The outline beside the editor: every section and question, to jump to
// (unfolding a folded section on the way), and fold or unfold them all.

import { memo } from 'react';
import { flushSync } from 'react-dom';
import { useT } from '../../context';
import { fieldDomId } from '../../lib/fieldpath';
import { focusField } from '../../components/ui';
import { useDispatch, useProblems } from './context';
import type { ESection } from './state';

const snippet = (s: string) => {
  const x = s.replace(/\s+/g, ' ').trim();
  return x.length > 40 ? `${x.slice(0, 40)}…` : x;
};

export const Outline = memo(function Outline({ sections }: { sections: ESection[] }) {
  const t = useT();
  const dispatch = useDispatch();
  const problems = useProblems();
  const jump = (sectionKey: string, field: string) => {
    flushSync(() => dispatch({ type: 'collapseSection', key: sectionKey, on: false }));
    focusField(field);
  };
  let n = 0;
  return (
    <nav className="editor-outline card" aria-label={t('outline.title')}>
      <h2>{t('outline.title')}</h2>
      <div className="outline-tools">
        <button type="button" className="btn btn-small btn-ghost" onClick={() => dispatch({ type: 'collapseAll', on: true })}>
          {t('outline.foldAll')}
        </button>
        <button type="button" className="btn btn-small btn-ghost" onClick={() => dispatch({ type: 'collapseAll', on: false })}>
          {t('outline.unfoldAll')}
        </button>
      </div>
      <ol className="outline-sections">
        {sections.map((s, si) => (
          <li key={s.key}>
            <a
              href={`#${fieldDomId(`sections[${si}]`)}`}
              onClick={(e) => {
                e.preventDefault();
                jump(s.key, `sections[${si}]`);
              }}
            >
              {t('editor.section', { n: si + 1 })} · {s.title || t('outline.untitled')}
            </a>
            {s.questions.length ? (
              <ol className="outline-questions">
                {s.questions.map((q, qi) => {
                  n += 1;
                  const field = `sections[${si}].questions[${qi}]`;
                  const bad = problems.under(field);
                  return (
                    <li key={q.key} className={bad ? 'outline-bad' : undefined}>
                      <a
                        href={`#${fieldDomId(field)}`}
                        onClick={(e) => {
                          e.preventDefault();
                          jump(s.key, field);
                        }}
                      >
                        {bad ? <span className="sr-only">{t('outline.hasProblems')} </span> : null}
                        {t('editor.question', { n })}
                        {q.prompt ? ` · ${snippet(q.prompt)}` : ''}
                      </a>
                    </li>
                  );
                })}
              </ol>
            ) : null}
          </li>
        ))}
      </ol>
    </nav>
  );
});
