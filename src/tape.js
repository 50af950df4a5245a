// Rebuilds a value written by src/tape.rs. The tape arrives in pieces, in
// order: `feed(words, text)` for each (`words` is a view of the module's
// memory, read before the call returns; `text` holds the piece's strings,
// one after the other), then `finish()` returns the value. The format is
// described in src/tape.rs.

const scratch = new DataView(new ArrayBuffer(8));

export class TapeDecoder {
  constructor() {
    // The open objects and arrays, innermost last.
    this.open = [];
    // Field names by number, in the order they were first written.
    this.keys = [];
    // The key read for the innermost object, waiting for its value.
    this.key = null;
    this.value = undefined;
  }

  feed(words, text) {
    const open = this.open;
    const keys = this.keys;
    let key = this.key;
    let cursor = 0;
    let top = open.length > 0 ? open[open.length - 1] : null;
    let inArray = Array.isArray(top);
    const n = words.length;
    for (let i = 0; i < n; i++) {
      const word = words[i];
      const tag = word & 7;
      if (tag === 2) {
        open.pop();
        top = open.length > 0 ? open[open.length - 1] : null;
        inArray = Array.isArray(top);
        continue;
      }
      if (top !== null && !inArray && key === null) {
        if (tag === 4) {
          key = keys[word >>> 3];
        } else {
          const len = word >>> 3;
          key = text.substring(cursor, cursor + len);
          cursor += len;
          if (tag === 5) keys.push(key);
        }
        continue;
      }
      let value;
      switch (tag) {
        case 0:
          value = {};
          break;
        case 1:
          value = [];
          break;
        case 3: {
          const len = word >>> 3;
          value = text.substring(cursor, cursor + len);
          cursor += len;
          break;
        }
        case 6:
          value = word >>> 3;
          break;
        case 7:
          switch (word >>> 3) {
            case 0:
              value = null;
              break;
            case 1:
              value = true;
              break;
            case 2:
              value = false;
              break;
            default:
              scratch.setUint32(0, words[++i], true);
              scratch.setUint32(4, words[++i], true);
              value = scratch.getFloat64(0, true);
          }
          break;
        default:
          throw new Error(`zerodown: bad result tape (word ${word})`);
      }
      if (top === null) {
        this.value = value;
      } else if (inArray) {
        top.push(value);
      } else {
        if (key === "__proto__") {
          // An own property, as JSON.parse makes it.
          Object.defineProperty(top, key, { value, enumerable: true, writable: true, configurable: true });
        } else {
          top[key] = value;
        }
        key = null;
      }
      if (tag <= 1) {
        open.push(value);
        top = value;
        inArray = tag === 1;
      }
    }
    this.key = key;
  }

  finish() {
    return this.value;
  }
}
