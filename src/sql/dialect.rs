//! The dialect zerodown parses with: PostgreSQL's, with a faster start for
//! the most common expressions.
//!
//! sqlparser reads every expression's first token by first trying it as a
//! data type, for PostgreSQL's typed literals (`DATE '2020-01-01'`), and only
//! when that fails as anything else. A failed try builds an error message
//! (with the token and its position formatted) and throws it away: for a
//! column name, a number or a string, which are most expressions in
//! migrations, that is most of the work. [`Postgres`] is sqlparser's
//! `PostgreSqlDialect` with one addition, the dialect's prefix hook, which
//! reads these tokens directly and gives exactly the expression sqlparser
//! gives after its failed try:
//!
//! - a number or a single- or dollar-quoted string: a value (no data type
//!   starts with one);
//! - `NULL`, `TRUE`, `FALSE`: a value (none of them is a data type either);
//! - a word that is not a keyword: sqlparser tries it as a custom type name,
//!   which it rejects as a literal's type (except `xml`, left to sqlparser),
//!   and reads it as a function call before `(` and as an identifier
//!   otherwise (words starting with `_`, which MySQL reads as charset
//!   introducers, are left to sqlparser).
//!
//! One statement form is read by the dialect's statement hook: pg_dump's
//! identity columns, `ALTER TABLE [IF EXISTS] [ONLY] t ALTER [COLUMN] c ADD
//! GENERATED {ALWAYS | BY DEFAULT} AS IDENTITY (SEQUENCE NAME s START WITH 1
//! INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1)`. sqlparser reads these
//! sequence options only in CREATE SEQUENCE's order and without `SEQUENCE
//! NAME` or `AS type`; PostgreSQL takes them in any order, and every dump of a
//! table with an identity column holds one. [`identity`] reads the options
//! in any order into sqlparser's own `AddGenerated` operation (the sequence's
//! name and type, which nothing downstream reads, are dropped); any other
//! statement, or a variant it does not recognise, is left to sqlparser
//! untouched.
//!
//! Everything else, keywords above all, goes the usual way. Every other
//! method delegates to `PostgreSqlDialect`, and [`Dialect::dialect`] answers
//! as it, so sqlparser's `dialect_of!(... is PostgreSqlDialect)` checks hold.
//! `tests/dialect.rs` parses every statement of the corpora with both
//! dialects and requires the same AST or the same error.
//! When sqlparser is upgraded, the delegated methods must be those
//! `PostgreSqlDialect` overrides.

use std::any::TypeId;

use sqlparser::ast::helpers::attached_token::AttachedToken;
use sqlparser::ast::{
    AlterColumnOperation, AlterTable, AlterTableOperation, Expr, GeneratedAs, ObjectName,
    SequenceOptions, Statement,
};
use sqlparser::dialect::{Dialect, PostgreSqlDialect, Precedence};
use sqlparser::keywords::Keyword;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::Token;

/// PostgreSQL, as sqlparser reads it, with the prefix hook described above.
#[derive(Debug, Default, Clone, Copy)]
pub struct Postgres;

impl Postgres {
    fn prefix(parser: &mut Parser) -> Option<Result<Expr, ParserError>> {
        let next = parser.peek_token_ref();
        match &next.token {
            Token::Number(..) | Token::SingleQuotedString(_) | Token::DollarQuotedString(_) => {
                Some(parser.parse_value().map(Expr::Value))
            }
            Token::Word(w)
                if matches!(w.keyword, Keyword::NULL | Keyword::TRUE | Keyword::FALSE) =>
            {
                Some(parser.parse_value().map(Expr::Value))
            }
            Token::Word(w)
                if w.keyword == Keyword::NoKeyword
                    && !w.value.starts_with('_')
                    && !w.value.eq_ignore_ascii_case("xml") =>
            {
                let ident = w.to_ident(next.span);
                let call = parser.peek_nth_token_ref(1).token == Token::LParen;
                parser.advance_token();
                Some(if call {
                    parser.parse_function(ObjectName::from(vec![ident]))
                } else {
                    Ok(Expr::Identifier(ident))
                })
            }
            _ => None,
        }
    }
}

/// Reads pg_dump's `ALTER TABLE ... ALTER COLUMN c ADD GENERATED ... AS
/// IDENTITY (options)` (see the module doc), or gives `None` with the parser
/// where it was, for sqlparser to read the statement.
fn identity(parser: &mut Parser) -> Option<Result<Statement, ParserError>> {
    let is = |p: &Parser, n: usize, k: Keyword| matches!(&p.peek_nth_token_ref(n).token, Token::Word(w) if w.keyword == k);
    if !(is(parser, 0, Keyword::ALTER) && is(parser, 1, Keyword::TABLE)) {
        return None;
    }
    // Stand on the ALTER itself: rewinding stops at a token that is not a
    // blank, so starting before leading blanks or comments would rewind
    // past the first token (a panic in sqlparser).
    parser.next_token();
    parser.prev_token();
    let start = parser.index();
    match identity_body(parser) {
        Ok(Some(statement)) => Some(Ok(statement)),
        // Not this form: back to the start, for sqlparser.
        Ok(None) | Err(_) => {
            while parser.index() > start {
                parser.prev_token();
            }
            None
        }
    }
}

