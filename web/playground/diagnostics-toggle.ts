import { Diagnostics, type EpochDiagnostics } from '../../packages/core/src/browser.js';
import { element } from '../format.js';
import { renderDiagnostics } from './diagnostics-panel.js';
import type { Session } from './session.js';

/**
 * The playground's Diagnostics checkbox and panel for the main run: when checked, a
 * `Diagnostics` callback runs in the run's fit calls (in the training worker) from the next one
 * on, and the panel shows its latest epoch; unchecked, none runs and the panel is hidden.
 */
export class DiagnosticsToggle {
  readonly #checkbox: HTMLInputElement;
  readonly #panel: HTMLElement;
  #diagnostics: Diagnostics | undefined;
  #latest: EpochDiagnostics | undefined;
  #session: Session | undefined;

  constructor(checkbox: HTMLInputElement, panel: HTMLElement, onChange: () => void) {
    this.#checkbox = checkbox;
    this.#panel = panel;
    checkbox.addEventListener('change', () => {
      this.#diagnostics = checkbox.checked
        ? new Diagnostics({ onEpoch: (epoch) => (this.#latest = epoch) })
        : undefined;
      this.#latest = undefined;
      this.#session?.setDiagnostics(this.#diagnostics);
      onChange();
    });
  }

  /** Gives a new run the callback (when checked); the panel starts empty. */
  attach(session: Session): void {
    this.#session = session;
    this.#latest = undefined;
    session.setDiagnostics(this.#diagnostics);
  }

  /** Shows the latest epoch's diagnostics, or says when they will start. */
  render(session: Session): void {
    this.#panel.hidden = !this.#checkbox.checked;
    if (this.#panel.hidden) return;
    if (this.#latest === undefined && session.fitting) {
      this.#panel.replaceChildren(
        element(
          'p',
          { class: 'note' },
          'Diagnostics start with the next fit: Reset, or change η or the batch size.',
        ),
      );
      return;
    }
    renderDiagnostics(this.#panel, this.#latest);
  }
}
