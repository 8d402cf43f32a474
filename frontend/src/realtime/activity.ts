// This tab's presence for the server (§16.2 `presence_update`, §16.4 away
// detection): away after 30 s without input (checked every 15 s) or 3 s after the
// tab is hidden or loses focus; active again at once on input or focus.
export type Activity = 'active' | 'away';

export const IDLE_MS = 30_000;
export const CHECK_EVERY_MS = 15_000;
export const HIDDEN_GRACE_MS = 3_000;

export interface ActivityOptions {
  send(status: Activity): void;
  visible(): boolean;
  now?: () => number;
}

export class ActivityTracker {
  state: Activity = 'active';
  private lastInput: number;
  private check: ReturnType<typeof setInterval> | null = null;
  private grace: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly options: ActivityOptions) {
    this.lastInput = this.now();
  }

  start(): void {
    this.stop();
    this.check = setInterval(() => this.checkIdle(), CHECK_EVERY_MS);
  }

  stop(): void {
    if (this.check) clearInterval(this.check);
    this.check = null;
    this.cancelGrace();
  }

  /** A (re)connected socket authenticated as active when visible (the session's `auth`). */
  connected(): void {
    this.state = this.options.visible() ? 'active' : 'away';
  }

  /** A key, pointer or focus: active now. */
  input(): void {
    this.lastInput = this.now();
    if (this.options.visible()) {
      this.cancelGrace();
      this.set('active');
    }
  }

  /** The tab was hidden or shown (or the window lost or got focus). */
  visibilityChanged(shown: boolean): void {
    this.cancelGrace();
    if (shown) {
      this.lastInput = this.now();
      this.set('active');
      return;
    }
    this.grace = setTimeout(() => {
      this.grace = null;
      this.set('away');
    }, HIDDEN_GRACE_MS);
  }

  checkIdle(): void {
    if (this.now() - this.lastInput < IDLE_MS) return;
    if (this.state === 'active') this.set('away');
    // The session's activity ping (input in the last 60 s, §16.4) may have made the
    // connection active again after we went away at 30 s: say away again (a no-op
    // for the server when it is away already).
    else if (this.options.visible() && this.now() - this.lastInput < 2 * IDLE_MS + CHECK_EVERY_MS) this.options.send('away');
  }

  private set(state: Activity): void {
    if (state === this.state) return;
    this.state = state;
    this.options.send(state);
  }

  private cancelGrace(): void {
    if (this.grace) clearTimeout(this.grace);
    this.grace = null;
  }

  private now(): number {
    return this.options.now ? this.options.now() : Date.now();
  }
}
