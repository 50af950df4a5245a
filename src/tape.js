// Rebuilds a value written by src/tape.rs: `words` (a view of the module's
// memory, read before anything can grow it) and `text` (every string, one
// after the other). The format is described in src/tape.rs.

const scratch = new DataView(new ArrayBuffer(8));

export function decodeTape(words, text) {
  let at = 0; // the next word
  let cursor = 0; // the next string's start in `text`
  const keys = [];

  function string(len) {
    const s = text.substring(cursor, cursor + len);
    cursor += len;
    return s;
  }

  function key(word) {
    switch (word & 7) {
      case 4:
        return keys[word >>> 3];
      case 5: {
        const k = string(word >>> 3);
        keys.push(k);
        return k;
      }
      default:
        return string(word >>> 3);
    }
  }

  function value(word) {
    switch (word & 7) {
      case 0: {
        const object = {};
        for (let w = words[at++]; w !== 2; w = words[at++]) {
          const k = key(w);
          const v = value(words[at++]);
          // An own property, as JSON.parse makes it, even for "__proto__".
          if (k === "__proto__") {
            Object.defineProperty(object, k, { value: v, enumerable: true, writable: true, configurable: true });
          } else {
            object[k] = v;
          }
        }
        return object;
      }
      case 1: {
        const array = [];
        for (let w = words[at++]; w !== 2; w = words[at++]) {
          array.push(value(w));
        }
        return array;
      }
      case 3:
        return string(word >>> 3);
      case 6:
        return word >>> 3;
      case 7:
        switch (word >>> 3) {
          case 0:
            return null;
          case 1:
            return true;
          case 2:
            return false;
          default:
            scratch.setUint32(0, words[at++], true);
            scratch.setUint32(4, words[at++], true);
            return scratch.getFloat64(0, true);
        }
      default:
        throw new Error(`zerodown: bad result tape at word ${at - 1}`);
    }
  }

  return value(words[at++]);
}
