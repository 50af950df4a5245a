//! The WebAssembly module's way of handing results to JavaScript.
//!
//! serde-wasm-bindgen builds a JavaScript value from Rust with one call into
//! JavaScript per object, field, number and string: for a lint report of
//! 40,000 findings that is about two million crossings, and 13% of
//! `lintFiles`. [`Tape`] is a serde serializer that instead writes the value
//! as a list of `u32` words and one string holding every string, and
//! `src/tape.js` rebuilds the value from them. The tape is handed over in
//! pieces of a few hundred kilobytes, so the buffers stay small and are
//! reused; a piece may end after any key or value, never inside a number's
//! words or a string's text. The value is what
//! `serde_json` would print, read back by `JSON.parse`: maps and structs as
//! objects, `None` and unit as `null`, enums externally tagged, non-finite
//! floats as `null`.
//!
//! Each word is a tag in its low three bits and a payload above them:
//!
//! | tag | meaning | payload |
//! |---|---|---|
//! | 0 | object: keys and values follow up to an end | |
//! | 1 | array: values follow up to an end | |
//! | 2 | end of an object or array | |
//! | 3 | a string, the next one in the text | its length in UTF-16 code units |
//! | 4 | a field name seen before | its number |
//! | 5 | a field name seen for the first time, numbered in order | its length |
//! | 6 | an integer from 0 to 2^29 - 1 | the integer |
//! | 7 | a constant | 0 null, 1 true, 2 false, 3 a number in the next two words (f64 bits, low word first) |
//!
//! Inside an object a key is a tag 3, 4 or 5 word, followed by its value.
//! Strings are measured in UTF-16 code units because JavaScript slices its
//! strings in them: the decoder takes each string with `substring` from the
//! one decoded text.

use serde::ser::{self, Serialize};
use std::fmt;

const OBJECT: u32 = 0;
const ARRAY: u32 = 1;
const END: u32 = 2;
const STRING: u32 = 3;
const KEY: u32 = 4;
const NEW_KEY: u32 = 5;
const INT: u32 = 6;
const CONST: u32 = 7;

const NULL: u32 = CONST;
const TRUE: u32 = CONST | 1 << 3;
const FALSE: u32 = CONST | 2 << 3;
const FLOAT: u32 = CONST | 3 << 3;

/// The largest payload: 29 bits.
const MAX_PAYLOAD: u64 = (1 << 29) - 1;

/// The words and text a [`Tape`] hands its sink at a time, at most (a string
/// longer than the text limit goes whole): the buffers are reused, so
/// converting a large result costs a few hundred kilobytes beside it, not a
/// second copy.
const WORDS_PER_FLUSH: usize = 1 << 16;
const TEXT_PER_FLUSH: usize = 1 << 18;

/// A serializer writing a value as words and text (see the module
/// documentation) and handing them to its sink in pieces, each ending
/// between two values: the decoder reads the pieces in order as one tape.
pub struct Tape<'s> {
    words: Vec<u32>,
    text: String,
    /// Field names already numbered, by address: serde hands them out as
    /// `&'static str`, so the same field has the same address.
    keys: KeyTable,
    /// A trait object, not a type parameter: the serializer is compiled
    /// once for each output type, not once more for each caller's sink.
    sink: &'s mut dyn FnMut(&[u32], &str),
    words_per_flush: usize,
    text_per_flush: usize,
}

/// Why a value cannot be written.
#[derive(Debug)]
pub struct TapeError(String);

impl fmt::Display for TapeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TapeError {}

impl ser::Error for TapeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        TapeError(msg.to_string())
    }
}

impl<'s> Tape<'s> {
    /// Writes `value`, handing the tape to `sink` piece by piece.
    pub fn write<T: Serialize + ?Sized>(
        value: &T,
        sink: &'s mut dyn FnMut(&[u32], &str),
    ) -> Result<(), TapeError> {
        Self::write_in_pieces(value, WORDS_PER_FLUSH, TEXT_PER_FLUSH, sink)
    }

