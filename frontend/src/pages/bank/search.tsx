// The bank's search, shared by the bank page and the editor's picker: the
// filters as typed (the text waits until typing pauses), the first page for
// them, and older pages on demand.

import { useEffect, useState } from 'react';
import { useStaff, useT } from '../../context';
import { QUESTION_TYPES } from '../../lib/types';
import type { BankQuestion, QuestionType } from '../../lib/types';
import { SelectField, TextField, useAsync } from '../../components/ui';

export interface BankFilter {
  q: string;
  tag: string;
  type: QuestionType | '';
}

export const noFilter: BankFilter = { q: '', tag: '', type: '' };

/** The value, once it has stayed the same for `ms`. */
function useSettled<V>(value: V, ms = 300): V {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const id = window.setTimeout(() => setSettled(value), ms);
    return () => window.clearTimeout(id);
  }, [value, ms]);
  return settled;
}

export function useBankSearch(filter: BankFilter, limit = 20) {
  const { api } = useStaff();
  const q = useSettled(filter.q.trim());
  const tag = useSettled(filter.tag.trim());
  const type = filter.type;
  const first = useAsync(() => api.bankQuestions({ q, tag, type: type || undefined, limit }), [api, q, tag, type, limit]);
  const [more, setMore] = useState<{ after: unknown; items: BankQuestion[]; next: string | null }>({ after: null, items: [], next: null });
  const [moreError, setMoreError] = useState<unknown>(null);
  const current = more.after === first.data && first.data !== undefined;
  const older = current ? more.items : [];
  const next = current ? more.next : (first.data?.next_cursor ?? null);
  const loadMore = async () => {
    if (!next) return;
    setMoreError(null);
    const base = first.data;
    try {
      const p = await api.bankQuestions({ q, tag, type: type || undefined, limit, cursor: next });
      setMore({ after: base, items: [...older, ...(p.items as BankQuestion[])], next: p.next_cursor ?? null });
    } catch (err) {
      setMoreError(err);
    }
  };
  const items = [...((first.data?.items ?? []) as BankQuestion[]), ...older];
  return { items, loading: first.loading, error: first.error ?? moreError, next, loadMore, reload: first.reload };
}

export function BankFilters({ value, onChange, idPrefix }: { value: BankFilter; onChange: (f: BankFilter) => void; idPrefix: string }) {
  const t = useT();
  return (
    <div className="grid-3">
      <TextField label={t('bank.search')} field={`${idPrefix}-q`} type="search" value={value.q} onChange={(q) => onChange({ ...value, q })} />
      <TextField label={t('bank.tag')} field={`${idPrefix}-tag`} value={value.tag} onChange={(tag) => onChange({ ...value, tag })} />
      <SelectField<QuestionType | ''>
        label={t('bank.type')}
        field={`${idPrefix}-type`}
        value={value.type}
        onChange={(type) => onChange({ ...value, type })}
        options={[{ value: '', label: t('bank.anyType') }, ...QUESTION_TYPES.map((ty) => ({ value: ty, label: t(`qtype.${ty}`) }))]}
      />
    </div>
  );
}
