import {
  chainRule,
  chainRuleToText,
  LECTURE_EXPRESSION,
  LECTURE_VARIABLES,
  type ChainRule,
} from '../../packages/core/src/browser.js';
import { byId } from '../format.js';
import { drawGraph } from './graph.js';
import { backwardState } from './progress.js';
import { renderStep } from './step-panel.js';
import { formatVariables, parseVariables } from './variables.js';

// The chain-rule page: an expression built with Value drawn as its computational graph, and
// backward() stepped one node at a time (buttons or the arrow keys). The steps are the core's
// chainRule, the ones `backprop explain --chain-rule` prints.

const expressionInput = byId('expression', HTMLInputElement);
const variablesInput = byId('variables', HTMLInputElement);
const problem = byId('chain-error', HTMLElement);
const graph = byId('graph', SVGSVGElement);
const panel = byId('step-panel', HTMLElement);
const text = byId('chain-text', HTMLElement);
const back = byId('step-back', HTMLButtonElement);
const next = byId('step-next', HTMLButtonElement);

let rule: ChainRule = chainRule(LECTURE_EXPRESSION, LECTURE_VARIABLES);
let position = 0;

/** Reads the expression and variables; shows a problem instead of throwing, keeping the last graph. */
function rebuild(): void {
  try {
    rule = chainRule(expressionInput.value, parseVariables(variablesInput.value));
    problem.textContent = '';
    position = 0;
  } catch (error) {
    // The parser's messages are the CLI's: say where the page takes what the flag gives.
    problem.textContent = (error instanceof Error ? error.message : String(error))
      .replace(/^--chain-rule /, '')
      .replace(/; give it with --var (\w+)=<number>$/, '; give it one after “at”, e.g. $1 = 1');
  }
  render();
}

function render(): void {
  const state = backwardState(rule, position);
  drawGraph(graph, rule, state);
  renderStep(panel, rule, state);
  text.textContent = chainRuleToText(rule);
  back.disabled = position === 0;
  next.disabled = position === rule.steps.length;
}

function move(by: number): void {
  position = Math.min(rule.steps.length, Math.max(0, position + by));
  render();
}

expressionInput.value = LECTURE_EXPRESSION;
variablesInput.value = formatVariables(LECTURE_VARIABLES);
byId('expression-form', HTMLFormElement).addEventListener('submit', (event) => {
  event.preventDefault();
  rebuild();
});
back.addEventListener('click', () => move(-1));
next.addEventListener('click', () => move(1));
byId('step-end', HTMLButtonElement).addEventListener('click', () => move(rule.steps.length));
byId('step-start', HTMLButtonElement).addEventListener('click', () => move(-rule.steps.length));
document.addEventListener('keydown', (event) => {
  if (event.target instanceof HTMLInputElement) return;
  if (event.key === 'ArrowRight') move(1);
  else if (event.key === 'ArrowLeft') move(-1);
});
render();