    fn write_in_pieces<T: Serialize + ?Sized>(
        value: &T,
        words_per_flush: usize,
        text_per_flush: usize,
        sink: &'s mut dyn FnMut(&[u32], &str),
    ) -> Result<(), TapeError> {
        let mut tape = Tape {
            words: Vec::new(),
            text: String::new(),
            keys: KeyTable::default(),
            sink,
            words_per_flush,
            text_per_flush,
        };
        value.serialize(&mut tape)?;
        tape.flush();
        Ok(())
    }

    /// Hands what is written to the sink.
    fn flush(&mut self) {
        if self.words.is_empty() {
            return;
        }
        self.measure_in_utf16();
        (self.sink)(&self.words, &self.text);
        self.words.clear();
        self.text.clear();
    }

    /// Called before each value or end is written: a piece ends here.
    #[inline]
    fn room(&mut self) {
        if self.words.len() >= self.words_per_flush || self.text.len() >= self.text_per_flush {
            self.flush();
        }
    }

    /// Writes one word, a value or an end of its own.
    #[inline]
    fn emit(&mut self, word: u32) {
        self.room();
        self.words.push(word);
    }

    /// Strings are written with their length in bytes, the same as in UTF-16
    /// code units while the text is ASCII (the usual case, checked once for
    /// each piece). Otherwise this pass walks the words and the text
    /// together and rewrites each length in UTF-16 code units (never more
    /// than the bytes, so it still fits).
    fn measure_in_utf16(&mut self) {
        if self.text.is_ascii() {
            return;
        }
        let mut cursor = 0;
        let mut i = 0;
        while i < self.words.len() {
            let word = self.words[i];
            match word & 7 {
                STRING | NEW_KEY => {
                    let bytes = (word >> 3) as usize;
                    let s = &self.text[cursor..cursor + bytes];
                    let units: usize = s.chars().map(char::len_utf16).sum();
                    self.words[i] = (word & 7) | (units as u32) << 3;
                    cursor += bytes;
                }
                // A number's two words follow.
                _ if word == FLOAT => i += 2,
                _ => {}
            }
            i += 1;
        }
    }

    fn tagged(&mut self, tag: u32, payload: usize) -> Result<(), TapeError> {
        if payload as u64 > MAX_PAYLOAD {
            return Err(TapeError(format!(
                "a value too large to hand to JavaScript ({payload})"
            )));
        }
        self.emit(tag | (payload as u32) << 3);
        Ok(())
    }

    fn string(&mut self, s: &str) -> Result<(), TapeError> {
        self.tagged(STRING, s.len())?;
        self.text.push_str(s);
        Ok(())
    }

    fn float(&mut self, v: f64) {
        if v.is_finite() {
            let bits = v.to_bits();
            self.room();
            self.words
                .extend_from_slice(&[FLOAT, bits as u32, (bits >> 32) as u32]);
        } else {
            // As serde_json prints it.
            self.emit(NULL);
        }
    }

    fn unsigned(&mut self, v: u64) {
        if v <= MAX_PAYLOAD {
            self.emit(INT | (v as u32) << 3);
        } else {
            self.float(v as f64);
        }
    }

    fn signed(&mut self, v: i64) {
        match u64::try_from(v) {
            Ok(v) => self.unsigned(v),
            Err(_) => self.float(v as f64),
        }
    }

    fn key(&mut self, key: &'static str) -> Result<(), TapeError> {
        match self.keys.get_or_insert(key) {
            Ok(n) => self.tagged(KEY, n),
            Err(()) => {
                self.tagged(NEW_KEY, key.len())?;
                self.text.push_str(key);
                Ok(())
            }
        }
    }

    /// `{"variant": ...}`: the opening of an externally tagged enum variant.
    fn variant(&mut self, variant: &'static str) -> Result<(), TapeError> {
        self.emit(OBJECT);
        self.key(variant)
    }
}

/// Field names numbered by the address of their text: open addressing over
/// a power-of-two table, no hashing of the text itself.
#[derive(Debug, Default)]
struct KeyTable {
    /// `(address, length, number)`; address 0 is an empty slot.
    slots: Vec<(usize, usize, usize)>,
    len: usize,
}

