// A tiny history router: enough for a dozen routes, with no dependency.

import { createElement, useEffect, useSyncExternalStore } from 'react';
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

// A page with unsaved work can hold navigation: the guard says whether
// leaving is fine (e.g. after asking). One page at a time holds it.
let leaveGuard: (() => boolean) | null = null;
let lastHref = typeof window === 'undefined' ? '/' : snapshot();

if (typeof window !== 'undefined') {
  // Registered before any useLocation subscriber: a refused Back or Forward
  // puts the page's address back before anything re-renders.
  window.addEventListener('popstate', () => {
    if (leaveGuard && snapshot() !== lastHref && !leaveGuard()) {
      window.history.pushState(null, '', lastHref);
      return;
    }
    lastHref = snapshot();
  });
}

/**
 * While `active`, asks before leaving: in-app navigation (links, navigate(),
 * Back) with a confirmation of `message`, and the browser's own prompt on
 * reload or close.
 */
export function useLeaveGuard(active: boolean, message: string): void {
  useEffect(() => {
    if (!active) return;
    const guard = () => window.confirm(message);
    leaveGuard = guard;
    const onUnload = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', onUnload);
    return () => {
      if (leaveGuard === guard) leaveGuard = null;
      window.removeEventListener('beforeunload', onUnload);
    };
  }, [active, message]);
}

/** `force` skips the leave guard (for a page that changes its own address). */
export function navigate(to: string, opts: { replace?: boolean; force?: boolean } = {}): void {
  if (to === snapshot()) return;
  if (!opts.force && leaveGuard && !leaveGuard()) return;
  if (opts.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  lastHref = snapshot();
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
