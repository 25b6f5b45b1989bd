//! Reading TagPack YAML into a small document tree that knows the line of every value.
//!
//! Two readers produce the same [`Node`] tree:
//! - a fast line scanner for the block style every TagPack in the wild uses (`key: value`
//!   lines, `- ` list items, plain or single-quoted scalars, `[a, b]` lists, comments). It
//!   borrows from the text and reads a 1,000,000-tag pack in a fraction of a second. The moment
//!   a line falls outside that subset (block scalars, multi-line strings, escapes, anchors,
//!   flow mappings …) it gives up and
//! - the full YAML 1.2 parser of `yaml-rust2` reads the text instead. It is slower (about
//!   50 MB/s) but reads any YAML, and its events carry line numbers and the raw text of every
//!   scalar, which is why it was chosen over a serde-based reader: errors can point at lines,
//!   and an unquoted `0x…` address stays the text it was instead of becoming a number.
//!
//! Scalars keep their raw text and whether they were plain (unquoted): the TagPack reader
//! decides what `null`, `true` or `2024-01-02` mean, the same way for both readers. Aliases and
//! YAML tags (`!include`) are refused: TagPacks don't use them, and an alias could expand a
//! small file into a huge one.

use std::borrow::Cow;

/// Deepest nesting accepted (a TagPack needs 4).
const MAX_DEPTH: usize = 32;

/// A YAML value with the 1-based line it starts on.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node<'a> {
    /// A scalar: its text (unescaped), and whether it was plain (unquoted).
    Scalar {
        text: Cow<'a, str>,
        plain: bool,
        line: usize,
    },
    /// A sequence.
    Seq { items: Vec<Node<'a>>, line: usize },
    /// A mapping, entries in file order (duplicates kept for the reader to report).
    Map {
        entries: Vec<Entry<'a>>,
        line: usize,
    },
}

/// One `key: value` of a mapping.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Entry<'a> {
    pub key: Cow<'a, str>,
    pub line: usize,
    pub value: Node<'a>,
}

impl Node<'_> {
    /// Line the value starts on.
    pub fn line(&self) -> usize {
        match self {
            Node::Scalar { line, .. } | Node::Seq { line, .. } | Node::Map { line, .. } => *line,
        }
    }

    /// True for a plain `~`, `null`, `Null`, `NULL` or nothing at all.
    pub fn is_null(&self) -> bool {
        matches!(self, Node::Scalar { text, plain: true, .. }
            if matches!(text.as_ref(), "" | "~" | "null" | "Null" | "NULL"))
    }

    /// What kind of value this is, for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            _ if self.is_null() => "nothing (null)",
            Node::Scalar { .. } => "text",
            Node::Seq { .. } => "a list",
            Node::Map { .. } => "a mapping",
        }
    }
}

/// Why the text is not YAML.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SyntaxError {
    pub line: Option<usize>,
    pub message: String,
}

/// Parses a YAML document: the fast scanner if it can, else the full parser. An empty text (or
/// only comments) is a null scalar.
pub(crate) fn parse(text: &str) -> Result<Node<'_>, SyntaxError> {
    match fast::parse(text) {
        Some(node) => Ok(node),
        None => full::parse(text),
    }
}

/// The full parser alone (tests compare it with the fast scanner).
#[cfg(test)]
pub(crate) fn parse_full(text: &str) -> Result<Node<'static>, SyntaxError> {
    full::parse(text)
}

/// The fast scanner alone: `None` when the text is outside its subset.
#[cfg(test)]
pub(crate) fn parse_fast(text: &str) -> Option<Node<'_>> {
    fast::parse(text)
}

mod full {
    use super::{Entry, MAX_DEPTH, Node, SyntaxError};
    use std::borrow::Cow;
    use yaml_rust2::parser::{Event, Parser};
    use yaml_rust2::scanner::TScalarStyle;

