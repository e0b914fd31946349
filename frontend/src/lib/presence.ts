// Whether the candidate has really left the page, for the integrity events.
//
// A window `blur` also fires when keyboard focus walks off the end of the
// document into the browser's own toolbar (Tab past the last control, also
// inside a modal dialog): that is not leaving. So:
//   - Tab and Shift+Tab wrap around inside the page (or the open modal
//     dialog) instead of falling out of it;
//   - "left" is recorded only when the page is hidden or the window lost
//     focus for real (document.hasFocus() false after the blur settles), and
//     "back" once when it returns;
//   - one departure is one event, however many blur/visibility signals it
//     makes.

export type Presence = 'here' | 'away';

/** Reduces the browser's signals to departures and returns (one event each). */
export class PresenceTracker {
  private state: Presence = 'here';

  constructor(private readonly report: (type: 'blur' | 'focus') => void) {}

  get current(): Presence {
    return this.state;
  }

  /** The page is hidden or the window has no focus any more. */
  left(): void {
    if (this.state === 'away') return;
    this.state = 'away';
    this.report('blur');
  }

  /** The page is visible and focused again. */
  returned(): void {
    if (this.state === 'here') return;
    this.state = 'here';
    this.report('focus');
  }
}

const TABBABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"]), summary';

/** The elements Tab visits inside root, in order (tabindex > 0 is not used here). */
export function tabbables(root: ParentNode): HTMLElement[] {
  const out: HTMLElement[] = [];
  for (const el of Array.from(root.querySelectorAll<HTMLElement>(TABBABLE))) {
    if (el.closest('[inert]')) continue;
    if (el instanceof HTMLInputElement && el.type === 'radio' && !el.checked) {
      // A radio group is one stop: its checked button, or its first one.
      const group = el.name ? root.querySelectorAll<HTMLInputElement>(`input[type=radio][name="${CSS.escape(el.name)}"]`) : [];
      const anyChecked = Array.from(group).some((r) => r.checked);
      if (anyChecked || (group.length > 0 && group[0] !== el)) continue;
    }
    if (el.getClientRects().length === 0) continue; // not rendered
    out.push(el);
  }
  return out;
}

/**
 * Keeps Tab inside the page: from the last stop Tab goes to the first, and
 * Shift+Tab from the first to the last, within the open modal dialog when
 * there is one. Returns a function that removes the handler.
 */
export function wrapTabFocus(doc: Document = document): () => void {
  const onKey = (e: KeyboardEvent) => {
    if (e.key !== 'Tab' || e.altKey || e.ctrlKey || e.metaKey) return;
    const dialog = doc.querySelector<HTMLDialogElement>('dialog[open]');
    const root: ParentNode = dialog ?? doc.body;
    const stops = tabbables(root);
    if (stops.length === 0) return;
    const first = stops[0];
    const last = stops[stops.length - 1];
    const active = doc.activeElement as HTMLElement | null;
    const inside = !!active && active !== doc.body && (root as Node).contains(active);
    if (!e.shiftKey && (active === last || (dialog && !inside))) {
      e.preventDefault();
      first.focus();
    } else if (e.shiftKey && (active === first || (dialog && !inside))) {
      e.preventDefault();
      last.focus();
    }
  };
  doc.addEventListener('keydown', onKey, true);
  return () => doc.removeEventListener('keydown', onKey, true);
}

/**
 * Watches a window for real departures: hidden pages and window blurs that
 * leave the document without focus. Returns a function that stops watching.
 */
export function watchPresence(win: Window, tracker: PresenceTracker): () => void {
  const doc = win.document;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const settle = () => {
    if (timer !== null) clearTimeout(timer);
    // Focus moving between two elements of the page blurs the window for no
    // time at all in some browsers: look again once the move has settled.
    timer = setTimeout(() => {
      timer = null;
      if (doc.visibilityState === 'hidden' || !doc.hasFocus()) tracker.left();
      else tracker.returned();
    }, 50);
  };
  const onVisibility = () => {
    if (doc.visibilityState === 'hidden') tracker.left();
    else settle();
  };
  const onBlur = () => settle();
  const onFocus = () => {
    if (doc.visibilityState !== 'hidden') tracker.returned();
  };
  doc.addEventListener('visibilitychange', onVisibility);
  win.addEventListener('blur', onBlur);
  win.addEventListener('focus', onFocus);
  return () => {
    if (timer !== null) clearTimeout(timer);
    doc.removeEventListener('visibilitychange', onVisibility);
    win.removeEventListener('blur', onBlur);
    win.removeEventListener('focus', onFocus);
  };
}
