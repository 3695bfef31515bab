import { describe, it, expect } from 'vitest';
import { DataError, DTYPES, Matrix, ShapeError, toMatrix } from '../../src/index.js';

describe('Matrix', () => {
  describe('from and toArray', () => {
    it('builds a row-major [rows, cols] matrix from number[][] and reads it back', () => {
      const values = [
        [1, 2, 3],
        [4, 5, 6],
      ];
      const m = Matrix.from(values, 'float64');
      expect(m.shape).toEqual([2, 3]);
      expect(m.rows).toBe(2);
      expect(m.cols).toBe(3);
      expect(m.dtype).toBe('float64');
      expect(m.data).toBeInstanceOf(Float64Array);
      expect(Array.from(m.data)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(m.get(1, 2)).toBe(6);
      expect(m.get(0, 1)).toBe(2);
      expect(m.toArray()).toEqual(values);
    });

    it('defaults to float32 and rounds to float32', () => {
      const m = Matrix.from([[0.1, 1e40]]);
      expect(m.dtype).toBe('float32');
      expect(m.data).toBeInstanceOf(Float32Array);
      expect(m.toArray()).toEqual([[Math.fround(0.1), Infinity]]);
    });

    it('does not keep a reference to the nested arrays', () => {
      const values = [[1, 2]];
      const m = Matrix.from(values, 'float64');
      values[0]![0] = 99;
      expect(m.get(0, 0)).toBe(1);
    });

    it('builds an empty [0, 0] matrix from []', () => {
      expect(Matrix.from([]).shape).toEqual([0, 0]);
      expect(Matrix.from([]).toArray()).toEqual([]);
    });

    it('throws ShapeError naming the row and both lengths for ragged rows', () => {
      expect(() => Matrix.from([[1, 2], [3], [4, 5]])).toThrow(ShapeError);
      expect(() => Matrix.from([[1, 2], [3], [4, 5]])).toThrow(
        /row 1 has 1 columns; expected 2 like row 0/,
      );
      expect(() => Matrix.from([[1], [2, 3]])).toThrow(/row 1 has 2 columns; expected 1/);
    });

    it('throws DataError naming row and column for an element that is not a number', () => {
      const bad = [
        [1, 2],
        [3, null],
      ] as unknown as number[][];
      expect(() => Matrix.from(bad)).toThrow(DataError);
      expect(() => Matrix.from(bad)).toThrow(/row 1, column 1: expected a number, got null/);
    });

    it('keeps NaN and Infinity (the training boundary rejects them, not the container)', () => {
      expect(Matrix.from([[NaN, -Infinity]], 'float64').toArray()).toEqual([[NaN, -Infinity]]);
    });
  });

  describe('constructor and zeros', () => {
    it('allocates zeros of the requested dtype', () => {
      for (const dtype of DTYPES) {
        const m = new Matrix(2, 3, dtype);
        expect(m.dtype).toBe(dtype);
        expect(m.toArray()).toEqual([
          [0, 0, 0],
          [0, 0, 0],
        ]);
        expect(Matrix.zeros(3, 1, dtype).shape).toEqual([3, 1]);
      }
      expect(new Matrix(1, 1).dtype).toBe('float32');
      expect(Matrix.zeros(1, 1).dtype).toBe('float32');
    });

    it('wraps a typed array without copying it', () => {
      const data = new Float64Array([1, 2, 3, 4]);
      const m = new Matrix(2, 2, data);
      expect(m.data).toBe(data);
      data[3] = 40;
      expect(m.get(1, 1)).toBe(40);
    });

    it('throws ShapeError for data of the wrong length', () => {
      expect(() => new Matrix(2, 2, new Float32Array(3))).toThrow(ShapeError);
      expect(() => new Matrix(2, 2, new Float32Array(3))).toThrow(
        /a \[2, 2\] matrix needs 4 values; received 3/,
      );
    });

    it('throws ShapeError for negative or fractional dimensions', () => {
      expect(() => new Matrix(-1, 2)).toThrow(ShapeError);
      expect(() => new Matrix(2, 1.5)).toThrow(
        /non-negative integer dimensions; received \[2, 1\.5\]/,
      );
      expect(() => new Matrix(NaN, 2)).toThrow(ShapeError);
    });
  });

  describe('set, row', () => {
    it('set writes element (i, j) at data[i·cols + j]', () => {
      const m = new Matrix(2, 3, 'float64');
      m.set(1, 0, 7);
      expect(m.data[3]).toBe(7);
      expect(m.get(1, 0)).toBe(7);
    });

    it('row(i) is a view of length cols that writes through', () => {
      const m = Matrix.from(
        [
          [1, 2],
          [3, 4],
        ],
        'float64',
      );
      const row = m.row(1);
      expect(Array.from(row)).toEqual([3, 4]);
      row[0] = 30;
      expect(m.get(1, 0)).toBe(30);
    });
  });

  describe('clone and dtype conversion', () => {
    it('clone is a deep copy of the same dtype', () => {
      const m = Matrix.from([[1, 2]], 'float64');
      const copy = m.clone();
      expect(copy.dtype).toBe('float64');
      expect(copy.toArray()).toEqual([[1, 2]]);
      copy.set(0, 0, 100);
      expect(m.get(0, 0)).toBe(1);
      expect(copy.data).not.toBe(m.data);
    });

    it('clone converts float64 to float32 (rounding) and back (exactly)', () => {
      const m = Matrix.from([[0.1, -2.5, 1 / 3]], 'float64');
      const single = m.clone('float32');
      expect(single.dtype).toBe('float32');
      expect(single.data).toBeInstanceOf(Float32Array);
      expect(single.toArray()).toEqual([[Math.fround(0.1), -2.5, Math.fround(1 / 3)]]);
      const double = single.clone('float64');
      expect(double.dtype).toBe('float64');
      expect(double.toArray()).toEqual(single.toArray());
    });

    it('toMatrix returns a Matrix of the right dtype as is, converts the others', () => {
      const m = Matrix.from([[1, 2]], 'float64');
      expect(toMatrix(m, 'float64')).toBe(m);
      const converted = toMatrix(m, 'float32');
      expect(converted).not.toBe(m);
      expect(converted.dtype).toBe('float32');
      expect(converted.toArray()).toEqual([[1, 2]]);
      expect(toMatrix([[3, 4]], 'float64').dtype).toBe('float64');
      expect(() => toMatrix([[1], [2, 3]], 'float64')).toThrow(ShapeError);
    });
  });

  describe('data setter', () => {
    it('accepts a plain array of the right length, converted to the matrix dtype', () => {
      const m = new Matrix(2, 2, 'float32');
      m.data = [0.1, 2, 3, 4];
      expect(m.data).toBeInstanceOf(Float32Array);
      expect(m.toArray()).toEqual([
        [Math.fround(0.1), 2],
        [3, 4],
      ]);
    });

    it('copies the values into its own array, converting to its dtype', () => {
      const single = new Matrix(1, 2, 'float32');
      single.data = new Float64Array([0.1, 0.2]);
      expect(single.dtype).toBe('float32');
      expect(Array.from(single.data)).toEqual([Math.fround(0.1), Math.fround(0.2)]);
      const double = new Matrix(1, 2, 'float64');
      const own = double.data;
      const values = new Float64Array([5, 6]);
      double.data = values;
      expect(double.data).toBe(own); // the same array (it may live in a backend's memory)
      values[0] = 7; // later changes to the source do not leak in
      expect(Array.from(double.data)).toEqual([5, 6]);
      double.data = new Float32Array([0.5, 0.25]);
      expect(double.dtype).toBe('float64');
      expect(Array.from(double.data)).toEqual([0.5, 0.25]);
    });

    it('throws ShapeError for an array of the wrong length and keeps the old values', () => {
      const m = Matrix.from([[1, 2, 3]], 'float64');
      expect(() => {
        m.data = [1, 2];
      }).toThrow(ShapeError);
      expect(() => {
        m.data = [1, 2, 3, 4];
      }).toThrow(/Matrix\[1, 3\] float64 needs 3 values; received 4/);
      expect(m.toArray()).toEqual([[1, 2, 3]]);
    });
  });

  it('describes itself with its shape and dtype', () => {
    const m = Matrix.from(
      [
        [1, 2],
        [3, 4],
      ],
      'float64',
    );
    expect(m.describe()).toBe('Matrix[2, 2] float64');
    expect(m.toString()).toBe('Matrix[2, 2] float64\n  [1, 2]\n  [3, 4]');
  });

  it('lists float32 and float64 as the dtypes', () => {
    expect(DTYPES).toEqual(['float32', 'float64']);
  });
});
