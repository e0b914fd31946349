import { useMemo, useState } from 'react';
import { useI18n, useStaff } from '../context';
import type { StaffApi } from '../lib/api';
import { blueprint } from '../lib/blueprint';
import type { Blueprint } from '../lib/blueprint';
import { questionMax } from '../lib/examModel';
import { Link, navigate } from '../lib/router';
import type { Draw, Exam } from '../lib/types';
import { DataTable, ErrorMessage, Loading, PageHeader, StatusBadge, formatScore, useAsync, usePageTitle } from '../components/ui';
import { EChart } from '../components/Chart';
import { PositionForm } from './Positions';

// One position: its responsibilities and requirements beside the blueprint
// of its exams, and the ranking of every attempt at them.
//
// The blueprint is computed here: the API gives no endpoint for it, so the
// page reads the drafts of the organization's exams, keeps those whose
// position_id is this one, and for a draw section asks the bank what one
// question of its pool is worth (the fairness rule makes them all equal).

async function positionExams(api: StaffApi, positionId: string): Promise<{ exams: Exam[]; blueprint: Blueprint }> {
  const list = await api.listExams();
  const exams = (await Promise.all(list.items.map((e) => api.getExam(e.id)))).filter((e) => e.position_id === positionId);
  const draws = exams.flatMap((e) => e.sections.map((s) => s.draw).filter((d): d is Draw => !!d && d.count > 0));
  const worth = new Map<Draw, number>();
  await Promise.all(
    draws.map(async (d) => {
      const page = await api.bankQuestions({ tag: d.tags?.[0], type: d.type, limit: 1 });
      worth.set(d, page.items[0] ? questionMax(page.items[0]) : 0);
    }),
  );
  return { exams, blueprint: blueprint(exams, (d) => worth.get(d) ?? 0) };
}

const pct = (v: number) => `${(v * 100).toFixed(0)} %`;