impl KeyTable {
    /// The number of `key`, or `Err` after numbering it (the next number).
    fn get_or_insert(&mut self, key: &'static str) -> Result<usize, ()> {
        if self.slots.is_empty() {
            self.slots = vec![(0, 0, 0); 64];
        }
        let address = key.as_ptr() as usize;
        let mask = self.slots.len() - 1;
        // Fibonacci hashing of the address; the low bits are alignment.
        let mut i = (address.wrapping_mul(0x9E37_79B9) >> 7) & mask;
        loop {
            let (a, l, n) = self.slots[i];
            if a == 0 {
                break;
            }
            if a == address && l == key.len() {
                return Ok(n);
            }
            i = (i + 1) & mask;
        }
        self.slots[i] = (address, key.len(), self.len);
        self.len += 1;
        if self.len * 2 > self.slots.len() {
            self.grow();
        }
        Err(())
    }

    fn grow(&mut self) {
        let size = self.slots.len() * 2;
        let old = std::mem::replace(&mut self.slots, vec![(0, 0, 0); size]);
        let mask = self.slots.len() - 1;
        for (a, l, n) in old.into_iter().filter(|s| s.0 != 0) {
            let mut i = (a.wrapping_mul(0x9E37_79B9) >> 7) & mask;
            while self.slots[i].0 != 0 {
                i = (i + 1) & mask;
            }
            self.slots[i] = (a, l, n);
        }
    }
}

impl ser::Serializer for &mut Tape<'_> {
    type Ok = ();
    type Error = TapeError;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    fn serialize_bool(self, v: bool) -> Result<(), TapeError> {
        self.emit(if v { TRUE } else { FALSE });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), TapeError> {
        self.signed(v.into());
        Ok(())
    }
    fn serialize_i16(self, v: i16) -> Result<(), TapeError> {
        self.signed(v.into());
        Ok(())
    }
    fn serialize_i32(self, v: i32) -> Result<(), TapeError> {
        self.signed(v.into());
        Ok(())
    }
    fn serialize_i64(self, v: i64) -> Result<(), TapeError> {
        self.signed(v);
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Result<(), TapeError> {
        self.unsigned(v.into());
        Ok(())
    }
    fn serialize_u16(self, v: u16) -> Result<(), TapeError> {
        self.unsigned(v.into());
        Ok(())
    }
    fn serialize_u32(self, v: u32) -> Result<(), TapeError> {
        self.unsigned(v.into());
        Ok(())
    }
    fn serialize_u64(self, v: u64) -> Result<(), TapeError> {
        self.unsigned(v);
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Result<(), TapeError> {
        self.float(v.into());
        Ok(())
    }
    fn serialize_f64(self, v: f64) -> Result<(), TapeError> {
        self.float(v);
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), TapeError> {
        self.string(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<(), TapeError> {
        self.string(v)
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), TapeError> {
        // An array of numbers, as serde_json prints bytes.
        self.emit(ARRAY);
        for &b in v {
            self.unsigned(b.into());
        }
        self.emit(END);
        Ok(())
    }
    fn serialize_none(self) -> Result<(), TapeError> {
        self.emit(NULL);
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), TapeError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), TapeError> {
        self.emit(NULL);
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), TapeError> {
        self.emit(NULL);
        Ok(())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), TapeError> {
        self.string(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), TapeError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), TapeError> {
        self.variant(variant)?;
        value.serialize(&mut *self)?;
        self.emit(END);
        Ok(())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self, TapeError> {
        self.emit(ARRAY);
        Ok(self)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self, TapeError> {
        self.emit(ARRAY);
        Ok(self)
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self, TapeError> {
        self.emit(ARRAY);
        Ok(self)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self, TapeError> {
        self.variant(variant)?;
        self.emit(ARRAY);
        Ok(self)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self, TapeError> {
        self.emit(OBJECT);
        Ok(self)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, TapeError> {
        self.emit(OBJECT);
        Ok(self)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self, TapeError> {
        self.variant(variant)?;
        self.emit(OBJECT);
        Ok(self)
    }
}

impl ser::SerializeSeq for &mut Tape<'_> {
    type Ok = ();
    type Error = TapeError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), TapeError> {
        value.serialize(&mut **self)
    }
    fn end(self) -> Result<(), TapeError> {
        self.emit(END);
        Ok(())
    }
}

impl ser::SerializeTuple for &mut Tape<'_> {
    type Ok = ();
    type Error = TapeError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), TapeError> {
        value.serialize(&mut **self)
    }
    fn end(self) -> Result<(), TapeError> {
        self.emit(END);
        Ok(())
    }
}

impl ser::SerializeTupleStruct for &mut Tape<'_> {
    type Ok = ();
    type Error = TapeError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), TapeError> {
        value.serialize(&mut **self)
    }
    fn end(self) -> Result<(), TapeError> {
        self.emit(END);
        Ok(())
    }
}

impl ser::SerializeTupleVariant for &mut Tape<'_> {
    type Ok = ();
    type Error = TapeError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), TapeError> {
        value.serialize(&mut **self)
    }
    fn end(self) -> Result<(), TapeError> {
        // The array, then the variant's object.
        self.emit(END);
        self.emit(END);
        Ok(())
    }
}

impl ser::SerializeMap for &mut Tape<'_> {
    type Ok = ();
    type Error = TapeError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), TapeError> {
        key.serialize(MapKey(self))
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), TapeError> {
        value.serialize(&mut **self)
    }
    fn end(self) -> Result<(), TapeError> {
        self.emit(END);
        Ok(())
    }
}

