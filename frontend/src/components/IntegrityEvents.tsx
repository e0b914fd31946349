import { useMemo } from 'react';
import { useI18n } from '../context';
import { hasKey } from '../lib/i18n';
import { buildTimeline, formatDuration, totalAway } from '../lib/timeline';
import type { AttemptDetail } from '../lib/types';

/** An event's server time to the second, in the recruiter's language. */
function formatEventTime(iso: string, lang: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(lang, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** An attempt's integrity events as a timeline, absences paired into spans. */
export function IntegrityEvents({ events }: { events: AttemptDetail['events'] }) {
  const { t, lang } = useI18n();
  const timeline = useMemo(() => buildTimeline(events), [events]);
  return (
    <>
    {timeline.length === 0 ? (
      <p className="muted">{t('attempt.noEvents')}</p>
    ) : (
      <>
        {timeline.some((e) => e.kind === 'away') ? (
          <p data-testid="away-total">
            {t('att2.totalAway', {
              n: timeline.filter((e) => e.kind === 'away').length,
              d: formatDuration(totalAway(timeline), lang),
            })}
          </p>
        ) : null}
        <ol className="timeline" aria-label={t('att2.timeline')} data-testid="timeline">
          {timeline.map((e, i) => (
            <li key={i}>
              <time dateTime={e.at}>{formatEventTime(e.at, lang)}</time>
              {e.kind === 'away'
                ? e.seconds === null
                  ? t('att2.awayOpen')
                  : t('att2.away', { d: formatDuration(e.seconds, lang) })
                : (() => {
                    const k = `att2.ev.${e.type}`;
                    return hasKey(k) ? t(k) : e.type;
                  })()}
              {e.client_address ? <span className="muted small"> · {e.client_address}</span> : null}
            </li>
          ))}
        </ol>
      </>
    )}
    </>
  );
}
