//! A reader for the Ruby of migrations: class and method definitions,
//! method calls with or without parentheses, their literal arguments
//! (symbols, strings, numbers, arrays, hashes, keyword arguments), blocks
//! (`do ... end`, `{ ... }`), assignments, and conditionals whose bodies are
//! read as statements. Everything else is kept as an opaque expression.
//!
//! Total on any input: the cursor advances on every step, and nesting is
//! bounded, so it never panics or hangs.

use std::ops::Range;

use super::lexer::{Lit, Tok, Token};

/// How deep blocks and literals may nest before the rest is read as opaque.
const MAX_DEPTH: usize = 64;

/// An argument's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// `:name`.
    Sym(String),
    /// A string or heredoc.
    Str(Lit),
    /// A number, as written.
    Num(String),
    /// `true` / `false`.
    Bool(bool),
    /// `nil`.
    Nil,
    /// `[...]` or `%w[...]`.
    Array(Vec<Value>),
    /// `{ key: value }`.
    Hash(Vec<(String, Value)>),
    /// A constant (`TABLE_NAME`, `Gitlab::Foo`).
    Const(String),
    /// A local variable or a method call without arguments.
    Var(String),
    /// A method call with arguments in parentheses
    /// (`define_batchable_model('users')`).
    Call(Box<Call>),
    /// `value[:key]` (`fk[:name]`, `PRIMARY_KEY[:columns]`).
    Index(Box<Value>, String),
    /// A model of a table (set by the lowering for block parameters of
    /// `Model.each_batch do |batch|`; never read from the text).
    Model(String),
    /// Anything else.
    Other,
}

/// A method call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    /// The receiver, as written (`t` in `t.string`), if any.
    pub recv: Option<String>,
    /// A literal receiver's value (`%w[a b].each`).
    pub recv_value: Option<Value>,
    /// The call this one is chained on when that call has arguments or a
    /// block (`where(...)` in `Model.where(...).update_all(...)`).
    pub recv_call: Option<Box<Call>>,
    /// The method.
    pub name: String,
    /// Positional arguments.
    pub args: Vec<Value>,
    /// Keyword arguments.
    pub kwargs: Vec<(String, Value)>,
    /// Its block's parameters and statements.
    pub block: Option<(Vec<String>, Vec<Node>)>,
    /// The whole call, block included.
    pub span: Range<usize>,
    /// The method's name.
    pub name_span: Range<usize>,
}

impl Call {
    /// A keyword argument.
    pub fn kw(&self, key: &str) -> Option<&Value> {
        self.kwargs.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
}

/// A statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// A method call.
    Call(Call),
    /// `def name ... end`.
    Def {
        /// The method's name.
        name: String,
        /// Its statements.
        body: Vec<Node>,
        /// The definition.
        span: Range<usize>,
    },
    /// `class` or `module`.
    Class {
        /// Its name.
        name: String,
        /// What it inherits from, as written.
        parent: String,
        /// Its statements.
        body: Vec<Node>,
        /// The definition.
        span: Range<usize>,
    },
    /// `name = value` (a local variable or constant).
    Assign {
        /// The name assigned.
        name: String,
        /// The value.
        value: Value,
        /// The statement.
        span: Range<usize>,
    },
    /// `if`/`unless`/`case`/`while`/`begin ... end`: its statements.
    Cond {
        /// The keyword.
        keyword: String,
        /// The statements of all branches.
        body: Vec<Node>,
        /// The whole construct.
        span: Range<usize>,
    },
    /// An expression that is not a call (`return`, `next`, an operator).
    Other {
        /// Its first word or symbol.
        word: String,
        /// The statement.
        span: Range<usize>,
    },
}

/// Reads a file's tokens into statements.
pub fn parse(tokens: &[Token]) -> Vec<Node> {
    let mut p = Parser {
        t: tokens,
        i: 0,
        depth: 0,
    };
    let mut out = Vec::new();
    while p.i < p.t.len() {
        let before = p.i;
        out.extend(p.body(&[]));
        if p.i == before {
            p.i += 1;
        } else if p.peek_word("end") || p.peek(&Tok::Punct("}")) {
            // A stray closer at the top: skip it.
            p.i += 1;
        }
    }
    out
}

struct Parser<'a> {
    t: &'a [Token],
    i: usize,
    depth: usize,
}

