//! The server's framing: `Content-Length` headers and JSON-RPC bodies, read
//! and written by hand so that nothing a client sends can end the server.
//! lsp-server's own reader thread stops at the first malformed message;
//! this reader answers it (a parse error, an invalid request) and goes on
//! with the next one.

use std::io::{Read, Write};

use lsp_server::Message;
use serde_json::Value;

/// The largest body read (1 GiB): a larger `Content-Length` is refused
/// rather than allocated.
const MAX_BODY: usize = 1 << 30;

/// What one body held.
pub enum Incoming {
    /// A JSON-RPC message.
    Message(Message),
    /// Not JSON (-32700), with the parser's reason.
    ParseError(String),
    /// JSON, but not a request, response or notification (-32600); the
    /// `id` it had, if any.
    InvalidRequest(Value, String),
}

/// Reads framed messages from a byte stream.
pub struct Reader<R> {
    inner: R,
    buf: Vec<u8>,
}

impl<R: Read> Reader<R> {
    /// A reader over `inner`.
    pub fn new(inner: R) -> Self {
        Reader {
            inner,
            buf: Vec::new(),
        }
    }

    /// Reads more bytes into the buffer: false at the end of the stream or
    /// on a read error.
    fn fill(&mut self) -> bool {
        let mut chunk = [0u8; 1 << 16];
        loop {
            match self.inner.read(&mut chunk) {
                Ok(0) => return false,
                Ok(n) => {
                    self.buf.extend_from_slice(&chunk[..n]);
                    return true;
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => return false,
            }
        }
    }

    /// The next body, or `None` at the end of the stream. Headers without a
    /// usable `Content-Length` are skipped (said on stderr).
    fn body(&mut self) -> Option<Vec<u8>> {
        loop {
            let Some(end) = find(&self.buf, b"\r\n\r\n") else {
                // No header end yet: garbage that grows without one is
                // dropped (all but what could start a header end).
                if self.buf.len() > 1 << 20 {
                    let keep = self.buf.len() - 3;
                    self.buf.drain(..keep);
                }
                if !self.fill() {
                    return None;
                }
                continue;
            };
            let body_start = end + 4;
            let length = content_length(&self.buf[..end]);
            let length = match length {
                Some(n) if n <= MAX_BODY => n,
                other => {
                    eprintln!(
                        "zerodown lsp: skipped a header {}",
                        if other.is_some() {
                            "with a Content-Length over 1 GiB"
                        } else {
                            "without a Content-Length"
                        }
                    );
                    self.buf.drain(..body_start);
                    continue;
                }
            };
            while self.buf.len() < body_start + length {
                if !self.fill() {
                    return None;
                }
            }
            let body = self.buf[body_start..body_start + length].to_vec();
            self.buf.drain(..body_start + length);
            return Some(body);
        }
    }

    /// Whether a whole message is already read and waiting: the server
    /// then handles it before publishing what changed (a burst of changes
    /// is linted once).
    pub fn has_pending(&self) -> bool {
        find(&self.buf, b"\r\n\r\n").is_some_and(|end| {
            content_length(&self.buf[..end]).is_some_and(|n| self.buf.len() >= end + 4 + n)
        })
    }

    /// The next message, or what was wrong with it; `None` at the end of
    /// the stream. A `Content-Length` too long for its body (which then
    /// swallowed the start of the next message) is read past: the bytes
    /// after the first JSON value go back to be read as the next header.
    pub fn next(&mut self) -> Option<Incoming> {
        let body = self.body()?;
        // Invalid UTF-8 (the protocol says UTF-8): read with U+FFFD, so
        // a document with stray bytes is still linted.
        let text = String::from_utf8_lossy(&body);
        let (incoming, rest) = parse(&text);
        if let Some(rest) = rest.filter(|r| !r.trim().is_empty()) {
            self.buf.splice(0..0, rest.bytes());
        }
        Some(incoming)
    }
}

/// Parses one body: the message and the text after its JSON value, if any.
fn parse(text: &str) -> (Incoming, Option<String>) {
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<Message>();
    match stream.next() {
        Some(Ok(m)) => {
            let rest = &text[stream.byte_offset()..];
            return (Incoming::Message(m), Some(rest.to_string()));
        }
        Some(Err(e)) if e.is_data() => {
            // JSON, but not a message: answered with its id when it has one.
        }
        Some(Err(e)) => return (Incoming::ParseError(e.to_string()), None),
        None => return (Incoming::ParseError("empty body".to_string()), None),
    }
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<Value>();
    match stream.next() {
        Some(Ok(v)) => {
            let rest = text[stream.byte_offset()..].to_string();
            let id = match v.get("id") {
                Some(id @ (Value::Number(_) | Value::String(_))) => id.clone(),
                _ => Value::Null,
            };
            let why = if v.get("method").is_some_and(Value::is_string) {
                "the message's fields are not a JSON-RPC request or notification"
            } else {
                "not a JSON-RPC message: no method"
            };
            (Incoming::InvalidRequest(id, why.to_string()), Some(rest))
        }
        Some(Err(e)) => (Incoming::ParseError(e.to_string()), None),
        None => (Incoming::ParseError("empty body".to_string()), None),
    }
}

/// The value of a `Content-Length` header in a header block (any case,
/// anywhere in the block, so that bytes left before it are passed over).
fn content_length(header: &[u8]) -> Option<usize> {
    let lower = header.to_ascii_lowercase();
    let at = find(&lower, b"content-length:")? + b"content-length:".len();
    let value = &header[at..];
    let end = find(value, b"\r\n").unwrap_or(value.len());
    std::str::from_utf8(&value[..end]).ok()?.trim().parse().ok()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

/// Writes one message with its header; an error means the client is gone.
pub fn write(out: &mut impl Write, body: &impl serde::Serialize) -> std::io::Result<()> {
    let json = serde_json::to_string(body).map_err(std::io::Error::other)?;
    write!(out, "Content-Length: {}\r\n\r\n", json.len())?;
    out.write_all(json.as_bytes())?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn reads_past_malformed_messages() {
        let good = r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#;
        let mut input = String::new();
        input.push_str(&frame("{not json"));
        input.push_str(&frame(r#"{"jsonrpc":"2.0","id":7}"#));
        input.push_str("garbage\r\n\r\n");
        // Too long by 5: swallows the start of the next header.
        input.push_str(&format!("Content-Length: {}\r\n\r\n{good}", good.len() + 5));
        input.push_str(&frame(good));
        // Too short: the rest of the body is skipped as garbage.
        input.push_str(&format!("Content-Length: 10\r\n\r\n{good}"));
        input.push_str(&frame(good));
        let mut r = Reader::new(input.as_bytes());
        assert!(matches!(r.next(), Some(Incoming::ParseError(_))));
        assert!(matches!(
            r.next(),
            Some(Incoming::InvalidRequest(Value::Number(_), _))
        ));
        assert!(matches!(
            r.next(),
            Some(Incoming::Message(Message::Request(_)))
        ));
        assert!(matches!(
            r.next(),
            Some(Incoming::Message(Message::Request(_)))
        ));
        assert!(matches!(r.next(), Some(Incoming::ParseError(_))));
        assert!(matches!(
            r.next(),
            Some(Incoming::Message(Message::Request(_)))
        ));
        assert!(r.next().is_none());
    }

    #[test]
    fn invalid_utf8_is_read_with_replacement_characters() {
        let body = b"{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"params\":{\"t\":\"a\xff\xfeb\"}}";
        let mut input = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        input.extend_from_slice(body);
        let mut r = Reader::new(&input[..]);
        match r.next() {
            Some(Incoming::Message(Message::Notification(n))) => {
                assert_eq!(n.params["t"], "a\u{fffd}\u{fffd}b");
            }
            _ => panic!("not read"),
        }
    }
}
