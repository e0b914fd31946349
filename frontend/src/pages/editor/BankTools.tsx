// The section's bank tools: the picker that copies bank questions into the
// section ("add from bank") and the draw editor ("draw N questions tagged …,
// of type …", picked per candidate at start from the pool frozen at publish).

import { useState } from 'react';
import { useStaff, useT } from '../../context';
import { questionMax } from '../../lib/examModel';
import { QUESTION_TYPES } from '../../lib/types';
import type { BankQuestion, Draw, QuestionType } from '../../lib/types';
import { Checkbox, ConfirmDialog, ErrorMessage, FieldErrors, Loading, NumberField, SelectField, TextField, formatScore, useAsync } from '../../components/ui';
import { fieldDomId } from '../../lib/fieldpath';
import { BankFilters, noFilter, useBankSearch } from '../bank/search';
import { useDispatch, useProblems } from './context';
import { NEW_DRAW } from './state';
import type { ESection } from './state';

export function BankPicker({ si, onClose }: { si: number; onClose: () => void }) {
  const t = useT();
  const dispatch = useDispatch();
  const [filter, setFilter] = useState(noFilter);
  const list = useBankSearch(filter, 20);
  const [picked, setPicked] = useState<Map<string, BankQuestion>>(new Map());
  const toggle = (q: BankQuestion, on: boolean) =>
    setPicked((m) => {
      const n = new Map(m);
      if (on) n.set(q.id, q);
      else n.delete(q.id);
      return n;
    });
  return (
    <ConfirmDialog
      open
      title={t('bank.pickTitle')}
      confirmLabel={t('bank.pickSelected', { count: picked.size })}
      cancelLabel={t('common.cancel')}
      confirmDisabled={picked.size === 0}
      onCancel={onClose}
      onConfirm={() => {
        dispatch({ type: 'addFromBank', si, questions: [...picked.values()] });
        onClose();
      }}
    >
      <p className="hint">{t('bank.pickHint')}</p>
      <BankFilters value={filter} onChange={setFilter} idPrefix={`pick-${si}`} />
      <ErrorMessage error={list.error} />
      {list.loading && list.items.length === 0 ? <Loading /> : null}
      {!list.loading && list.items.length === 0 ? <p className="muted">{t('bank.none')}</p> : null}
      <ul className="bank-pick-list plain-list" data-testid="bank-picker">
        {list.items.map((q) => (
          <li key={q.id} data-id={q.id}>
            <Checkbox
              label={
                <>
                  {q.prompt}{' '}
                  <span className="muted small">
                    · {t(`qtype.${q.type}`)} · {formatScore(questionMax(q))} · {(q.tags ?? []).join(', ')}
                  </span>
                </>
              }
              checked={picked.has(q.id)}
              onChange={(on) => toggle(q, on)}
            />
          </li>
        ))}
      </ul>
      {list.next ? (
        <button type="button" className="btn btn-small" onClick={list.loadMore}>
          {t('bank.more')}
        </button>
      ) : null}
    </ConfirmDialog>
  );
}

/** How many bank questions a draw could pick from now (tags match any). */
async function poolSize(api: ReturnType<typeof useStaff>['api'], tags: string[], type: QuestionType | undefined) {
  const ids = new Set<string>();
  let more = false;
  for (const tag of tags.length ? tags : [undefined]) {
    const page = await api.bankQuestions({ tag, type, limit: 500 });
    for (const q of page.items) ids.add(q.id);
    if (page.next_cursor) more = true;
  }
  return { n: ids.size, more };
}

export function DrawEditor({ section, si }: { section: ESection; si: number }) {
  const t = useT();
  const dispatch = useDispatch();
  const problems = useProblems();
  const { api } = useStaff();
  const base = `sections[${si}].draw`;
  const d = section.draw;
  // Asked again only when what decides the pool changes, not the count.
  const on = !!d;
  const tagsKey = (d?.tags ?? []).join('\n');
  const type = d?.type;
  const pool = useAsync(() => (on ? poolSize(api, tagsKey ? tagsKey.split('\n') : [], type) : Promise.resolve(null)), [api, on, tagsKey, type]);
  const set = (draw: Draw, tagsText?: string) => dispatch({ type: 'setDraw', si, draw, tagsText });
  return (
    <div className="draw-editor" id={fieldDomId(base)} tabIndex={-1}>
      <Checkbox
        label={t('draw.on')}
        field={`${base}.on`}
        checked={!!d}
        onChange={(on) => dispatch({ type: 'setDraw', si, draw: on ? NEW_DRAW : null, tagsText: on ? '' : undefined })}
      />
      <FieldErrors id={`${fieldDomId(base)}-err`} errors={problems.get(base)} />
      {d ? (
        <>
          <div className="grid-3">
            <NumberField
              label={t('draw.count')}
              field={`${base}.count`}
              value={d.count}
              min={1}
              max={500}
              step={1}
              onChange={(count) => set({ ...d, count: count as number })}
              errors={problems.get(`${base}.count`)}
            />
            <TextField
              label={t('draw.tags')}
              field={`${base}.tags`}
              value={section.drawTagsText ?? (d.tags ?? []).join(', ')}
              onChange={(text) => set(d, text)}
              errors={problems.get(`${base}.tags`)}
            />
            <SelectField<QuestionType | ''>
              label={t('draw.type')}
              field={`${base}.type`}
              value={d.type ?? ''}
              onChange={(type) => set({ ...d, type: type || undefined })}
              options={[{ value: '', label: t('draw.anyType') }, ...QUESTION_TYPES.map((ty) => ({ value: ty, label: t(`qtype.${ty}`) }))]}
              errors={problems.get(`${base}.type`)}
            />
          </div>
          <p className="small" data-testid={`draw-summary-${si}`}>
            {t('draw.summary', {
              count: d.count ?? '—',
              tags: (d.tags ?? []).join(', ') || '—',
              type: d.type ? t(`qtype.${d.type}`) : t('draw.anyType'),
            })}{' '}
            {pool.data ? t(pool.data.more ? 'draw.poolMany' : 'draw.pool', { n: pool.data.n }) : null}
          </p>
        </>
      ) : null}
    </div>
  );
}
