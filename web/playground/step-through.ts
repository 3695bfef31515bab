import type { LossName, Sequential } from '../../packages/core/src/browser.js';
import type { Session } from './session.js';
import type { StepThroughSource } from './step-source.js';
import { StepNetwork } from './step-network.js';
import { renderStep } from './step-panels.js';
import { walkthroughOf, type Step, type WalkthroughSource } from './walkthrough.js';

/** The elements of the step-through section of the page. */
export interface StepThroughElements {
  /** The whole section, hidden until opened. */
  section: HTMLElement;
  /** Says what is stepped through (the model, the example). */
  subject: HTMLElement;
  /** Where the current step's panel goes. */
  panel: HTMLElement;
  /** The network drawing of the step-through. */
  network: SVGSVGElement;
  /** Says what the drawing's lines show. */
  legend: HTMLElement;
  previous: HTMLButtonElement;
  next: HTMLButtonElement;
  close: HTMLButtonElement;
}

/**
 * "Step through": the lecture's algorithm for one example, one equation at a time (see
 * walkthrough.ts), with the network drawing highlighting each step's layer. The steps are
 * built once, when opened, from the library's explanation of the model's current weights: a
 * snapshot, which training afterwards does not change (open it again for the new weights).
 * The buttons and the keys ← and → move between steps (not while typing in a field).
 */
export class StepThrough {
  readonly #elements: StepThroughElements;
  readonly #network: StepNetwork;
  #model: Sequential | undefined;
  #steps: Step[] = [];
  #index = 0;

  constructor(elements: StepThroughElements) {
    this.#elements = elements;
    this.#network = new StepNetwork(elements.network);
    elements.previous.addEventListener('click', () => this.go(-1));
    elements.next.addEventListener('click', () => this.go(1));
    elements.close.addEventListener('click', () => this.close());
    document.addEventListener('keydown', (event) => {
      if (elements.section.hidden || isTyping(event.target)) return;
      const by = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
      if (by === 0 || event.altKey || event.ctrlKey || event.metaKey) return;
      event.preventDefault();
      this.go(by);
    });
  }

  /**
   * Explains `subject.source` with the library and shows its first step.
   * @throws {ConfigError} for a model with a layer that is not Dense (see walkthrough.ts);
   *   explain's errors for an example that does not fit the model.
   */
  open({ source, description }: Subject): void {
    this.#steps = walkthroughOf(source).steps;
    this.#model = source.model;
    this.#index = 0;
    this.#elements.subject.textContent = description;
    this.#elements.section.hidden = false;
    this.#show();
    this.#elements.section.scrollIntoView({ block: 'nearest' });
  }

  /** Hides the section. */
  close(): void {
    this.#elements.section.hidden = true;
  }

  /** Moves `by` steps (−1 back, 1 forward), staying within the first and the last. */
  go(by: number): void {
    const index = Math.min(this.#steps.length - 1, Math.max(0, this.#index + by));
    if (index === this.#index) return;
    this.#index = index;
    this.#show();
  }

  #show(): void {
    const { panel, legend, previous, next } = this.#elements;
    const step = this.#steps[this.#index]!;
    renderStep(panel, step, this.#index, this.#steps.length);
    legend.textContent = this.#network.show(this.#model!, step);
    previous.disabled = this.#index === 0;
    next.disabled = this.#index === this.#steps.length - 1;
  }
}

/** What to step through, and its description in words. */
export interface Subject {
  source: WalkthroughSource;
  description: string;
}

/** A playground run's current weights on training example `example`, with its loss and η. */
export function sessionSubject(session: Session, example: number): Subject {
  const { loss } = session.config;
  return {
    source: {
      model: session.model,
      x: Array.from(session.train.x.row(example)),
      y: [session.train.y.get(example, 0)],
      loss,
      learningRate: session.learningRate,
    },
    description:
      `The playground's network after ${session.epoch} epochs, on training example ` +
      `${example}: loss ${loss}, one SGD step with η = ${session.learningRate}.`,
  };
}

/**
 * A loaded model file on one of its examples: the loss it was trained with (by name; else the
 * one its output layer implies) and one SGD step with its learning rate (else η = 0.1).
 */
export function loadedSubject({ model, x, y, label }: StepThroughSource): Subject {
  const training = model.trainingConfig;
  const output = model.layers.at(-1)?.outputActivation?.();
  const implied =
    output === 'softmax' ? 'crossEntropy' : output === 'sigmoid' ? 'binaryCrossEntropy' : 'mse';
  const loss = (typeof training?.loss === 'string' ? training.loss : implied) as LossName;
  const rate = training?.optimizer.config['learningRate'];
  const learningRate = typeof rate === 'number' ? rate : 0.1;
  const trainedWith = training?.optimizer.className;
  const other =
    trainedWith === undefined || trainedWith === 'SGD'
      ? ''
      : ` (it was trained with ${trainedWith}; the step shows the lecture's SGD rule)`;
  return {
    source: { model, x, y, loss, learningRate },
    description:
      `The loaded model on ${label}: loss ${loss}, one SGD step with η = ${learningRate}` +
      `${other}.`,
  };
}

/** True when the key goes to a text field or a menu (whose arrows move its cursor or value). */
function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLInputElement ||
    target instanceof HTMLSelectElement ||
    target instanceof HTMLTextAreaElement
  );
}
