import { Transform } from 'node:stream';
import { DataError } from '@backpropjs/core';

/** The length of a UTF-8 sequence from its lead byte, or 0 for a byte that cannot lead one. */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/**
 * A pass-through stream that checks that a file is UTF-8 (RFC 3629: no stray continuation
 * bytes, no overlong lead bytes C0/C1 or F5–FF, no truncated sequences), so that CSV text is
 * never silently turned into U+FFFD. A file that starts with a UTF-16 byte-order mark is passed
 * on unchecked (the CSV parser decodes it).
 * @param path - the file, named in the error
 * @throws {DataError} (as a stream error) naming the file, the row (1-based, counting line
 *   ends) and the byte, e.g. `f.csv, row 4: byte 0xff is not UTF-8; expected a UTF-8 text file`
 */
export function utf8Check(path: string): Transform {
  let row = 1;
  let pending = 0; // continuation bytes still expected
  let first = true;
  let utf16 = false;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (first) {
        first = false;
        utf16 =
          chunk.length >= 2 &&
          ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff));
      }
      if (!utf16) {
        for (let i = 0; i < chunk.length; i++) {
          const byte = chunk[i]!;
          if (pending > 0) {
            if ((byte & 0xc0) !== 0x80) return done(invalid(path, row, byte));
            pending--;
            continue;
          }
          if (byte === 0x0a) row++;
          const length = sequenceLength(byte);
          if (length === 0) return done(invalid(path, row, byte));
          pending = length - 1;
        }
      }
      done(null, chunk);
    },
    flush(done) {
      done(
        pending > 0
          ? new DataError(
              `${path}, row ${row}: the file ends inside a UTF-8 character; expected a UTF-8 text file`,
            )
          : null,
      );
    },
  });
}

function invalid(path: string, row: number, byte: number): DataError {
  const hex = byte.toString(16).padStart(2, '0');
  return new DataError(
    `${path}, row ${row}: byte 0x${hex} is not UTF-8; expected a UTF-8 text file (save it as UTF-8)`,
  );
}