impl ser::SerializeStruct for &mut Tape<'_> {
    type Ok = ();
    type Error = TapeError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), TapeError> {
        self.key(key)?;
        value.serialize(&mut **self)
    }
    fn end(self) -> Result<(), TapeError> {
        self.emit(END);
        Ok(())
    }
}

impl ser::SerializeStructVariant for &mut Tape<'_> {
    type Ok = ();
    type Error = TapeError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), TapeError> {
        self.key(key)?;
        value.serialize(&mut **self)
    }
    fn end(self) -> Result<(), TapeError> {
        self.emit(END);
        self.emit(END);
        Ok(())
    }
}

/// A map key: a string, or a number or bool written as one (serde_json's
/// rule: object keys are strings).
struct MapKey<'a, 's>(&'a mut Tape<'s>);

impl MapKey<'_, '_> {
    fn text(self, s: &str) -> Result<(), TapeError> {
        self.0.string(s)
    }
    fn refuse(what: &str) -> Result<(), TapeError> {
        Err(TapeError(format!("a map key must be a string, not {what}")))
    }
}

impl ser::Serializer for MapKey<'_, '_> {
    type Ok = ();
    type Error = TapeError;
    type SerializeSeq = ser::Impossible<(), TapeError>;
    type SerializeTuple = ser::Impossible<(), TapeError>;
    type SerializeTupleStruct = ser::Impossible<(), TapeError>;
    type SerializeTupleVariant = ser::Impossible<(), TapeError>;
    type SerializeMap = ser::Impossible<(), TapeError>;
    type SerializeStruct = ser::Impossible<(), TapeError>;
    type SerializeStructVariant = ser::Impossible<(), TapeError>;

