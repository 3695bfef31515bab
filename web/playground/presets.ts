import {
  LECTURE_EXAMPLE,
  LECTURE_LEARNING_RATE,
  lectureNetwork,
} from '../../packages/core/src/browser.js';
import { element } from '../format.js';
import { DEFAULT_CONFIG, type PlaygroundConfig } from './config.js';
import type { Subject } from './step-through.js';

// The playground's lessons: a preset each, with two sentences that say what to look at.

/** A lesson: the settings it loads (none for the lecture's network) and what it teaches. */
export interface Lesson {
  id: 'lecture' | 'xor-too-small' | 'vanishing-gradients' | 'dead-relus';
  /** Its name in the menu. */
  title: string;
  /** Two sentences shown in the page. */
  text: string;
  /**
   * The playground settings it loads. The lecture's network has none: it has 3 inputs and 2
   * outputs, which the playground's plane (2 inputs, 1 output) cannot draw or train, so its
   * lesson opens the step-through on the lecture's one example instead.
   */
  config?: PlaygroundConfig;
}

/** The lessons, in menu order. */
export const LESSONS: readonly Lesson[] = [
  {
    id: 'lecture',
    title: "The lecture's 3-3-2 network",
    text:
      "Step through one training step of the lecture's network on its one example, " +
      'x = (0.5, −1, 2), y = (1, 0), with L = ½‖a² − y‖² and η = 0.5: every number is the ' +
      "library's, as backprop explain prints it. The network has 3 inputs and 2 outputs, so " +
      'it is not drawn on the plane: the boundary and the loss chart keep the playground run.',
  },
  {
    id: 'xor-too-small',
    title: 'XOR with too small a network',
    text:
      'With one hidden unit the output is a monotone function of one line through the plane, so ' +
      'the boundary is a straight line and XOR stays near 75% however long it trains. Set the ' +
      'hidden layers to "2" or "4" and train again: two lines separate XOR.',
    config: { ...DEFAULT_CONFIG, hidden: [1] },
  },
  {
    id: 'vanishing-gradients',
    title: 'Vanishing gradients in a deep sigmoid net',
    text:
      "Each sigmoid layer multiplies δ by σ′(z) ≤ ¼ on its way back, so the first layer's " +
      "gradients are about 10⁻⁴ of the last's and training sits at 50% (step through and watch " +
      'δ shrink from right to left). Switch the activation to tanh, or use fewer layers.',
    config: {
      ...DEFAULT_CONFIG,
      dataset: 'circles',
      hidden: [6, 6, 6, 6, 6, 6],
      activation: 'sigmoid',
      learningRate: 0.3,
    },
  },
  {
    id: 'dead-relus',
    title: 'Dead ReLUs from too high a learning rate',
    text:
      'With η = 3 the first updates push most ReLU units to z < 0 on every example, where they ' +
      'output 0 and get no gradient, so they never recover (train, then click a hidden unit: ' +
      'a = 0, δ = 0). Set η to 0.03, reset and train: every unit stays alive.',
    config: {
      ...DEFAULT_CONFIG,
      dataset: 'circles',
      hidden: [8, 8],
      activation: 'relu',
      learningRate: 3,
    },
  },
];

/** The lecture's network on its example, as `backprop explain` shows it by default. */
export function lectureSubject(): Subject {
  return {
    source: {
      model: lectureNetwork(),
      x: [...LECTURE_EXAMPLE.x],
      y: [...LECTURE_EXAMPLE.y],
      loss: 'mse',
      learningRate: LECTURE_LEARNING_RATE,
    },
    description:
      "The lecture's 3-3-2 sigmoid network with its fixed weights, on its example " +
      `x = (${LECTURE_EXAMPLE.x.join(', ')}), y = (${LECTURE_EXAMPLE.y.join(', ')}): ` +
      `loss ½‖a² − y‖², one SGD step with η = ${LECTURE_LEARNING_RATE}.`,
  };
}

/**
 * Fills the lesson menu (a first, empty choice, then {@link LESSONS}) and calls `choose` with
 * the lesson picked, after showing its text in `text`.
 */
export function connectLessons(
  menu: HTMLSelectElement,
  text: HTMLElement,
  choose: (lesson: Lesson) => void,
): void {
  menu.replaceChildren(
    element('option', { value: '' }, 'choose a lesson…'),
    ...LESSONS.map((lesson) => element('option', { value: lesson.id }, lesson.title)),
  );
  menu.addEventListener('change', () => {
    const lesson = LESSONS.find((candidate) => candidate.id === menu.value);
    text.textContent = lesson?.text ?? '';
    if (lesson !== undefined) choose(lesson);
  });
}
