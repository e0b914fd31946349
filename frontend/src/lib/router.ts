// A tiny history router: enough for a dozen routes, with no dependency.

import { createElement, useSyncExternalStore } from 'react';
import type { AnchorHTMLAttributes, MouseEvent, ReactNode } from 'react';

const EVENT = 'examd:navigate';

export type Params = Record<string, string>;

/** Matches "/exams/:id/results" against a path; decoded params or null. */
export function matchRoute(pattern: string, path: string): Params | null {
  const ps = pattern.split('/').filter(Boolean);
  const xs = path.split('?')[0].split('/').filter(Boolean);
  if (ps.length !== xs.length) return null;
  const params: Params = {};
  for (let i = 0; i < ps.length; i++) {
    const p = ps[i];
    if (p.startsWith(':')) {
      try {
        params[p.slice(1)] = decodeURIComponent(xs[i]);
      } catch {
        return null;
      }
    } else if (p !== xs[i]) {
      return null;
    }
  }
  return params;
}

function subscribe(fn: () => void): () => void {
  window.addEventListener('popstate', fn);
  window.addEventListener(EVENT, fn);
  return () => {
    window.removeEventListener('popstate', fn);
    window.removeEventListener(EVENT, fn);
  };
}

const snapshot = () => window.location.pathname + window.location.search;

/** The current path with its query string; re-renders on navigation. */
export function useLocation(): { path: string; search: URLSearchParams; href: string } {
  const href = useSyncExternalStore(subscribe, snapshot, () => '/');
  const i = href.indexOf('?');
  return {
    href,
    path: i < 0 ? href : href.slice(0, i),
    search: new URLSearchParams(i < 0 ? '' : href.slice(i + 1)),
  };
}

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (to === snapshot()) return;
  if (opts.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.dispatchEvent(new Event(EVENT));
  window.scrollTo(0, 0);
}

export function Link(
  props: AnchorHTMLAttributes<HTMLAnchorElement> & { to: string; children?: ReactNode; replace?: boolean },
) {
  const { to, replace, onClick, ...rest } = props;
  const click = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    if (rest.target && rest.target !== '_self') return;
    e.preventDefault();
    navigate(to, { replace });
  };
  return createElement('a', { ...rest, href: to, onClick: click });
}
