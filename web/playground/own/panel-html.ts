/**
 * The markup of the playground's "Your data and your model" panel, put into its placeholder
 * `<section id="own-data">` of index.html (static text: no user data goes in here).
 */
export const OWN_PANEL_HTML = `
<h2 id="own-title">Your data and your model</h2>
<div class="own-columns">
  <div>
    <fieldset>
      <legend>A CSV file</legend>
      <label>CSV file <input id="own-csv" type="file" accept=".csv,text/csv" /></label>
      <label>Target column <select id="own-target"></select></label>
      <div id="own-categorical" class="note"></div>
      <label>Hidden layers <input id="own-hidden" type="text" value="8" title="units per layer, e.g. 8, 8" /></label>
      <label>Activation <select id="own-activation"></select></label>
      <label>Learning rate η <input id="own-learning-rate" type="number" min="0" step="any" value="0.1" /></label>
      <label>Batch size <input id="own-batch-size" type="number" min="1" step="1" value="10" /></label>
      <label>Epochs <input id="own-epochs" type="number" min="1" step="1" value="50" /></label>
      <label>Seed <input id="own-seed" type="number" min="0" step="1" value="1" /></label>
      <label>Diagnostics <input id="own-diagnose" type="checkbox" /></label>
      <div class="buttons">
        <button id="own-train" type="button" disabled>Train</button>
        <button id="own-export" type="button" disabled title="the TypeScript that reproduces this run">Export as code</button>
      </div>
      <p class="note">80% of the rows train, 20% test (split by the seed, stratified); inputs
        standardised on the training rows; text columns one-hot encoded; SGD, float64.</p>
      <p id="own-error" role="alert"></p>
    </fieldset>
    <fieldset>
      <legend>A model file</legend>
      <label>Model file <input id="own-model" type="file" accept=".json,application/json" /></label>
      <label>Example <input id="own-example" type="number" min="0" step="1" value="0" /></label>
      <p class="note">A model written by <code>backprop train</code> (or the digits page's MNIST
        model). Its examples are the rows of the CSV loaded above when the model keeps its
        preprocessing, else a blank input.</p>
      <button id="own-model-step" type="button" hidden>Step through this example</button>
      <p id="own-model-error" role="alert"></p>
    </fieldset>
  </div>
  <div id="own-results">
    <dl id="own-scores"></dl>
    <svg id="own-loss-chart" role="img" aria-label="training loss per epoch"></svg>
    <canvas id="own-boundary" width="300" height="300" hidden></canvas>
    <div id="own-confusion"></div>
    <div id="own-diagnostics" hidden></div>
    <pre id="own-code" hidden></pre>
  </div>
  <div id="own-model-view">
    <pre id="own-model-summary"></pre>
    <pre id="own-model-explain"></pre>
  </div>
</div>`;
