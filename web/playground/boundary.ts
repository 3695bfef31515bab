import { Matrix } from '../../packages/core/src/browser.js';
import { classColour, diverging } from './colours.js';
import type { Session } from './session.js';

/** The plot shows the square [−EXTENT, EXTENT]² of the plane. */
export const EXTENT = 1.5;
/** How strong the heatmap's colours are (1 = the points' colours), so that points stand out. */
const HEATMAP_STRENGTH = 0.6;
/** Grid cells per side of the heatmap. */
const GRID = 64;

/**
 * The decision boundary: the network's output over the plane as a heatmap (orange for class 0,
 * blue for class 1, white at 0.5), with the training points on top and the inspected example
 * ringed. Test points are drawn smaller, without an outline.
 */
export class BoundaryPlot {
  readonly #canvas: HTMLCanvasElement;
  readonly #context: CanvasRenderingContext2D;
  readonly #cells: HTMLCanvasElement;
  readonly #grid: Matrix;

  constructor(canvas: HTMLCanvasElement) {
    this.#canvas = canvas;
    this.#context = canvas.getContext('2d')!;
    this.#cells = document.createElement('canvas');
    this.#cells.width = GRID;
    this.#cells.height = GRID;
    // Cell centres, row by row from the top (x₂ = +EXTENT) down.
    this.#grid = new Matrix(GRID * GRID, 2, 'float64');
    for (let row = 0; row < GRID; row++) {
      for (let col = 0; col < GRID; col++) {
        this.#grid.set(row * GRID + col, 0, -EXTENT + ((col + 0.5) * 2 * EXTENT) / GRID);
        this.#grid.set(row * GRID + col, 1, EXTENT - ((row + 0.5) * 2 * EXTENT) / GRID);
      }
    }
  }

  /** Redraws the heatmap and the points for the session's current weights. */
  draw(session: Session, selected: number): void {
    const output = session.model.predict(this.#grid).data;
    const cells = this.#cells.getContext('2d')!;
    const image = cells.createImageData(GRID, GRID);
    for (let i = 0; i < output.length; i++) {
      const [r, g, b] = diverging(HEATMAP_STRENGTH * (2 * output[i]! - 1));
      image.data.set([r, g, b, 255], 4 * i);
    }
    cells.putImageData(image, 0, 0);
    const context = this.#context;
    const { width, height } = this.#canvas;
    context.imageSmoothingEnabled = true;
    context.drawImage(this.#cells, 0, 0, width, height);
    context.strokeStyle = 'rgba(0, 0, 0, 0.15)';
    context.beginPath();
    context.moveTo(width / 2, 0);
    context.lineTo(width / 2, height);
    context.moveTo(0, height / 2);
    context.lineTo(width, height / 2);
    context.stroke();
    this.#points(session.test, 2.5, false);
    this.#points(session.train, 4, true);
    const [x, y] = this.toCanvas(
      session.train.x.get(selected, 0),
      session.train.x.get(selected, 1),
    );
    context.lineWidth = 2.5;
    context.strokeStyle = '#111';
    context.beginPath();
    context.arc(x, y, 9, 0, 2 * Math.PI);
    context.stroke();
    context.lineWidth = 1;
  }

  #points(points: Session['train'], radius: number, outline: boolean): void {
    const context = this.#context;
    for (let i = 0; i < points.x.rows; i++) {
      const [x, y] = this.toCanvas(points.x.get(i, 0), points.x.get(i, 1));
      context.fillStyle = classColour(points.y.get(i, 0));
      context.beginPath();
      context.arc(x, y, radius, 0, 2 * Math.PI);
      context.fill();
      if (outline) {
        context.strokeStyle = 'rgba(255, 255, 255, 0.9)';
        context.stroke();
      }
    }
  }

  /** Canvas pixel coordinates of a point of the plane. */
  toCanvas(x1: number, x2: number): [number, number] {
    const { width, height } = this.#canvas;
    return [((x1 + EXTENT) / (2 * EXTENT)) * width, ((EXTENT - x2) / (2 * EXTENT)) * height];
  }

  /** The training example nearest to a click at client coordinates. */
  nearestExample(session: Session, clientX: number, clientY: number): number {
    const box = this.#canvas.getBoundingClientRect();
    const px = ((clientX - box.left) / box.width) * this.#canvas.width;
    const py = ((clientY - box.top) / box.height) * this.#canvas.height;
    let best = 0;
    let bestDistance = Infinity;
    for (let i = 0; i < session.train.x.rows; i++) {
      const [x, y] = this.toCanvas(session.train.x.get(i, 0), session.train.x.get(i, 1));
      const distance = (x - px) ** 2 + (y - py) ** 2;
      if (distance < bestDistance) [best, bestDistance] = [i, distance];
    }
    return best;
  }
}