export function PositionPage({ id }: { id: string }) {
  const { t } = useI18n();
  const { api } = useStaff();
  const pos = useAsync(() => api.getPosition(id), [api, id]);
  usePageTitle(pos.data?.title ?? t('positions.title'));
  const bp = useAsync(() => positionExams(api, id), [api, id]);
  const ranking = useAsync(() => api.positionCandidates(id), [api, id]);
  const [editing, setEditing] = useState(false);
  const p = pos.data;

  const chart = useMemo(() => {
    const rows = bp.data?.blueprint.rows ?? [];
    if (rows.length === 0) return null;
    const shown = [...rows].reverse(); // the largest share on top
    return {
      grid: { left: 100, right: 40, top: 10, bottom: 30 },
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${v.toFixed(1)} %` },
      xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value} %' } },
      yAxis: { type: 'category', data: shown.map((r) => r.tag) },
      series: [{ type: 'bar', data: shown.map((r) => Number((r.share * 100).toFixed(1))), label: { show: true, position: 'right', formatter: '{c} %' } }],
    };
  }, [bp.data]);

  if (pos.loading && !p) return <Loading />;
  if (!p) return <ErrorMessage error={pos.error} />;
  const items = ranking.data?.items ?? [];
  const tags = [...new Set(items.flatMap((r) => r.tags.map((x) => x.tag)))];
  return (
    <section className="page">
      <PageHeader
        crumbs={<Link to="/positions">{t('positions.title')}</Link>}
        title={p.title}
        sub={p.description ? <p className="muted">{p.description}</p> : undefined}
        actions={
          <>
            <button type="button" className="btn" onClick={() => setEditing(true)} disabled={editing}>
              {t('positions.edit')}
            </button>
            <button
              type="button"
              className="btn btn-danger-text"
              onClick={async () => {
                if (!window.confirm(t('positions.confirmDelete'))) return;
                await api.deletePosition(id);
                navigate('/positions');
              }}
            >
              {t('positions.delete')}
            </button>
          </>
        }
      />
      {editing ? (
        <PositionForm
          initial={p}
          submitLabel={t('positions.save')}
          onCancel={() => setEditing(false)}
          onSubmit={async (b) => {
            pos.setData(await api.updatePosition(id, b));
            setEditing(false);
          }}
        />
      ) : null}
      <div className="position-layout">
        <div className="card" data-testid="position-duties">
          <h2>{t('positions.responsibilities')}</h2>
          <ol>
            {p.responsibilities.map((r, i) => (
              <li key={i}>{r}</li>
            ))}
          </ol>
          <h2>{t('positions.requirements')}</h2>
          <ul>
            {p.requirements.map((r, i) => (
              <li key={i}>{r}</li>
            ))}
          </ul>
        </div>
        <div className="card" data-testid="blueprint">
          <h2>{t('positions.blueprint')}</h2>
          <p className="hint">{t('positions.blueprintHint')}</p>
          {bp.loading && !bp.data ? <Loading /> : null}
          <ErrorMessage error={bp.error} />
          {bp.data && bp.data.exams.length === 0 ? <p className="muted">{t('positions.noExams')}</p> : null}
          {bp.data && bp.data.exams.length > 0 ? (
            <>
              <p className="small">
                {t('positions.exams')}:{' '}
                {bp.data.exams.map((e, i) => (
                  <span key={e.id}>
                    {i > 0 ? ', ' : ''}
                    <Link to={`/exams/${e.id}`}>{e.title}</Link>
                  </span>
                ))}
              </p>
              {chart ? <EChart option={chart} label={t('positions.blueprintChart')} testId="blueprint-chart" height={Math.max(160, 32 * bp.data.blueprint.rows.length + 40)} /> : null}
              <DataTable
                testId="blueprint-table"
                caption={t('positions.blueprint')}
                columns={[{ label: t('positions.tag') }, { label: t('positions.questions'), num: true }, { label: t('positions.points'), num: true }, { label: t('positions.share'), num: true }]}
              >
                {bp.data.blueprint.rows.map((r) => (
                  <tr key={r.tag} data-tag={r.tag}>
                    <td>{r.tag}</td>
                    <td className="num">{r.questions}</td>
                    <td className="num">{formatScore(r.points)}</td>
                    <td className="num">{pct(r.share)}</td>
                  </tr>
                ))}
              </DataTable>
              {bp.data.blueprint.untagged > 0 ? <p className="hint">{t('positions.untagged', { n: bp.data.blueprint.untagged })}</p> : null}
            </>
          ) : null}
        </div>
      </div>
      <div className="card">
        <h2>{t('positions.ranking')}</h2>
        {ranking.loading && !ranking.data ? <Loading /> : null}
        <ErrorMessage error={ranking.error} />
        {ranking.data && items.length === 0 ? <p className="muted">{t('positions.noCandidates')}</p> : null}
        {items.length > 0 ? (
          <DataTable
            testId="ranking"
            caption={t('positions.ranking')}
            columns={[
              { label: t('positions.rank'), num: true },
              { label: t('positions.candidate') },
              { label: t('positions.exam') },
              { label: t('positions.status') },
              { label: t('positions.score'), num: true },
              ...tags.map((tag) => ({ label: tag, num: true })),
            ]}
          >
            {items.map((r, i) => (
              <tr key={r.attempt_id} data-attempt={r.attempt_id}>
                <td className="num">{i + 1}</td>
                <td>
                  <Link to={`/attempts/${r.attempt_id}?exam=${r.exam_id}`}>{r.candidate_name}</Link>
                  <div className="muted small">{r.candidate_email}</div>
                </td>
                <td>{r.exam_title}</td>
                <td>
                  <StatusBadge status={r.status} />
                </td>
                <td className="num">
                  {formatScore(r.score)} / {formatScore(r.max_score)}
                </td>
                {tags.map((tag) => {
                  const x = r.tags.find((y) => y.tag === tag);
                  return (
                    <td key={tag} className="num">
                      {x ? `${formatScore(x.points_awarded)} / ${formatScore(x.max_points)}` : '—'}
                    </td>
                  );
                })}
              </tr>
            ))}
          </DataTable>
        ) : null}
      </div>
    </section>
  );
}