#[inline(never)]
fn identity_body(p: &mut Parser) -> Result<Option<Statement>, ParserError> {
    p.expect_keywords(&[Keyword::ALTER, Keyword::TABLE])?;
    let if_exists = p.parse_keywords(&[Keyword::IF, Keyword::EXISTS]);
    let only = p.parse_keyword(Keyword::ONLY);
    let name = p.parse_object_name(false)?;
    if !p.parse_keyword(Keyword::ALTER) {
        return Ok(None);
    }
    let _ = p.parse_keyword(Keyword::COLUMN);
    let column_name = p.parse_identifier()?;
    if !p.parse_keywords(&[Keyword::ADD, Keyword::GENERATED]) {
        return Ok(None);
    }
    let generated_as = if p.parse_keyword(Keyword::ALWAYS) {
        GeneratedAs::Always
    } else if p.parse_keywords(&[Keyword::BY, Keyword::DEFAULT]) {
        GeneratedAs::ByDefault
    } else {
        return Ok(None);
    };
    p.expect_keywords(&[Keyword::AS, Keyword::IDENTITY])?;
    let mut options = Vec::new();
    let listed = p.consume_token(&Token::LParen);
    if listed {
        while !p.consume_token(&Token::RParen) {
            if p.parse_keywords(&[Keyword::SEQUENCE, Keyword::NAME]) {
                p.parse_object_name(false)?;
            } else if p.parse_keyword(Keyword::AS) {
                p.parse_data_type()?;
            } else if p.parse_keyword(Keyword::START) {
                let with = p.parse_keyword(Keyword::WITH);
                options.push(SequenceOptions::StartWith(p.parse_number()?, with));
            } else if p.parse_keyword(Keyword::INCREMENT) {
                let by = p.parse_keyword(Keyword::BY);
                options.push(SequenceOptions::IncrementBy(p.parse_number()?, by));
            } else if p.parse_keyword(Keyword::MINVALUE) {
                options.push(SequenceOptions::MinValue(Some(p.parse_number()?)));
            } else if p.parse_keyword(Keyword::MAXVALUE) {
                options.push(SequenceOptions::MaxValue(Some(p.parse_number()?)));
            } else if p.parse_keywords(&[Keyword::NO, Keyword::MINVALUE]) {
                options.push(SequenceOptions::MinValue(None));
            } else if p.parse_keywords(&[Keyword::NO, Keyword::MAXVALUE]) {
                options.push(SequenceOptions::MaxValue(None));
            } else if p.parse_keyword(Keyword::CACHE) {
                options.push(SequenceOptions::Cache(p.parse_number()?));
            } else if p.parse_keywords(&[Keyword::NO, Keyword::CYCLE]) {
                options.push(SequenceOptions::Cycle(true));
            } else if p.parse_keyword(Keyword::CYCLE) {
                options.push(SequenceOptions::Cycle(false));
            } else {
                return Ok(None);
            }
        }
    }
    let end = p.peek_token_ref().clone();
    if !matches!(end.token, Token::SemiColon | Token::EOF) {
        return Ok(None);
    }
    Ok(Some(
        AlterTable {
            name,
            if_exists,
            only,
            operations: vec![AlterTableOperation::AlterColumn {
                column_name,
                op: AlterColumnOperation::AddGenerated {
                    generated_as: Some(generated_as),
                    // As sqlparser: no list, no options.
                    sequence_options: listed.then_some(options),
                },
            }],
            location: None,
            on_cluster: None,
            table_type: None,
            end_token: AttachedToken(end),
        }
        .into(),
    ))
}

impl Dialect for Postgres {
    fn dialect(&self) -> TypeId {
        TypeId::of::<PostgreSqlDialect>()
    }

    fn parse_statement(&self, parser: &mut Parser) -> Option<Result<Statement, ParserError>> {
        identity(parser)
    }

    fn parse_prefix(&self, parser: &mut Parser) -> Option<Result<Expr, ParserError>> {
        Self::prefix(parser)
    }

