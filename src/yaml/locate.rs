//! Where a value sits in a YAML file, by path (`rules[3].any[1]`).
//!
//! serde reports *what* is wrong and, through `serde_path_to_error`, *which* value;
//! this module parses the same text with yaml-rust2's marked events to find that
//! value's line and column, so every rule-file error can underline its source.

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// One step of a path into a YAML document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// Renders a path the way users read it: `rules[3].any[1]`.
pub fn display(path: &[Seg]) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) if out.is_empty() => out.push_str(k),
            Seg::Key(k) => {
                out.push('.');
                out.push_str(k);
            }
            Seg::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

#[derive(Debug)]
struct Node {
    start: usize,
    end: usize,
    kind: NodeKind,
}

#[derive(Debug)]
enum NodeKind {
    Scalar(String),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

/// Byte ranges of the nodes of a parsed YAML document.
#[derive(Debug, Default)]
pub struct Locator {
    root: Option<Node>,
}

/// A span located by path, and whether it is exactly the node asked for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Located {
    pub start: usize,
    pub end: usize,
    /// The value is a quoted scalar; its content starts one byte later.
    pub quoted: bool,
}

impl Locator {
    /// Parses `src`; a syntax error comes back as (byte offset, message).
    pub fn parse(src: &str) -> Result<Locator, (usize, String)> {
        let char_to_byte: Vec<usize> = src.char_indices().map(|(i, _)| i).chain(std::iter::once(src.len())).collect();
        let mut b = TreeBuilder { src, char_to_byte: &char_to_byte, stack: Vec::new(), root: None };
        let mut parser = Parser::new_from_str(src);
        parser.load(&mut b, false).map_err(|e| {
            let at = char_to_byte.get(e.marker().index()).copied().unwrap_or(src.len());
            (at, e.info().to_string())
        })?;
        Ok(Locator { root: b.root })
    }

    /// The value at `path`, or the deepest node on the way to it.
    pub fn value(&self, path: &[Seg]) -> Option<Located> {
        let mut node = self.root.as_ref()?;
        for seg in path {
            match (seg, &node.kind) {
                (Seg::Key(k), NodeKind::Map(entries)) => match entries.iter().find(|(key, _)| key_is(key, k)) {
                    Some((_, v)) => node = v,
                    None => break,
                },
                (Seg::Index(i), NodeKind::Seq(items)) => match items.get(*i) {
                    Some(v) => node = v,
                    None => break,
                },
                _ => break,
            }
        }
        Some(Located { start: node.start, end: node.end, quoted: false })
    }

    /// The key of the last segment of `path` (for unknown or misspelled keys).
    pub fn key(&self, path: &[Seg]) -> Option<Located> {
        let (Seg::Key(k), parent) = path.split_last()? else {
            return None;
        };
        let mut node = self.root.as_ref()?;
        for seg in parent {
            node = match (seg, &node.kind) {
                (Seg::Key(k), NodeKind::Map(entries)) => &entries.iter().find(|(key, _)| key_is(key, k))?.1,
                (Seg::Index(i), NodeKind::Seq(items)) => items.get(*i)?,
                _ => return None,
            };
        }
        match &node.kind {
            NodeKind::Map(entries) => {
                let (key, _) = entries.iter().find(|(key, _)| key_is(key, k))?;
                Some(Located { start: key.start, end: key.end, quoted: false })
            }
            _ => None,
        }
    }

    /// The text of the scalar at `path`, with where its content starts in the file.
    pub fn scalar(&self, src: &str, path: &[Seg]) -> Option<Located> {
        let at = self.value(path)?;
        let quoted = src[at.start..].starts_with(['\'', '"']);
        Some(Located { quoted, ..at })
    }
}

fn key_is(key: &Node, name: &str) -> bool {
    matches!(&key.kind, NodeKind::Scalar(text) if text == name)
}

struct TreeBuilder<'a> {
    src: &'a str,
    char_to_byte: &'a [usize],
    stack: Vec<Partial>,
    root: Option<Node>,
}

enum Partial {
    Seq(usize, Vec<Node>),
    Map(usize, Vec<(Node, Node)>, Option<Node>),
}

impl TreeBuilder<'_> {
    fn byte(&self, mark: Marker) -> usize {
        self.char_to_byte.get(mark.index()).copied().unwrap_or(self.src.len())
    }

    fn scalar_end(&self, start: usize, value: &str) -> usize {
        let rest = &self.src[start..];
        if let Some(q) = rest.chars().next().filter(|c| *c == '\'' || *c == '"') {
            let mut escaped = false;
            for (i, c) in rest.char_indices().skip(1) {
                if q == '"' && c == '\\' && !escaped {
                    escaped = true;
                    continue;
                }
                if c == q && !escaped {
                    if q == '\'' && rest[i + 1..].starts_with('\'') {
                        continue;
                    }
                    return start + i + 1;
                }
                escaped = false;
            }
        }
        if rest.starts_with(value) && !value.is_empty() {
            return start + value.len();
        }
        start + rest.find('\n').unwrap_or(rest.len()).max(1).min(rest.len())
    }

    fn add(&mut self, node: Node) {
        match self.stack.last_mut() {
            Some(Partial::Seq(_, items)) => items.push(node),
            Some(Partial::Map(_, entries, pending)) => match pending.take() {
                Some(key) => entries.push((key, node)),
                None => *pending = Some(node),
            },
            None => self.root = Some(node),
        }
    }
}

impl MarkedEventReceiver for TreeBuilder<'_> {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        let at = self.byte(mark);
        match ev {
            Event::Scalar(value, ..) => {
                let end = self.scalar_end(at, &value).max(at);
                self.add(Node { start: at, end, kind: NodeKind::Scalar(value) });
            }
            Event::Alias(_) => self.add(Node { start: at, end: at + 1, kind: NodeKind::Scalar(String::new()) }),
            Event::SequenceStart(..) => self.stack.push(Partial::Seq(at, Vec::new())),
            Event::MappingStart(..) => self.stack.push(Partial::Map(at, Vec::new(), None)),
            Event::SequenceEnd | Event::MappingEnd => {
                let node = match self.stack.pop() {
                    Some(Partial::Seq(start, items)) => Node { start, end: at.max(start), kind: NodeKind::Seq(items) },
                    Some(Partial::Map(start, entries, _)) => {
                        Node { start, end: at.max(start), kind: NodeKind::Map(entries) }
                    }
                    None => return,
                };
                self.add(node);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SRC: &str = "pack: {name: x}\nrules:\n  - id: a.b\n    any: ['\\bx', \"y\"]\n    titel: Oops\n";

    #[test]
    fn finds_values_and_keys_by_path() {
        let l = Locator::parse(SRC).ok().unwrap();
        let any1 = l.value(&[Seg::Key("rules".into()), Seg::Index(0), Seg::Key("any".into()), Seg::Index(1)]).unwrap();
        assert_eq!(&SRC[any1.start..any1.end], "\"y\"");
        let key = l.key(&[Seg::Key("rules".into()), Seg::Index(0), Seg::Key("titel".into())]).unwrap();
        assert_eq!(&SRC[key.start..key.end], "titel");
        let id = l.value(&[Seg::Key("rules".into()), Seg::Index(0), Seg::Key("id".into())]).unwrap();
        assert_eq!(&SRC[id.start..id.end], "a.b");
    }

    #[test]
    fn syntax_errors_have_offsets() {
        let (at, _) = Locator::parse("a: [unclosed\nb: 1\n").err().unwrap();
        assert!(at > 0);
    }
}