    enum Frame {
        Seq(Vec<Node<'static>>, usize),
        Map(Vec<Entry<'static>>, usize, Option<(String, usize)>),
    }

    fn error(line: usize, message: &str) -> SyntaxError {
        SyntaxError {
            line: Some(line),
            message: message.to_owned(),
        }
    }

    pub fn parse(text: &str) -> Result<Node<'static>, SyntaxError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut parser = Parser::new_from_str(text);
        let mut stack: Vec<Frame> = Vec::new();
        let mut root: Option<Node<'static>> = None;
        loop {
            let (event, mark) = parser.next_token().map_err(|e| SyntaxError {
                line: Some(e.marker().line()),
                message: e.info().to_owned(),
            })?;
            let line = mark.line();
            let node = match event {
                Event::StreamEnd => break,
                Event::Alias(_) => {
                    return Err(error(
                        line,
                        "YAML aliases (*name) are not supported in TagPacks",
                    ));
                }
                Event::Scalar(_, _, _, Some(_))
                | Event::SequenceStart(_, Some(_))
                | Event::MappingStart(_, Some(_)) => {
                    return Err(error(
                        line,
                        "YAML tags (!name, !include) are not supported in TagPacks",
                    ));
                }
                Event::Scalar(text, style, _, None) => Node::Scalar {
                    text: Cow::Owned(text),
                    plain: style == TScalarStyle::Plain,
                    line,
                },
                Event::SequenceStart(..) | Event::MappingStart(..) => {
                    if stack.len() >= MAX_DEPTH {
                        return Err(error(line, "nested too deeply for a TagPack"));
                    }
                    stack.push(if matches!(event, Event::SequenceStart(..)) {
                        Frame::Seq(Vec::new(), line)
                    } else {
                        Frame::Map(Vec::new(), line, None)
                    });
                    continue;
                }
                Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                    Some(Frame::Seq(items, line)) => Node::Seq { items, line },
                    Some(Frame::Map(entries, line, _)) => Node::Map { entries, line },
                    None => return Err(error(line, "unbalanced YAML structure")),
                },
                Event::StreamStart | Event::DocumentStart | Event::DocumentEnd | Event::Nothing => {
                    continue;
                }
            };
            match stack.last_mut() {
                None if root.is_some() => {
                    return Err(error(
                        line,
                        "a second YAML document (---): a TagPack is one document",
                    ));
                }
                None => root = Some(node),
                Some(Frame::Seq(items, _)) => items.push(node),
                Some(Frame::Map(entries, _, pending)) => match pending.take() {
                    Some((key, key_line)) => {
                        // An empty value has no position of its own: give it the key's line.
                        let value = match node {
                            Node::Scalar {
                                text, plain: true, ..
                            } if text.is_empty() => Node::Scalar {
                                text,
                                plain: true,
                                line: key_line,
                            },
                            other => other,
                        };
                        entries.push(Entry {
                            key: Cow::Owned(key),
                            line: key_line,
                            value,
                        });
                    }
                    None => match node {
                        Node::Scalar { text, line, .. } => {
                            *pending = Some((text.into_owned(), line));
                        }
                        other => {
                            return Err(error(
                                other.line(),
                                "a mapping key must be text, not a list or a mapping",
                            ));
                        }
                    },
                },
            }
        }
        Ok(root.unwrap_or(Node::Scalar {
            text: Cow::Borrowed(""),
            plain: true,
            line: 1,
        }))
    }
}

mod fast {
    //! The block-style subset. Every function returns `None` to mean "not sure: let the full
    //! parser read it", never an error of its own.

    use super::{Entry, MAX_DEPTH, Node};
    use std::borrow::Cow;

