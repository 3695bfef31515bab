import type { Matrix } from '../tensor/matrix.js';

/** Precision, recall and F1 of one class, or their averages. */
export interface ClassScores {
  precision: number;
  recall: number;
  f1: number;
}

/**
 * A confusion matrix accumulated over batches: `counts[t·C + p]` rows of true class t were
 * predicted as class p (rows true, columns predicted, as scikit-learn's `confusion_matrix`).
 * Classes are the argmax of each row, or for a single output 0/1 by the side of 0.5 (C = 2).
 */
export class ConfusionMatrix {
  /** C, the number of classes. */
  readonly classes: number;
  /** C·C counts, row-major [true class, predicted class]. */
  readonly counts: Float64Array;

  /** @param outputs - nᴸ; one output means two classes */
  constructor(outputs: number) {
    this.classes = outputs === 1 ? 2 : outputs;
    this.counts = new Float64Array(this.classes * this.classes);
  }

  /** Forgets every row seen. */
  reset(): void {
    this.counts.fill(0);
  }

  /** Adds a batch of predictions a and targets y, both [B, outputs]. */
  update(a: Matrix, y: Matrix): void {
    const n = a.cols;
    const A = a.data;
    const Y = y.data;
    for (let i = 0; i < a.rows; i++) {
      const row = i * n;
      let predicted = 0;
      let expected = 0;
      if (n === 1) {
        predicted = A[row]! >= 0.5 ? 1 : 0;
        expected = Y[row]! >= 0.5 ? 1 : 0;
      } else {
        for (let j = 1; j < n; j++) {
          if (A[row + j]! > A[row + predicted]!) predicted = j;
          if (Y[row + j]! > Y[row + expected]!) expected = j;
        }
      }
      this.counts[expected * this.classes + predicted]!++;
    }
  }

  /** The counts as number[][], [true class][predicted class]. */
  toArray(): number[][] {
    const C = this.classes;
    return Array.from({ length: C }, (_, t) =>
      Array.from(this.counts.subarray(t * C, (t + 1) * C)),
    );
  }

  /**
   * Per-class precision TP/(TP + FP), recall TP/(TP + FN), F1 = 2PR/(P + R) and support (rows
   * of that true class); macro averages over the classes that occur in the targets or the
   * predictions; averages weighted by support. A 0/0 ratio counts 0 (scikit-learn's
   * zero_division=0).
   */
  scores(): {
    perClass: (ClassScores & { support: number })[];
    macro: ClassScores;
    weighted: ClassScores;
  } {
    const C = this.classes;
    const M = this.counts;
    const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
    const perClass = Array.from({ length: C }, (_, c) => {
      let predicted = 0;
      let support = 0;
      for (let k = 0; k < C; k++) {
        predicted += M[k * C + c]!;
        support += M[c * C + k]!;
      }
      const tp = M[c * C + c]!;
      const precision = ratio(tp, predicted);
      const recall = ratio(tp, support);
      const f1 = ratio(2 * precision * recall, precision + recall);
      return { precision, recall, f1, support, present: predicted + support > 0 };
    });
    const present = perClass.filter((c) => c.present);
    const total = perClass.reduce((sum, c) => sum + c.support, 0);
    const average = (key: keyof ClassScores, weight: (c: (typeof perClass)[number]) => number) =>
      perClass.reduce((sum, c) => sum + c[key] * weight(c), 0);
    const macro = {
      precision: ratio(
        average('precision', (c) => +c.present),
        present.length,
      ),
      recall: ratio(
        average('recall', (c) => +c.present),
        present.length,
      ),
      f1: ratio(
        average('f1', (c) => +c.present),
        present.length,
      ),
    };
    const weighted = {
      precision: ratio(
        average('precision', (c) => c.support),
        total,
      ),
      recall: ratio(
        average('recall', (c) => c.support),
        total,
      ),
      f1: ratio(
        average('f1', (c) => c.support),
        total,
      ),
    };
    return {
      perClass: perClass.map(({ precision, recall, f1, support }) => ({
        precision,
        recall,
        f1,
        support,
      })),
      macro,
      weighted,
    };
  }
}