const BRANCH: &[&str] = &[
    "else",
    "elsif",
    "when",
    "rescue",
    "ensure",
    "then",
    "in",
    "private",
    "protected",
    "public",
];

impl Parser<'_> {
    fn tok(&self) -> Option<&Tok> {
        self.t.get(self.i).map(|t| &t.tok)
    }
    fn peek(&self, t: &Tok) -> bool {
        self.tok() == Some(t)
    }
    fn peek_word(&self, w: &str) -> bool {
        matches!(self.tok(), Some(Tok::Ident(x)) if x == w)
    }
    fn start(&self) -> usize {
        self.t
            .get(self.i)
            .or_else(|| self.t.last())
            .map_or(0, |t| t.span.start)
    }
    fn prev_end(&self) -> usize {
        self.i
            .checked_sub(1)
            .and_then(|k| self.t.get(k))
            .map_or(0, |t| t.span.end)
    }
    fn skip_newlines(&mut self) {
        while self.peek(&Tok::Newline) {
            self.i += 1;
        }
    }

    /// Statements up to `end` or `}` (not consumed), or the end of tokens.
    /// `closers` adds words that also end it.
    fn body(&mut self, closers: &[&str]) -> Vec<Node> {
        let mut out = Vec::new();
        loop {
            self.skip_newlines();
            match self.tok() {
                None | Some(Tok::Punct("}" | ")" | "]")) => return out,
                Some(Tok::Ident(w)) if w == "end" || closers.contains(&w.as_str()) => return out,
                Some(Tok::Ident(w)) if BRANCH.contains(&w.as_str()) => {
                    // A branch of the enclosing construct: its condition or
                    // exception list is skipped, its statements read on.
                    self.i += 1;
                    self.skip_line();
                }
                _ => {
                    let before = self.i;
                    if let Some(n) = self.statement() {
                        out.push(n);
                    }
                    if self.i == before {
                        self.i += 1;
                    }
                }
            }
        }
    }

    /// Consumes an `end`, if there.
    fn close_end(&mut self) {
        if self.peek_word("end") {
            self.i += 1;
        }
    }

    /// Skips to the end of the line, reading blocks opened on it.
    fn skip_line(&mut self) -> Vec<Node> {
        let mut nested = Vec::new();
        let mut d = 0usize;
        while let Some(t) = self.tok() {
            match t {
                Tok::Newline if d == 0 => break,
                Tok::Punct("(" | "[" | "{") => d += 1,
                Tok::Punct(")" | "]" | "}") => {
                    if d == 0 {
                        break;
                    }
                    d -= 1;
                }
                Tok::Ident(w) if w == "end" => break,
                Tok::Ident(w) if w == "do" => {
                    self.i += 1;
                    nested.extend(self.block_body());
                    continue;
                }
                _ => {}
            }
            self.i += 1;
        }
        nested
    }

    /// After `do` or `{`: block parameters and statements, and the closer.
    fn block_body(&mut self) -> Vec<Node> {
        if self.depth > MAX_DEPTH {
            self.skip_balanced();
            return Vec::new();
        }
        self.depth += 1;
        self.skip_params();
        let body = self.body(&[]);
        if self.peek(&Tok::Punct("}")) {
            self.i += 1;
        } else {
            self.close_end();
        }
        self.depth -= 1;
        body
    }

    /// Skips to the matching `end`/`}` when nesting is too deep.
    fn skip_balanced(&mut self) {
        let mut d = 1usize;
        while let Some(t) = self.tok() {
            match t {
                Tok::Ident(w) if w == "do" || w == "def" || w == "class" => d += 1,
                Tok::Punct("{") => d += 1,
                Tok::Ident(w) if w == "end" => d -= 1,
                Tok::Punct("}") => d -= 1,
                _ => {}
            }
            self.i += 1;
            if d == 0 {
                return;
            }
        }
    }

    /// `|a, b|` after a block's opener.
    fn skip_params(&mut self) -> Vec<String> {
        let mut names = Vec::new();
        if self.peek(&Tok::Punct("|")) {
            self.i += 1;
            while let Some(t) = self.tok().cloned() {
                self.i += 1;
                match t {
                    Tok::Punct("|") | Tok::Newline => break,
                    Tok::Ident(n) => names.push(n),
                    _ => {}
                }
            }
        } else if self.peek(&Tok::Punct("||")) {
            self.i += 1;
        }
        names
    }

    fn statement(&mut self) -> Option<Node> {
        let start = self.start();
        let tok = self.tok()?.clone();
        match &tok {
            Tok::Ident(w) if w == "def" => {
                self.i += 1;
                let mut name = String::new();
                // `def self.up`: the last name before the parameters.
                while let Some(t) = self.tok() {
                    match t {
                        Tok::Ident(n) | Tok::Const(n) => name.clone_from(n),
                        Tok::Punct(".") => {}
                        _ => break,
                    }
                    self.i += 1;
                }
                self.skip_line();
                let body = self.nested(&[]);
                self.close_end();
                Some(Node::Def {
                    name,
                    body,
                    span: start..self.prev_end(),
                })
            }
            Tok::Ident(w) if w == "class" || w == "module" => {
                self.i += 1;
                let mut name = String::new();
                while let Some(Tok::Const(_) | Tok::Punct("::")) = self.tok() {
                    if let Some(Tok::Const(n)) = self.tok() {
                        name.clone_from(n);
                    }
                    self.i += 1;
                }
                let p0 = self.start();
                self.skip_line();
                // `class Name <` with the parent on the next line.
                if self.i > 0
                    && self.t.get(self.i - 1).map(|t| &t.tok) == Some(&Tok::Punct("<"))
                    && self.peek(&Tok::Newline)
                {
                    self.skip_newlines();
                    self.skip_line();
                }
                let parent = self
                    .t
                    .get(self.i.saturating_sub(1))
                    .map_or(String::new(), |_| String::new())
                    + &self.text_between(p0);
                let body = self.nested(&[]);
                self.close_end();
                Some(Node::Class {
                    name,
                    parent,
                    body,
                    span: start..self.prev_end(),
                })
            }
            Tok::Ident(w)
                if matches!(
                    w.as_str(),
                    "if" | "unless" | "while" | "until" | "case" | "begin" | "for"
                ) =>
            {
                self.i += 1;
                let mut body = self.skip_line();
                body.extend(self.nested(&[]));
                self.close_end();
                Some(Node::Cond {
                    keyword: w.clone(),
                    body,
                    span: start..self.prev_end(),
                })
            }
            Tok::Ident(w) | Tok::Const(w)
                if self.t.get(self.i + 1).map(|t| &t.tok) == Some(&Tok::Punct("="))
                    || self.t.get(self.i + 1).map(|t| &t.tok) == Some(&Tok::Punct("||=")) =>
            {
                let name = w.clone();
                self.i += 2;
                self.skip_newlines();
                let value = self.value();
                let nested = self.skip_line();
                let _ = nested;
                Some(Node::Assign {
                    name,
                    value,
                    span: start..self.prev_end(),
                })
            }
            Tok::Ident(_) if self.multiple_assignment() => {
                // `a, b = ...`: plain Ruby, its values not read.
                let _ = self.skip_line();
                Some(Node::Other {
                    word: "=".into(),
                    span: start..self.prev_end(),
                })
            }
            Tok::Ident(w) if !matches!(w.as_str(), "return" | "next" | "break" | "raise") => {
                self.call(None).map(Node::Call)
            }
            Tok::Const(_) => self.call(None).map(Node::Call),
            Tok::Punct("::")
                if matches!(self.t.get(self.i + 1).map(|t| &t.tok), Some(Tok::Const(_))) =>
            {
                self.i += 1;
                self.call(None).map(Node::Call)
            }
            Tok::Punct("(" | "[" | "{")
            | Tok::Words(_)
            | Tok::Str(_)
            | Tok::Symbol(_)
            | Tok::Num(_)
                if self.depth <= MAX_DEPTH =>
            {
                // A literal first: `%w[a b].each do |x|`, `{ a: 1 }.each`,
                // `(a, b) = ...` (plain Ruby).
                self.depth += 1;
                let value = self.value();
                self.depth -= 1;
                let chained = matches!(self.tok(), Some(Tok::Punct("." | "&.")))
                    && matches!(
                        self.t.get(self.i + 1).map(|t| &t.tok),
                        Some(Tok::Ident(_) | Tok::Const(_))
                    );
                if chained && self.i > 0 {
                    self.i += 1;
                    let mut c = self.call(Some(value))?;
                    c.span = start..c.span.end;
                    return Some(Node::Call(c));
                }
                let _ = self.skip_line();
                Some(Node::Other {
                    word: String::new(),
                    span: start..self.prev_end(),
                })
            }
            _ => {
                let word = match &tok {
                    Tok::Ident(w) | Tok::Const(w) => w.clone(),
                    _ => String::new(),
                };
                self.i += 1;
                let _ = self.skip_line();
                Some(Node::Other {
                    word,
                    span: start..self.prev_end(),
                })
            }
        }
    }

    /// `a, b = ...` or `a, *b = ...` from here: names and commas, then `=`.
    fn multiple_assignment(&self) -> bool {
        let mut k = self.i;
        let mut names = 0;
        while let Some(t) = self.t.get(k) {
            match &t.tok {
                Tok::Ident(_) => names += 1,
                Tok::Punct("," | "*") => {}
                Tok::Punct("=") => return names > 1,
                _ => return false,
            }
            k += 1;
        }
        false
    }

    /// Statements of a nested body, depth-bounded.
    fn nested(&mut self, closers: &[&str]) -> Vec<Node> {
        if self.depth > MAX_DEPTH {
            self.skip_balanced();
            self.i = self.i.saturating_sub(1);
            return Vec::new();
        }
        self.depth += 1;
        let b = self.body(closers);
        self.depth -= 1;
        b
    }

    /// The source-free text of tokens from `from` to here (for a parent name).
    fn text_between(&self, from: usize) -> String {
        self.t
            .iter()
            .filter(|t| t.span.start >= from && t.span.end <= self.prev_end())
            .filter_map(|t| match &t.tok {
                Tok::Const(c) => Some(c.clone()),
                Tok::Punct("::") => Some("::".into()),
                _ => None,
            })
            .collect()
    }

    /// A call statement: `recv.name args [block]`, with trailing chains and
    /// modifiers skipped.
    fn call(&mut self, literal: Option<Value>) -> Option<Call> {
        let start = self.start();
        let (mut recv, recv_value) = match literal {
            Some(v) => (Some(literal_text(&v)), Some(v)),
            None => (None, None),
        };
        let mut name_tok = self.t.get(self.i)?.clone();
        self.i += 1;
        // A receiver chain: a.b.c, A::B.c
        while matches!(self.tok(), Some(Tok::Punct("." | "&." | "::")))
            // `include ::Gitlab::Foo`: a spaced `::` starts an argument.
            && self.t.get(self.i).is_some_and(|t| {
                t.tok != Tok::Punct("::") || t.span.start == name_tok.span.end
            })
            && matches!(
                self.t.get(self.i + 1).map(|t| &t.tok),
                Some(Tok::Ident(_) | Tok::Const(_) | Tok::Label(_))
            )
        {
            let prev = tok_text(&name_tok.tok);
            recv = Some(match recv {
                Some(r) => format!("{r}.{prev}"),
                None => prev,
            });
            self.i += 1;
            name_tok = self.t.get(self.i)?.clone();
            self.i += 1;
        }
        let name = tok_text(&name_tok.tok);
        let mut call = Call {
            recv,
            recv_value,
            recv_call: None,
            name,
            args: Vec::new(),
            kwargs: Vec::new(),
            block: None,
            span: start..name_tok.span.end,
            name_span: name_tok.span.clone(),
        };
        // A label right after the name (`foo key: 1`) is the first argument.
        if let Tok::Label(l) = &name_tok.tok {
            call.name.clone_from(l);
        }
        if call.recv.is_some() && self.peek(&Tok::Punct("=")) {
            // `self.table_name = 'x'`: the writer `table_name=`.
            self.i += 1;
            self.skip_newlines();
            call.name.push('=');
            let v = self.value();
            call.args.push(v);
        }
        let adjacent = self
            .t
            .get(self.i)
            .is_some_and(|t| t.span.start == name_tok.span.end);
        if adjacent && self.peek(&Tok::Punct("(")) {
            self.i += 1;
            self.args(&mut call, true);
            if self.peek(&Tok::Punct(")")) {
                self.i += 1;
            }
        } else if self.starts_arg() {
            self.args(&mut call, false);
        }
        self.block(&mut call);
        // `a.b(1).c ...`: the chain goes on, `c` is the call, on `a.b(1)`.
        if self.depth <= MAX_DEPTH
            && matches!(self.tok(), Some(Tok::Punct("." | "&.")))
            && matches!(
                self.t.get(self.i + 1).map(|t| &t.tok),
                Some(Tok::Ident(_) | Tok::Const(_) | Tok::Label(_))
            )
        {
            self.i += 1;
            call.span = start..self.prev_end();
            let recv = format!("{}.{}", call.recv.clone().unwrap_or_default(), call.name);
            let recv = recv.trim_start_matches('.').to_string();
            self.depth += 1;
            let next = self.call(None);
            self.depth -= 1;
            let mut next = next?;
            next.recv = Some(match next.recv.take() {
                Some(r) => format!("{recv}.{r}"),
                None => recv,
            });
            // The chain's first link keeps what this call received.
            let mut inner = &mut next;
            while inner.recv_call.is_some() {
                inner = inner.recv_call.as_deref_mut()?;
            }
            inner.recv_call = Some(Box::new(call));
            next.span = start..next.span.end;
            return Some(next);
        }
        // Chained calls and modifiers: read past, keeping nested blocks.
        let rest = self.skip_line();
        if let Some((_, b)) = &mut call.block {
            b.extend(rest);
        } else if !rest.is_empty() {
            call.block = Some((Vec::new(), rest));
        }
        call.span = start..self.prev_end().max(call.span.end);
        Some(call)
    }

    fn block(&mut self, call: &mut Call) {
        if self.peek_word("do") || self.peek(&Tok::Punct("{")) {
            self.i += 1;
            let params = if self.peek(&Tok::Punct("|")) {
                let p = self.skip_params();
                self.i = self.i.saturating_sub(0);
                p
            } else {
                Vec::new()
            };
            let body = self.block_body();
            call.block = Some((params, body));
        }
    }

    /// Whether the next token can start a command argument (no parentheses).
    fn starts_arg(&self) -> bool {
        match self.tok() {
            Some(
                Tok::Symbol(_)
                | Tok::Str(_)
                | Tok::Num(_)
                | Tok::Words(_)
                | Tok::Label(_)
                | Tok::Const(_),
            ) => true,
            Some(Tok::Ident(w)) => !matches!(
                w.as_str(),
                "do" | "if"
                    | "unless"
                    | "while"
                    | "until"
                    | "and"
                    | "or"
                    | "end"
                    | "then"
                    | "rescue"
            ),
            Some(Tok::Punct("[" | "(" | "->" | "-" | "!" | "*" | "**" | "&" | "::")) => true,
            _ => false,
        }
    }

    /// Arguments up to `)` (in parentheses) or the end of the line.
    fn args(&mut self, call: &mut Call, parens: bool) {
        loop {
            if parens {
                self.skip_newlines();
            }
            match self.tok() {
                None | Some(Tok::Newline) => return,
                Some(Tok::Punct(")")) if parens => return,
                Some(Tok::Ident(w)) if !parens && (w == "do" || w == "if" || w == "unless") => {
                    return
                }
                Some(Tok::Punct("{")) if !parens => return,
                _ => {}
            }
            let before = self.i;
            if let Some(Tok::Label(k)) = self.tok() {
                let k = k.clone();
                self.i += 1;
                self.skip_newlines();
                let v = self.value();
                call.kwargs.push((k, v));
            } else {
                let v = self.value();
                if self.peek(&Tok::Punct("=>")) {
                    self.i += 1;
                    self.skip_newlines();
                    let val = self.value();
                    let key = match v {
                        Value::Sym(s) => s,
                        Value::Str(l) => l.value,
                        _ => String::new(),
                    };
                    call.kwargs.push((key, val));
                } else {
                    call.args.push(v);
                }
            }
            self.rest_of_value(parens);
            if self.peek(&Tok::Punct(",")) {
                self.i += 1;
                self.skip_newlines();
            } else if self.i == before {
                self.i += 1;
            } else if !parens {
                return;
            }
        }
    }

    /// After a value: operators and chains up to `,`, `)` or the line end.
    fn rest_of_value(&mut self, parens: bool) {
        let mut d = 0usize;
        while let Some(t) = self.tok() {
            match t {
                Tok::Newline if d == 0 => return,
                Tok::Punct(",") if d == 0 => return,
                Tok::Punct(")" | "]" | "}") if d == 0 => return,
                Tok::Punct("(" | "[") => d += 1,
                Tok::Punct("{") if d > 0 || parens => d += 1,
                Tok::Punct("{") => return,
                Tok::Punct(")" | "]" | "}") => d -= 1,
                Tok::Ident(w) if w == "end" => return,
                Tok::Ident(w) if w == "do" && d == 0 && !parens => return,
                Tok::Ident(w) if w == "do" => {
                    self.i += 1;
                    let _ = self.block_body();
                    continue;
                }
                _ => {}
            }
            self.i += 1;
        }
    }

    /// One value.
    fn value(&mut self) -> Value {
        if self.depth > MAX_DEPTH {
            return Value::Other;
        }
        let Some(tok) = self.tok().cloned() else {
            return Value::Nil;
        };
        let v = match tok {
            Tok::Symbol(s) => Value::Sym(s),
            Tok::Str(l) => {
                self.i += 1;
                // Adjacent literals concatenate ('a' 'b', "a" \ "b").
                let mut l = l;
                while let Some(Tok::Str(m)) = self.tok() {
                    l.value.push_str(&m.value);
                    l.interpolated |= m.interpolated;
                    l.body = l.body.start..m.body.end;
                    self.i += 1;
                }
                return Value::Str(l);
            }
            Tok::Num(n) => Value::Num(n),
            Tok::Words(w) => Value::Array(w.into_iter().map(Value::Sym).collect()),
            Tok::Ident(w) if w == "true" => Value::Bool(true),
            Tok::Ident(w) if w == "false" => Value::Bool(false),
            Tok::Ident(w) if w == "nil" => Value::Nil,
            Tok::Ident(w) => {
                let name_span = self.t.get(self.i).map_or(0..0, |t| t.span.clone());
                self.i += 1;
                if self.peek(&Tok::Punct("(")) {
                    self.i += 1;
                    let mut call = Call {
                        recv: None,
                        recv_value: None,
                        recv_call: None,
                        name: w,
                        args: Vec::new(),
                        kwargs: Vec::new(),
                        block: None,
                        span: name_span.clone(),
                        name_span,
                    };
                    self.depth += 1;
                    self.args(&mut call, true);
                    self.depth -= 1;
                    if self.peek(&Tok::Punct(")")) {
                        self.i += 1;
                    }
                    call.span = call.span.start..self.prev_end();
                    return Value::Call(Box::new(call));
                }
                if matches!(self.tok(), Some(Tok::Punct("." | "&."))) {
                    // `batch.where(...)...`: the first call of the chain,
                    // its arguments not read (the rest is skipped by the
                    // caller).
                    if let Some(Tok::Ident(m)) = self.t.get(self.i + 1).map(|t| t.tok.clone()) {
                        let name_span = self.t.get(self.i + 1).map_or(0..0, |t| t.span.clone());
                        self.i += 2;
                        if self.peek(&Tok::Punct("(")) {
                            self.i += 1;
                            self.skip_to_close(")");
                        }
                        return Value::Call(Box::new(Call {
                            recv: Some(w),
                            recv_value: None,
                            recv_call: None,
                            name: m,
                            args: Vec::new(),
                            kwargs: Vec::new(),
                            block: None,
                            span: name_span.start..self.prev_end(),
                            name_span,
                        }));
                    }
                    return Value::Other;
                }
                return self.index(Value::Var(w));
            }
            Tok::Const(c) => {
                self.i += 1;
                let mut name = c;
                while self.peek(&Tok::Punct("::")) {
                    if let Some(Tok::Const(n)) = self.t.get(self.i + 1).map(|t| &t.tok) {
                        name = format!("{name}::{n}");
                        self.i += 2;
                    } else {
                        break;
                    }
                }
                return self.index(Value::Const(name));
            }
            Tok::Punct("[") => {
                self.i += 1;
                self.depth += 1;
                let mut items = Vec::new();
                loop {
                    self.skip_newlines();
                    if self.tok().is_none() || self.peek(&Tok::Punct("]")) {
                        break;
                    }
                    let before = self.i;
                    items.push(self.value());
                    self.rest_of_value(true);
                    if self.peek(&Tok::Punct(",")) {
                        self.i += 1;
                    } else if self.i == before || !self.peek(&Tok::Punct("]")) {
                        if self.peek(&Tok::Newline) {
                            continue;
                        }
                        if self.i == before {
                            self.i += 1;
                        }
                        if !self.peek(&Tok::Punct("]"))
                            && matches!(self.tok(), Some(Tok::Punct(")" | "}")) | None)
                        {
                            break;
                        }
                    }
                }
                self.depth -= 1;
                if self.peek(&Tok::Punct("]")) {
                    self.i += 1;
                }
                return Value::Array(items);
            }
            Tok::Punct("{") => {
                self.i += 1;
                self.depth += 1;
                let mut pairs = Vec::new();
                loop {
                    self.skip_newlines();
                    if self.tok().is_none() || self.peek(&Tok::Punct("}")) {
                        break;
                    }
                    let before = self.i;
                    let key = match self.tok().cloned() {
                        Some(Tok::Label(k)) => {
                            self.i += 1;
                            Some(k)
                        }
                        _ => {
                            let k = self.value();
                            self.rest_of_value(true);
                            if self.peek(&Tok::Punct("=>")) {
                                self.i += 1;
                                match k {
                                    Value::Sym(s) => Some(s),
                                    Value::Str(l) => Some(l.value),
                                    _ => Some(String::new()),
                                }
                            } else {
                                None
                            }
                        }
                    };
                    self.skip_newlines();
                    if let Some(k) = key {
                        let v = self.value();
                        pairs.push((k, v));
                    }
                    self.rest_of_value(true);
                    if self.peek(&Tok::Punct(",")) || self.i == before {
                        self.i += 1;
                    } else if matches!(self.tok(), Some(Tok::Punct(")" | "]")) | None) {
                        break;
                    }
                }
                self.depth -= 1;
                if self.peek(&Tok::Punct("}")) {
                    self.i += 1;
                }
                return Value::Hash(pairs);
            }
            Tok::Punct("::")
                if matches!(self.t.get(self.i + 1).map(|t| &t.tok), Some(Tok::Const(_))) =>
            {
                // `::Gitlab::Foo`: the top-level constant.
                self.i += 1;
                return self.value();
            }
            Tok::Punct("->") => {
                self.i += 1;
                if self.peek(&Tok::Punct("(")) {
                    self.i += 1;
                    self.skip_to_close(")");
                }
                if self.peek(&Tok::Punct("{")) {
                    self.i += 1;
                    self.skip_to_close("}");
                } else if self.peek_word("do") {
                    self.i += 1;
                    let _ = self.block_body();
                }
                return Value::Other;
            }
            Tok::Punct("(") => {
                self.i += 1;
                self.skip_to_close(")");
                return Value::Other;
            }
            Tok::Punct(_) | Tok::Newline | Tok::Label(_) => return Value::Other,
        };
        self.i += 1;
        v
    }

    /// `base[:key]` or `base['key']` right after a name: an index.
    fn index(&mut self, base: Value) -> Value {
        let adjacent = self.i > 0
            && matches!(
                (self.t.get(self.i - 1), self.t.get(self.i)),
                (Some(a), Some(b)) if a.span.end == b.span.start
            );
        if !adjacent || !self.peek(&Tok::Punct("[")) {
            return base;
        }
        let key = match self.t.get(self.i + 1).map(|t| &t.tok) {
            Some(Tok::Symbol(k)) => k.clone(),
            Some(Tok::Str(l)) if !l.interpolated => l.value.clone(),
            _ => return base,
        };
        if self.t.get(self.i + 2).map(|t| &t.tok) != Some(&Tok::Punct("]")) {
            return base;
        }
        self.i += 3;
        Value::Index(Box::new(base), key)
    }

    /// Skips past the closer matching an opener already consumed.
    fn skip_to_close(&mut self, _close: &str) {
        let mut d = 1usize;
        while let Some(t) = self.tok() {
            match t {
                Tok::Punct("(" | "[" | "{") => d += 1,
                Tok::Punct(")" | "]" | "}") => {
                    d -= 1;
                    if d == 0 {
                        self.i += 1;
                        return;
                    }
                }
                _ => {}
            }
            self.i += 1;
        }
    }
}

/// A literal receiver as text, for `recv`.
fn literal_text(v: &Value) -> String {
    match v {
        Value::Array(_) => "[]".into(),
        Value::Hash(_) => "{}".into(),
        Value::Str(_) => "''".into(),
        Value::Sym(s) => format!(":{s}"),
        Value::Num(n) => n.clone(),
        _ => "()".into(),
    }
}

/// A name token's text.
fn tok_text(t: &Tok) -> String {
    match t {
        Tok::Ident(s) | Tok::Const(s) | Tok::Label(s) | Tok::Symbol(s) | Tok::Num(s) => s.clone(),
        Tok::Punct(p) => (*p).to_string(),
        _ => String::new(),
    }
}