    /// A significant line: not blank, not a comment.
    #[derive(Clone, Copy)]
    struct Line<'a> {
        no: usize,
        indent: usize,
        text: &'a str,
    }

    struct Cursor<'a> {
        rest: &'a str,
        next_no: usize,
        peeked: Option<Option<Line<'a>>>,
    }

    impl<'a> Cursor<'a> {
        /// The next significant line; `Err` when a line is outside the subset (tab indent).
        fn scan(&mut self) -> Result<Option<Line<'a>>, ()> {
            while !self.rest.is_empty() {
                let (raw, rest) = self.rest.split_once('\n').unwrap_or((self.rest, ""));
                self.rest = rest;
                let no = self.next_no;
                self.next_no += 1;
                let raw = raw.strip_suffix('\r').unwrap_or(raw);
                if raw.contains('\r') {
                    // A lone carriage return breaks lines in YAML: not this scanner's subset.
                    return Err(());
                }
                let body = raw.trim_start_matches(' ');
                let text = body.trim_end_matches([' ', '\t']);
                if text.is_empty() || text.starts_with('#') {
                    continue;
                }
                if body.starts_with('\t') {
                    return Err(());
                }
                return Ok(Some(Line {
                    no,
                    indent: raw.len() - body.len(),
                    text,
                }));
            }
            Ok(None)
        }

        fn peek(&mut self) -> Option<Option<Line<'a>>> {
            if self.peeked.is_none() {
                self.peeked = Some(self.scan().ok()?);
            }
            self.peeked
        }

        fn advance(&mut self) {
            self.peeked = None;
        }
    }

    pub fn parse(text: &str) -> Option<Node<'_>> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if has_non_printable(text) {
            return None;
        }
        let mut cursor = Cursor {
            rest: text,
            next_no: 1,
            peeked: None,
        };
        let first = cursor.peek()??;
        if first.text == "---" && first.indent == 0 {
            cursor.advance();
        }
        let line = cursor.peek()??.no;
        let entries = map(&mut cursor, 0, 1)?;
        if cursor.peek()?.is_some() || entries.is_empty() {
            return None;
        }
        Some(Node::Map { entries, line })
    }

    /// Control characters other than tab and line breaks, DEL, C1 controls other than NEL.
    fn has_non_printable(text: &str) -> bool {
        let bytes = text.as_bytes();
        bytes.iter().enumerate().any(|(i, &b)| {
            (b < 0x20 && b != b'\t' && b != b'\n' && b != b'\r')
                || b == 0x7f
                || (b == 0xc2
                    && bytes
                        .get(i + 1)
                        .is_some_and(|&n| (0x80..=0x9f).contains(&n) && n != 0x85))
        })
    }

    fn is_item(text: &str) -> bool {
        text == "-" || text.starts_with("- ")
    }

    /// `key: rest` or `key:` with a simple key.
    fn split_key(text: &str) -> Option<(&str, &str)> {
        let bytes = text.as_bytes();
        let first = *bytes.first()?;
        if !(first.is_ascii_alphabetic() || first == b'_') {
            return None;
        }
        let end = bytes
            .iter()
            .position(|b| !(b.is_ascii_alphanumeric() || *b == b'_' || *b == b'-'))?;
        let (key, after) = text.split_at_checked(end)?;
        let after = after.strip_prefix(':')?;
        if after.is_empty() {
            return Some((key, ""));
        }
        let value = after.strip_prefix(' ')?;
        Some((key, value.trim_start_matches([' ', '\t'])))
    }

    /// A block mapping whose keys are at `indent`, `depth` levels deep (the top mapping is 1).
    /// Deeper than [`MAX_DEPTH`] is left to the full parser, which refuses it: the recursion
    /// here stays a few dozen frames deep whatever the input.
    fn map<'a>(cursor: &mut Cursor<'a>, indent: usize, depth: usize) -> Option<Vec<Entry<'a>>> {
        if depth > MAX_DEPTH {
            return None;
        }
        let mut entries = Vec::new();
        more_entries(cursor, indent, depth, &mut entries)?;
        Some(entries)
    }

    /// Reads the entries of a block mapping at `indent` into `entries`.
    fn more_entries<'a>(
        cursor: &mut Cursor<'a>,
        indent: usize,
        depth: usize,
        entries: &mut Vec<Entry<'a>>,
    ) -> Option<()> {
        while let Some(line) = cursor.peek()? {
            if line.indent < indent || (line.indent == indent && is_item(line.text)) {
                break;
            }
            if line.indent > indent {
                return None;
            }
            let (key, rest) = split_key(line.text)?;
            cursor.advance();
            let value = value(cursor, indent, depth, rest, line.no)?;
            entries.push(Entry {
                key: Cow::Borrowed(key),
                line: line.no,
                value,
            });
        }
        Some(())
    }

    /// The value after `key:` at `indent`: inline, or a block on the following lines, or null.
    fn value<'a>(
        cursor: &mut Cursor<'a>,
        indent: usize,
        depth: usize,
        rest: &'a str,
        no: usize,
    ) -> Option<Node<'a>> {
        // `key: # comment` is `key:` (its value may follow on the next lines).
        if !rest.is_empty() && !rest.starts_with('#') {
            // An inline `[a, b]` is one level deeper than its mapping.
            if depth >= MAX_DEPTH && rest.starts_with('[') {
                return None;
            }
            return inline(rest, no);
        }
        match cursor.peek()? {
            Some(next) if is_item(next.text) && next.indent >= indent => Some(Node::Seq {
                items: seq(cursor, next.indent, depth + 1)?,
                line: next.no,
            }),
            Some(next) if next.indent > indent => {
                split_key(next.text)?;
                Some(Node::Map {
                    entries: map(cursor, next.indent, depth + 1)?,
                    line: next.no,
                })
            }
            _ => Some(Node::Scalar {
                text: Cow::Borrowed(""),
                plain: true,
                line: no,
            }),
        }
    }

    /// A block sequence whose `- ` are at `indent`.
    fn seq<'a>(cursor: &mut Cursor<'a>, indent: usize, depth: usize) -> Option<Vec<Node<'a>>> {
        if depth > MAX_DEPTH {
            return None;
        }
        let mut items = Vec::new();
        while let Some(line) = cursor.peek()? {
            if line.indent < indent || (line.indent == indent && !is_item(line.text)) {
                break;
            }
            if line.indent > indent {
                return None;
            }
            cursor.advance();
            let after = line.text.get(2..).unwrap_or("");
            let item = after.trim_start_matches(' ');
            if item.is_empty() || item.starts_with(['#', '\t']) || is_item(item) {
                return None;
            }
            let column = indent + 2 + (after.len() - item.len());
            if let Some((key, rest)) = split_key(item) {
                let first = value(cursor, column, depth + 1, rest, line.no)?;
                let mut entries = Vec::with_capacity(4);
                entries.push(Entry {
                    key: Cow::Borrowed(key),
                    line: line.no,
                    value: first,
                });
                more_entries(cursor, column, depth + 1, &mut entries)?;
                items.push(Node::Map {
                    entries,
                    line: line.no,
                });
            } else if depth >= MAX_DEPTH && item.starts_with('[') {
                return None;
            } else {
                items.push(inline(item, line.no)?);
            }
        }
        Some(items)
    }

    /// True when the rest of a line after a value is empty or a comment.
    fn only_comment(rest: &str) -> bool {
        rest.is_empty() || (rest.starts_with([' ', '\t']) && rest.trim_start().starts_with('#'))
    }

    /// A value written on the key's line.
    fn inline<'a>(text: &'a str, no: usize) -> Option<Node<'a>> {
        let scalar = |text: Cow<'a, str>, plain: bool| Node::Scalar {
            text,
            plain,
            line: no,
        };
        // Pieces are cut with `strip_prefix`/`split_once`, never at byte offsets.
        if let Some(body) = text.strip_prefix('\'') {
            let (value, rest) = single_quoted(body)?;
            return only_comment(rest).then(|| scalar(value, false));
        }
        if let Some(body) = text.strip_prefix('"') {
            let (value, rest) = body.split_once('"')?;
            return (!value.contains('\\') && only_comment(rest))
                .then(|| scalar(Cow::Borrowed(value), false));
        }
        match text.as_bytes().first().copied()? {
            b'[' => {
                let (inner, rest) = text.strip_prefix('[')?.split_once(']')?;
                if !only_comment(rest) || inner.contains(['[', '{', '}', '"', '\'', '#', ':']) {
                    return None;
                }
                let items = if inner.trim().is_empty() {
                    Vec::new()
                } else {
                    inner
                        .split(',')
                        .map(|item| {
                            let item = item.trim_matches([' ', '\t']);
                            plain_safe_start(item).then(|| scalar(Cow::Borrowed(item), true))
                        })
                        .collect::<Option<Vec<_>>>()?
                };
                Some(Node::Seq { items, line: no })
            }
            _ => {
                if !plain_safe_start(text) {
                    return None;
                }
                let value = match comment_start(text).and_then(|i| text.get(..i)) {
                    Some(before) => before.trim_end_matches([' ', '\t']),
                    None => text,
                };
                if value.contains(": ") || value.contains(":\t") || value.ends_with(':') {
                    return None;
                }
                Some(scalar(Cow::Borrowed(value), true))
            }
        }
    }

    /// Plain scalars may not start with an indicator (or be a lone `-`).
    fn plain_safe_start(text: &str) -> bool {
        let Some(&first) = text.as_bytes().first() else {
            return false;
        };
        let indicator = b"-?:,[]{}#&*!|>'\"%@`".contains(&first);
        !indicator
            || (first == b'-'
                && text
                    .get(1..)
                    .is_some_and(|rest| !rest.is_empty() && !rest.starts_with([' ', '\t'])))
    }

    /// Where a ` #` comment starts in a plain scalar.
    fn comment_start(text: &str) -> Option<usize> {
        let bytes = text.as_bytes();
        (1..bytes.len())
            .find(|&i| bytes[i] == b'#' && (bytes[i - 1] == b' ' || bytes[i - 1] == b'\t'))
    }

    /// The body of a single-quoted scalar (after the opening quote) and what follows it.
    fn single_quoted(text: &str) -> Option<(Cow<'_, str>, &str)> {
        let bytes = text.as_bytes();
        let mut i = 0;
        let mut escaped = false;
        while i < bytes.len() {
            if bytes[i] == b'\'' {
                if bytes.get(i + 1) == Some(&b'\'') {
                    escaped = true;
                    i += 2;
                    continue;
                }
                let (body, rest) = (text.get(..i)?, text.get(i + 1..)?);
                let value = if escaped {
                    Cow::Owned(body.replace("''", "'"))
                } else {
                    Cow::Borrowed(body)
                };
                return Some((value, rest));
            }
            i += 1;
        }
        None
    }
}

#[cfg(test)]
#[path = "yaml_tests.rs"]
mod tests;