    fn serialize_str(self, v: &str) -> Result<(), TapeError> {
        self.text(v)
    }
    fn serialize_char(self, v: char) -> Result<(), TapeError> {
        self.text(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_bool(self, v: bool) -> Result<(), TapeError> {
        self.text(if v { "true" } else { "false" })
    }
    fn serialize_i8(self, v: i8) -> Result<(), TapeError> {
        self.text(&v.to_string())
    }
    fn serialize_i16(self, v: i16) -> Result<(), TapeError> {
        self.text(&v.to_string())
    }
    fn serialize_i32(self, v: i32) -> Result<(), TapeError> {
        self.text(&v.to_string())
    }
    fn serialize_i64(self, v: i64) -> Result<(), TapeError> {
        self.text(&v.to_string())
    }
    fn serialize_u8(self, v: u8) -> Result<(), TapeError> {
        self.text(&v.to_string())
    }
    fn serialize_u16(self, v: u16) -> Result<(), TapeError> {
        self.text(&v.to_string())
    }
    fn serialize_u32(self, v: u32) -> Result<(), TapeError> {
        self.text(&v.to_string())
    }
    fn serialize_u64(self, v: u64) -> Result<(), TapeError> {
        self.text(&v.to_string())
    }
    fn serialize_f32(self, _: f32) -> Result<(), TapeError> {
        Self::refuse("a float")
    }
    fn serialize_f64(self, _: f64) -> Result<(), TapeError> {
        Self::refuse("a float")
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), TapeError> {
        Self::refuse("bytes")
    }
    fn serialize_none(self) -> Result<(), TapeError> {
        Self::refuse("null")
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), TapeError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), TapeError> {
        Self::refuse("null")
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), TapeError> {
        Self::refuse("null")
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), TapeError> {
        self.text(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), TapeError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), TapeError> {
        Self::refuse("an enum")
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, TapeError> {
        Err(TapeError("a map key must be a string, not a list".into()))
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, TapeError> {
        Err(TapeError("a map key must be a string, not a list".into()))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, TapeError> {
        Err(TapeError("a map key must be a string, not a list".into()))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, TapeError> {
        Err(TapeError("a map key must be a string, not an enum".into()))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, TapeError> {
        Err(TapeError("a map key must be a string, not a map".into()))
    }
    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, TapeError> {
        Err(TapeError("a map key must be a string, not a struct".into()))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, TapeError> {
        Err(TapeError("a map key must be a string, not an enum".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;
    use serde_json::{json, Map, Value};
    use std::collections::BTreeMap;

    /// A tape's pieces joined: the decoder reads them as one.
    struct Joined {
        words: Vec<u32>,
        text: String,
        pieces: usize,
    }

    fn write_joined<T: Serialize + ?Sized>(
        value: &T,
        words_per_flush: usize,
        text_per_flush: usize,
    ) -> Result<Joined, TapeError> {
        let mut joined = Joined {
            words: Vec::new(),
            text: String::new(),
            pieces: 0,
        };
        Tape::write_in_pieces(
            value,
            words_per_flush,
            text_per_flush,
            &mut |w: &[u32], t: &str| {
                joined.words.extend_from_slice(w);
                joined.text.push_str(t);
                joined.pieces += 1;
            },
        )?;
        Ok(joined)
    }

    fn write(value: &(impl Serialize + ?Sized)) -> Result<Joined, TapeError> {
        write_joined(value, WORDS_PER_FLUSH, TEXT_PER_FLUSH)
    }

    /// Reads a tape back the way `src/tape.js` does: strings sliced from the
    /// text in UTF-16 code units.
    fn read(tape: &Joined) -> Value {
        struct Reader<'a> {
            words: &'a [u32],
            text: Vec<u16>,
            at: usize,
            cursor: usize,
            keys: Vec<String>,
        }
        impl Reader<'_> {
            fn next(&mut self) -> u32 {
                self.at += 1;
                self.words[self.at - 1]
            }
            fn string(&mut self, len: u32) -> String {
                let end = self.cursor + len as usize;
                let s = String::from_utf16(&self.text[self.cursor..end]).expect("whole characters");
                self.cursor = end;
                s
            }
            fn key(&mut self, word: u32) -> String {
                match word & 7 {
                    KEY => self.keys[(word >> 3) as usize].clone(),
                    NEW_KEY => {
                        let k = self.string(word >> 3);
                        self.keys.push(k.clone());
                        k
                    }
                    STRING => self.string(word >> 3),
                    other => panic!("not a key: tag {other}"),
                }
            }
            fn value(&mut self, word: u32) -> Value {
                match word & 7 {
                    OBJECT => {
                        let mut object = Map::new();
                        loop {
                            let w = self.next();
                            if w == END {
                                return Value::Object(object);
                            }
                            let k = self.key(w);
                            let v = self.next();
                            object.insert(k, self.value(v));
                        }
                    }
                    ARRAY => {
                        let mut array = Vec::new();
                        loop {
                            let w = self.next();
                            if w == END {
                                return Value::Array(array);
                            }
                            array.push(self.value(w));
                        }
                    }
                    STRING => Value::String(self.string(word >> 3)),
                    INT => json!(word >> 3),
                    CONST => match word >> 3 {
                        0 => Value::Null,
                        1 => Value::Bool(true),
                        2 => Value::Bool(false),
                        3 => {
                            let lo = u64::from(self.next());
                            let hi = u64::from(self.next());
                            json!(f64::from_bits(hi << 32 | lo))
                        }
                        other => panic!("bad constant {other}"),
                    },
                    other => panic!("bad tag {other}"),
                }
            }
        }
        let mut r = Reader {
            words: &tape.words,
            text: tape.text.encode_utf16().collect(),
            at: 0,
            cursor: 0,
            keys: Vec::new(),
        };
        let first = r.next();
        let v = r.value(first);
        assert_eq!(r.at, tape.words.len(), "every word read");
        assert_eq!(r.cursor, r.text.len(), "all the text read");
        v
    }

    /// The tape of `value` reads back as serde_json's value of it, number
    /// for number (serde_json keeps integers as integers; JavaScript has
    /// one number type, so compare as f64).
    fn round_trip<T: Serialize>(value: &T) -> Value {
        let expected = serde_json::to_value(value).expect("serde_json writes");
        let back = read(&write(value).expect("writes"));
        assert!(same(&back, &expected), "{back} != {expected}");
        // In pieces of at most one word and one byte of text (more when a
        // value needs it): every place a piece can end.
        let pieces = write_joined(value, 1, 1).expect("writes");
        assert!(same(&read(&pieces), &expected));
        back
    }

    fn same(a: &Value, b: &Value) -> bool {
        match (a, b) {
            (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
            (Value::Array(x), Value::Array(y)) => {
                x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
            }
            (Value::Object(x), Value::Object(y)) => {
                x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
            }
            _ => a == b,
        }
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Finding {
        rule_id: &'static str,
        message: String,
        line: u32,
        #[serde(skip_serializing_if = "Option::is_none")]
        help: Option<String>,
        note: Option<String>,
        kind: Kind,
        tags: Vec<Kind>,
    }

    #[derive(Serialize)]
    enum Kind {
        Unit,
        Newtype(i64),
        Tuple(u8, String),
        Struct { a: bool, b: Option<f64> },
    }

    #[derive(Serialize)]
    #[serde(tag = "type", rename_all = "kebab-case")]
    enum Tagged {
        AddColumn { table: String },
        Other,
    }

    #[derive(Serialize)]
    struct Wrapper(String);

    #[derive(Serialize)]
    struct Flat {
        id: u32,
        #[serde(flatten)]
        extra: BTreeMap<String, u32>,
    }

    #[test]
    fn values_read_back_as_serde_json_prints_them() {
        let findings: Vec<Finding> = (0..3)
            .map(|i| Finding {
                rule_id: "drop-column",
                message: format!("finding {i}"),
                line: i,
                help: (i % 2 == 0).then(|| "help".to_string()),
                note: None,
                kind: match i {
                    0 => Kind::Unit,
                    1 => Kind::Newtype(-5),
                    _ => Kind::Struct {
                        a: true,
                        b: Some(0.5),
                    },
                },
                tags: vec![
                    Kind::Tuple(7, "t".into()),
                    Kind::Struct { a: false, b: None },
                ],
            })
            .collect();
        round_trip(&findings);
        round_trip(&vec![
            Tagged::AddColumn {
                table: "users".into(),
            },
            Tagged::Other,
        ]);
        round_trip(&Wrapper("newtype".into()));
        round_trip(&Flat {
            id: 1,
            extra: [("b".to_string(), 2), ("a".to_string(), 1)].into(),
        });
        round_trip(&());
        round_trip(&json!({"nested": {"deep": [[], {}, [null, true, false]]}}));
        round_trip(&Vec::<u32>::new());
        round_trip(&"");
        round_trip(&'x');
    }

    #[test]
    fn numbers_small_large_negative_and_fractional() {
        let ints: Vec<i64> = vec![
            0,
            1,
            (1 << 29) - 1,
            1 << 29,
            -1,
            i64::from(i32::MIN),
            1 << 53,
        ];
        round_trip(&ints);
        round_trip(&vec![u64::MAX, u64::from(u32::MAX)]);
        round_trip(&vec![0.1f64, -2.5, 1e300, f64::MIN_POSITIVE]);
        round_trip(&vec![1.5f32]);
        // serde_json prints non-finite floats as null.
        let back = round_trip(&vec![f64::NAN, f64::INFINITY, f64::NEG_INFINITY]);
        assert_eq!(back, json!([null, null, null]));
    }

    #[test]
    fn map_keys_are_strings() {
        let by_number: BTreeMap<u32, &str> = [(1, "a"), (20, "b")].into();
        assert_eq!(round_trip(&by_number), json!({"1": "a", "20": "b"}));
        let by_bool: BTreeMap<bool, u8> = [(true, 1)].into();
        assert_eq!(round_trip(&by_bool), json!({"true": 1}));
        let by_list: BTreeMap<Vec<u8>, u8> = [(vec![1], 1)].into();
        assert!(write(&by_list).is_err());
    }

    #[test]
    fn lengths_count_utf16_code_units_when_the_text_is_not_ascii() {
        #[derive(Serialize)]
        struct Names {
            täble: &'static str,
            column: String,
            more: Vec<String>,
            n: f64,
        }
        // é is two bytes and one code unit; 🦀 four bytes and two units; the
        // float's words must not be taken for a string's.
        let value = Names {
            täble: "café",
            column: "🦀 crab".into(),
            more: vec!["naïve".into(), "plain".into(), String::new(), "日本".into()],
            n: f64::from_bits(0x0000_0003_0000_0003),
        };
        let tape = write(&value).expect("writes");
        // The last three words are the float and the object's end.
        let lengths: Vec<u32> = tape.words[..tape.words.len() - 3]
            .iter()
            .filter(|w| matches!(*w & 7, STRING | NEW_KEY))
            .map(|w| w >> 3)
            .collect();
        // Keys and strings in order: täble café column "🦀 crab" more naïve plain "" 日本 n
        assert_eq!(lengths, [5, 4, 6, 7, 4, 5, 5, 0, 2, 1]);
        round_trip(&value);
        // Measured piece by piece when the pieces are small.
        let pieces = write_joined(&value, 2, 4).expect("writes");
        assert!(pieces.pieces > 3);
        let lengths_in_pieces: Vec<u32> = pieces.words[..pieces.words.len() - 3]
            .iter()
            .filter(|w| matches!(*w & 7, STRING | NEW_KEY))
            .map(|w| w >> 3)
            .collect();
        assert_eq!(lengths_in_pieces, lengths);
    }

    #[test]
    fn large_values_are_handed_over_in_pieces() {
        let rows: Vec<(String, f64, Option<u32>)> = (0..100_000)
            .map(|i| {
                (
                    format!("row {i} ü"),
                    f64::from(i) / 3.0,
                    (i % 3 == 0).then_some(i),
                )
            })
            .collect();
        let tape = write(&rows).expect("writes");
        assert!(tape.pieces > 5, "{} pieces", tape.pieces);
        let expected = serde_json::to_value(&rows).expect("serde_json writes");
        assert!(same(&read(&tape), &expected));
    }

    #[test]
    fn field_names_are_numbered_once() {
        #[derive(Serialize)]
        struct Point {
            x: u8,
            y: u8,
        }
        let points: Vec<Point> = (0..10).map(|i| Point { x: i, y: i }).collect();
        let tape = write(&points).expect("writes");
        assert_eq!(tape.words.iter().filter(|w| *w & 7 == NEW_KEY).count(), 2);
        assert_eq!(tape.text, "xy");
        round_trip(&points);
    }

    #[test]
    fn many_distinct_field_names_grow_the_table() {
        // 40 distinct &'static str keys, the table starts with 64 slots and
        // grows at half full.
        const NAMES: [&str; 40] = [
            "k00", "k01", "k02", "k03", "k04", "k05", "k06", "k07", "k08", "k09", "k10", "k11",
            "k12", "k13", "k14", "k15", "k16", "k17", "k18", "k19", "k20", "k21", "k22", "k23",
            "k24", "k25", "k26", "k27", "k28", "k29", "k30", "k31", "k32", "k33", "k34", "k35",
            "k36", "k37", "k38", "k39",
        ];
        struct Wide;
        impl Serialize for Wide {
            fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use ser::SerializeStruct;
                let mut st = s.serialize_struct("Wide", NAMES.len())?;
                for (i, name) in NAMES.iter().enumerate() {
                    st.serialize_field(name, &i)?;
                }
                st.end()
            }
        }
        let tape = write(&vec![Wide, Wide, Wide]).expect("writes");
        assert_eq!(tape.words.iter().filter(|w| *w & 7 == NEW_KEY).count(), 40);
        assert_eq!(tape.words.iter().filter(|w| *w & 7 == KEY).count(), 80);
        round_trip(&vec![Wide, Wide]);
    }
}