    // The methods PostgreSqlDialect overrides.
    fn identifier_quote_style(&self, identifier: &str) -> Option<char> {
        PostgreSqlDialect {}.identifier_quote_style(identifier)
    }
    fn is_delimited_identifier_start(&self, ch: char) -> bool {
        PostgreSqlDialect {}.is_delimited_identifier_start(ch)
    }
    fn is_identifier_start(&self, ch: char) -> bool {
        PostgreSqlDialect {}.is_identifier_start(ch)
    }
    fn is_identifier_part(&self, ch: char) -> bool {
        PostgreSqlDialect {}.is_identifier_part(ch)
    }
    fn supports_unicode_string_literal(&self) -> bool {
        PostgreSqlDialect {}.supports_unicode_string_literal()
    }
    fn is_reserved_for_identifier(&self, kw: Keyword) -> bool {
        PostgreSqlDialect {}.is_reserved_for_identifier(kw)
    }
    fn is_table_alias(&self, kw: &Keyword, parser: &mut Parser) -> bool {
        PostgreSqlDialect {}.is_table_alias(kw, parser)
    }
    fn is_custom_operator_part(&self, ch: char) -> bool {
        PostgreSqlDialect {}.is_custom_operator_part(ch)
    }
    fn get_next_precedence(&self, parser: &Parser) -> Option<Result<u8, ParserError>> {
        PostgreSqlDialect {}.get_next_precedence(parser)
    }
    fn supports_filter_during_aggregation(&self) -> bool {
        PostgreSqlDialect {}.supports_filter_during_aggregation()
    }
    fn supports_group_by_expr(&self) -> bool {
        PostgreSqlDialect {}.supports_group_by_expr()
    }
    fn supports_alter_user_as_alter_role(&self) -> bool {
        PostgreSqlDialect {}.supports_alter_user_as_alter_role()
    }
    fn prec_value(&self, prec: Precedence) -> u8 {
        PostgreSqlDialect {}.prec_value(prec)
    }
    fn allow_extract_custom(&self) -> bool {
        PostgreSqlDialect {}.allow_extract_custom()
    }
    fn allow_extract_single_quotes(&self) -> bool {
        PostgreSqlDialect {}.allow_extract_single_quotes()
    }
    fn supports_create_index_with_clause(&self) -> bool {
        PostgreSqlDialect {}.supports_create_index_with_clause()
    }
    fn supports_explain_with_utility_options(&self) -> bool {
        PostgreSqlDialect {}.supports_explain_with_utility_options()
    }
    fn supports_listen_notify(&self) -> bool {
        PostgreSqlDialect {}.supports_listen_notify()
    }
    fn supports_exclude_constraint(&self) -> bool {
        PostgreSqlDialect {}.supports_exclude_constraint()
    }
    fn supports_factorial_operator(&self) -> bool {
        PostgreSqlDialect {}.supports_factorial_operator()
    }
    fn supports_bitwise_shift_operators(&self) -> bool {
        PostgreSqlDialect {}.supports_bitwise_shift_operators()
    }
    fn supports_comment_on(&self) -> bool {
        PostgreSqlDialect {}.supports_comment_on()
    }
    fn supports_load_extension(&self) -> bool {
        PostgreSqlDialect {}.supports_load_extension()
    }
    fn supports_named_fn_args_with_colon_operator(&self) -> bool {
        PostgreSqlDialect {}.supports_named_fn_args_with_colon_operator()
    }
    fn supports_named_fn_args_with_expr_name(&self) -> bool {
        PostgreSqlDialect {}.supports_named_fn_args_with_expr_name()
    }
    fn supports_empty_projections(&self) -> bool {
        PostgreSqlDialect {}.supports_empty_projections()
    }
    fn supports_nested_comments(&self) -> bool {
        PostgreSqlDialect {}.supports_nested_comments()
    }
    fn supports_string_escape_constant(&self) -> bool {
        PostgreSqlDialect {}.supports_string_escape_constant()
    }
    fn supports_numeric_literal_underscores(&self) -> bool {
        PostgreSqlDialect {}.supports_numeric_literal_underscores()
    }
    fn supports_array_typedef_with_brackets(&self) -> bool {
        PostgreSqlDialect {}.supports_array_typedef_with_brackets()
    }
    fn supports_geometric_types(&self) -> bool {
        PostgreSqlDialect {}.supports_geometric_types()
    }
    fn supports_order_by_using_operator(&self) -> bool {
        PostgreSqlDialect {}.supports_order_by_using_operator()
    }
    fn supports_set_names(&self) -> bool {
        PostgreSqlDialect {}.supports_set_names()
    }
    fn supports_alter_column_type_using(&self) -> bool {
        PostgreSqlDialect {}.supports_alter_column_type_using()
    }
    fn supports_left_associative_joins_without_parens(&self) -> bool {
        PostgreSqlDialect {}.supports_left_associative_joins_without_parens()
    }
    fn supports_notnull_operator(&self) -> bool {
        PostgreSqlDialect {}.supports_notnull_operator()
    }
    fn supports_interval_options(&self) -> bool {
        PostgreSqlDialect {}.supports_interval_options()
    }
    fn supports_insert_table_alias(&self) -> bool {
        PostgreSqlDialect {}.supports_insert_table_alias()
    }
    fn supports_create_table_like_parenthesized(&self) -> bool {
        PostgreSqlDialect {}.supports_create_table_like_parenthesized()
    }
    fn supports_select_wildcard_with_alias(&self) -> bool {
        PostgreSqlDialect {}.supports_select_wildcard_with_alias()
    }
    fn supports_comma_separated_trim(&self) -> bool {
        PostgreSqlDialect {}.supports_comma_separated_trim()
    }
    fn supports_xml_expressions(&self) -> bool {
        PostgreSqlDialect {}.supports_xml_expressions()
    }
    fn supports_aliased_function_args(&self) -> bool {
        PostgreSqlDialect {}.supports_aliased_function_args()
    }
    fn supports_comment_optimizer_hint(&self) -> bool {
        PostgreSqlDialect {}.supports_comment_optimizer_hint()
    }
}
