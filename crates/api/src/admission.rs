//! Admission: what a GraphQL request must satisfy before the schema spends anything on it.
//!
//! Every check here is linear in the size of the request and bounded in stack, so a hostile
//! document is refused in microseconds:
//! - a lexical scan before parsing, because the parser recurses once per nesting level and a
//!   few kilobytes of `[[[[…` overflow its stack (which aborts the whole process): nesting of
//!   brackets, braces and parentheses outside strings and comments, and a token count;
//! - after parsing, the size of the document once fragments are expanded, memoised per
//!   fragment, because validation and execution expand every spread: 24 fragments that each
//!   spread the next one twice make 2^24 fields from 906 bytes. The fields after expansion,
//!   the fields at the root, the aliases and the depth of expansion are bounded;
//! - no string value, in the document or in the variables, holds a NUL character, which no
//!   field accepts and PostgreSQL cannot store.
//!
//! A document of several operations is cut down to the one the request names and the
//! fragments it uses, so a request is validated, measured and charged for what it runs (the
//! web app sends each file of operations whole).
//!
//! An admitted request carries its parsed document, so the schema does not parse it again.
//! Clients send the same few documents over and over (the web app's operations, an
//! integrator's queries), so admitted documents are kept, by their text and operation name,
//! in a bounded cache: parsing and measuring a document costs several times what copying a
//! parsed one does. The variables are checked on every request.

use std::collections::{HashMap, HashSet};
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex, PoisonError};

use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, FragmentDefinition, OperationDefinition, Selection,
    SelectionSet,
};
use async_graphql::parser::{Positioned, parse_query};
use async_graphql::{Name, Request, ServerError};
use async_graphql_value::{ConstValue, Value};

use crate::ErrorCode;

/// The deepest nesting of `(`, `[` and `{` a document may have. The standard introspection
/// query nests 10 deep; the depth limit allows 15 levels of selections.
pub const MAX_NESTING: usize = 32;
/// The most tokens a document may have. The standard introspection query has about 400.
pub const MAX_TOKENS: usize = 5_000;
/// The most fields a document may select once its fragments are expanded. The standard
/// introspection query selects about 150.
pub const MAX_FIELDS: usize = 1_000;
/// The most fields an operation may select at its root, after expansion: each runs on its
/// own, so they are the unit of parallel work a request asks for.
pub const MAX_ROOT_FIELDS: usize = 20;
/// The most aliased fields a document may have, after expansion.
pub const MAX_ALIASES: usize = 50;
/// The deepest a selection may reach when fragment spreads count as a level, as the
/// schema's own recursion check counts them.
pub const MAX_EXPANDED_DEPTH: usize = 32;

/// Why a request was refused: its error code, the metric reason and the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub code: &'static str,
    /// A short, fixed label for metrics.
    pub reason: &'static str,
    pub message: String,
}

/// The code of a document that does not parse.
pub const PARSE_FAILED: &str = "GRAPHQL_PARSE_FAILED";
/// The code of a document the schema refuses before running it: unknown fields, wrong
/// argument types, beyond the depth, complexity or size limits.
pub const VALIDATION_FAILED: &str = "GRAPHQL_VALIDATION_FAILED";

impl Refusal {
    fn parse(reason: &'static str, message: String) -> Self {
        Self {
            code: PARSE_FAILED,
            reason,
            message,
        }
    }

    fn too_big(reason: &'static str, message: String) -> Self {
        Self {
            code: VALIDATION_FAILED,
            reason,
            message,
        }
    }

    /// The refusal as a GraphQL error with its `extensions.code`.
    pub fn into_server_error(self) -> ServerError {
        let mut error = ServerError::new(self.message, None);
        let mut extensions = async_graphql::ErrorExtensionValues::default();
        extensions.set("code", self.code);
        error.extensions = Some(extensions);
        error
    }
}

/// How many admitted documents are kept.
const CACHED_DOCUMENTS: NonZeroUsize = NonZeroUsize::new(256).expect("non-zero");
/// The longest document kept: the web app's largest file of operations is about 3 KB; a
/// longer one is admitted afresh every time, so the cache holds at most about 2 MB of text.
const MAX_CACHED_LEN: usize = 8 * 1024;

/// A document's text and the operation named to run.
type DocumentKey = (String, Option<String>);

/// Documents admitted before, shared by every request of the process (a document says the
/// same whoever sends it; what a viewer may do is decided when it runs).
static ADMITTED: Mutex<Option<lru::LruCache<DocumentKey, Arc<ExecutableDocument>>>> =
    Mutex::new(None);

fn cached(key: &DocumentKey) -> Option<Arc<ExecutableDocument>> {
    let mut cache = ADMITTED.lock().unwrap_or_else(PoisonError::into_inner);
    cache.as_mut()?.get(key).cloned()
}

fn remember(key: DocumentKey, document: Arc<ExecutableDocument>) {
    let mut cache = ADMITTED.lock().unwrap_or_else(PoisonError::into_inner);
    cache
        .get_or_insert_with(|| lru::LruCache::new(CACHED_DOCUMENTS))
        .put(key, document);
}

/// Checks a request and attaches its parsed document, or says why it is refused.
pub fn admit(request: &mut Request) -> Result<(), Refusal> {
    if request.variables.values().any(const_has_nul) {
        return Err(nul_refusal());
    }
    let key = (request.query.clone(), request.operation_name.clone());
    if request.query.len() <= MAX_CACHED_LEN
        && let Some(document) = cached(&key)
    {
        request.set_parsed_query(ExecutableDocument::clone(&document));
        return Ok(());
    }
    let document = admit_document(&request.query, request.operation_name.as_deref())?;
    if request.query.len() <= MAX_CACHED_LEN {
        remember(key, Arc::new(document.clone()));
    }
    request.set_parsed_query(document);
    Ok(())
}

fn nul_refusal() -> Refusal {
    Refusal {
        code: ErrorCode::Validation.as_str(),
        reason: "nul",
        message: "Dữ liệu gửi lên chứa ký tự NUL (0x00), không được chấp nhận.".to_owned(),
    }
}

/// The checks of a document's text, and the document cut down to the operation `name`.
fn admit_document(query: &str, name: Option<&str>) -> Result<ExecutableDocument, Refusal> {
    scan(query)?;
    let mut document = parse_query(query).map_err(|e| Refusal::parse("syntax", e.to_string()))?;
    if let Some(name) = name {
        select_operation(&mut document, name);
    }
    measure(&document)?;
    if document_has_nul(&document) {
        return Err(nul_refusal());
    }
    Ok(document)
}

/// The operation a request will run, from its document and its `operationName`: the only
/// one, or the one named. `None` when the document leaves it open (several operations and no
/// name, or an unknown name), which validation then refuses.
pub fn chosen_operation<'a>(
    document: &'a ExecutableDocument,
    name: Option<&str>,
) -> Option<&'a OperationDefinition> {
    match &document.operations {
        DocumentOperations::Single(op) => Some(&op.node),
        DocumentOperations::Multiple(ops) => match name {
            Some(name) => ops.get(name),
            None if ops.len() == 1 => ops.values().next(),
            None => None,
        }
        .map(|op| &op.node),
    }
}

/// The lexical scan: nesting outside strings and comments, and the number of tokens. It
/// does not validate the syntax (the parser does); it only bounds what the parser will do.
fn scan(query: &str) -> Result<(), Refusal> {
    let bytes = query.as_bytes();
    let (mut i, mut depth, mut tokens) = (0, 0usize, 0usize);
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b' ' | b'\t' | b'\n' | b'\r' | b',' => {
                i += 1;
                continue;
            }
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
                    i += 1;
                }
                continue;
            }
            b'"' => i = skip_string(bytes, i),
            b'(' | b'[' | b'{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Err(Refusal::parse(
                        "nesting",
                        format!("The document nests brackets deeper than {MAX_NESTING} levels."),
                    ));
                }
                i += 1;
            }
            b')' | b']' | b'}' => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            b'.' if bytes[i..].starts_with(b"...") => i += 3,
            b'!' | b'$' | b'&' | b':' | b'=' | b'@' | b'|' | b'.' => i += 1,
            _ => {
                // A name, a number, a byte-order mark or anything the parser will reject:
                // one token up to the next separator.
                while i < bytes.len() && !is_separator(bytes[i]) {
                    i += 1;
                }
            }
        }
        tokens += 1;
        if tokens > MAX_TOKENS {
            return Err(Refusal::parse(
                "tokens",
                format!("The document has more than {MAX_TOKENS} tokens."),
            ));
        }
    }
    Ok(())
}

fn is_separator(b: u8) -> bool {
    matches!(
        b,
        b' ' | b'\t'
            | b'\n'
            | b'\r'
            | b','
            | b'#'
            | b'"'
            | b'('
            | b')'
            | b'['
            | b']'
            | b'{'
            | b'}'
            | b'!'
            | b'$'
            | b'&'
            | b':'
            | b'='
            | b'@'
            | b'|'
            | b'.'
    )
}

/// The index just past the string starting at `start` (a `"…"` or a `"""…"""` block string),
/// or the end of the input when it is not closed.
fn skip_string(bytes: &[u8], start: usize) -> usize {
    if bytes[start..].starts_with(b"\"\"\"") {
        let mut i = start + 3;
        while i < bytes.len() {
            if bytes[i..].starts_with(b"\\\"\"\"") {
                i += 4;
            } else if bytes[i..].starts_with(b"\"\"\"") {
                return i + 3;
            } else {
                i += 1;
            }
        }
        return bytes.len();
    }
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            // A plain string ends at the line: the parser will refuse it.
            b'\n' | b'\r' => return i,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// Keeps only the operation `name` and the fragments it uses, when the document has it among
/// others; otherwise leaves the document to validation, which says what is wrong.
fn select_operation(document: &mut ExecutableDocument, name: &str) {
    let DocumentOperations::Multiple(operations) = &mut document.operations else {
        return;
    };
    if !operations.contains_key(name) {
        return;
    }
    operations.retain(|n, _| n.as_str() == name);
    let mut used: HashSet<Name> = HashSet::new();
    let mut sets: Vec<&SelectionSet> = operations
        .values()
        .map(|op| &op.node.selection_set.node)
        .collect();
    while let Some(set) = sets.pop() {
        for selection in &set.items {
            match &selection.node {
                Selection::Field(field) => sets.push(&field.node.selection_set.node),
                Selection::InlineFragment(inline) => sets.push(&inline.node.selection_set.node),
                Selection::FragmentSpread(spread) => {
                    let fragment = &spread.node.fragment_name.node;
                    if let Some(definition) = document.fragments.get(fragment)
                        && used.insert(fragment.clone())
                    {
                        sets.push(&definition.node.selection_set.node);
                    }
                }
            }
        }
    }
    document.fragments.retain(|n, _| used.contains(n));
}

/// What a selection set amounts to once its fragments are expanded.
#[derive(Debug, Clone, Copy, Default)]
struct Size {
    /// Every field, at any depth.
    fields: usize,
    /// The fields at the top level of the set.
    top: usize,
    aliases: usize,
    /// Levels below the set, a fragment spread counting as one.
    height: usize,
}

impl Size {
    fn add(&mut self, other: Size) {
        self.fields = self.fields.saturating_add(other.fields);
        self.top = self.top.saturating_add(other.top);
        self.aliases = self.aliases.saturating_add(other.aliases);
        self.height = self.height.max(other.height);
    }
}

/// Sizes of fragments: `None` while a fragment is being measured (to detect cycles).
struct Measure<'a> {
    fragments: &'a HashMap<Name, Positioned<FragmentDefinition>>,
    memo: HashMap<&'a str, Option<Size>>,
}

fn measure(document: &ExecutableDocument) -> Result<(), Refusal> {
    let mut m = Measure {
        fragments: &document.fragments,
        memo: HashMap::new(),
    };
    let mut total = Size::default();
    for (_, operation) in document.operations.iter() {
        let size = m.selection_set(&operation.node.selection_set.node, 0)?;
        if size.top > MAX_ROOT_FIELDS {
            return Err(Refusal::too_big(
                "root_fields",
                format!(
                    "An operation may select at most {MAX_ROOT_FIELDS} fields at its root; this one selects {}.",
                    size.top
                ),
            ));
        }
        total.add(size);
        check_totals(total)?;
    }
    for (name, fragment) in &document.fragments {
        let size = m.fragment(name.as_str(), fragment, 0)?;
        check_totals(size)?;
    }
    Ok(())
}

fn check_totals(size: Size) -> Result<(), Refusal> {
    if size.fields > MAX_FIELDS {
        return Err(Refusal::too_big(
            "fields",
            format!(
                "The document selects more than {MAX_FIELDS} fields once its fragments are expanded."
            ),
        ));
    }
    if size.aliases > MAX_ALIASES {
        return Err(Refusal::too_big(
            "aliases",
            format!("The document has more than {MAX_ALIASES} aliased fields."),
        ));
    }
    Ok(())
}

fn too_deep() -> Refusal {
    Refusal::too_big(
        "depth",
        format!(
            "Selections nest deeper than {MAX_EXPANDED_DEPTH} levels once fragments are expanded."
        ),
    )
}

impl<'a> Measure<'a> {
    fn selection_set(&mut self, set: &'a SelectionSet, depth: usize) -> Result<Size, Refusal> {
        if depth > MAX_EXPANDED_DEPTH {
            return Err(too_deep());
        }
        let mut size = Size::default();
        for selection in &set.items {
            match &selection.node {
                Selection::Field(field) => {
                    let field = &field.node;
                    let inner = self.selection_set(&field.selection_set.node, depth + 1)?;
                    size.fields = size.fields.saturating_add(1 + inner.fields);
                    size.top = size.top.saturating_add(1);
                    size.aliases = size
                        .aliases
                        .saturating_add(usize::from(field.alias.is_some()) + inner.aliases);
                    if !field.selection_set.node.items.is_empty() {
                        size.height = size.height.max(inner.height + 1);
                    }
                }
                Selection::FragmentSpread(spread) => {
                    let name = spread.node.fragment_name.node.as_str();
                    // An unknown fragment is left to validation, which names it.
                    if let Some((key, fragment)) = self.fragments.get_key_value(name) {
                        let inner = self.fragment(key.as_str(), fragment, depth + 1)?;
                        size.add(Size {
                            height: inner.height + 1,
                            ..inner
                        });
                    }
                }
                Selection::InlineFragment(inline) => {
                    let inner = self.selection_set(&inline.node.selection_set.node, depth + 1)?;
                    size.add(Size {
                        height: inner.height + 1,
                        ..inner
                    });
                }
            }
            if size.fields > MAX_FIELDS || size.aliases > MAX_ALIASES {
                check_totals(size)?;
            }
        }
        Ok(size)
    }

    fn fragment(
        &mut self,
        name: &'a str,
        fragment: &'a Positioned<FragmentDefinition>,
        depth: usize,
    ) -> Result<Size, Refusal> {
        match self.memo.get(name) {
            Some(Some(size)) => {
                if depth + size.height > MAX_EXPANDED_DEPTH {
                    return Err(too_deep());
                }
                return Ok(*size);
            }
            Some(None) => {
                return Err(Refusal::too_big(
                    "fragment_cycle",
                    format!("Fragment \"{name}\" spreads itself."),
                ));
            }
            None => {}
        }
        self.memo.insert(name, None);
        let size = self.selection_set(&fragment.node.selection_set.node, depth)?;
        self.memo.insert(name, Some(size));
        Ok(size)
    }
}

fn document_has_nul(document: &ExecutableDocument) -> bool {
    let mut sets: Vec<&SelectionSet> = Vec::new();
    for (_, operation) in document.operations.iter() {
        let operation = &operation.node;
        if operation.variable_definitions.iter().any(|v| {
            v.node
                .default_value
                .as_ref()
                .is_some_and(|d| const_has_nul(&d.node))
        }) || directives_have_nul(&operation.directives)
        {
            return true;
        }
        sets.push(&operation.selection_set.node);
    }
    for fragment in document.fragments.values() {
        if directives_have_nul(&fragment.node.directives) {
            return true;
        }
        sets.push(&fragment.node.selection_set.node);
    }
    // Iterative, as the nesting was bounded by the scan but costs nothing to keep flat.
    while let Some(set) = sets.pop() {
        for selection in &set.items {
            if directives_have_nul(selection.node.directives()) {
                return true;
            }
            match &selection.node {
                Selection::Field(field) => {
                    if field
                        .node
                        .arguments
                        .iter()
                        .any(|(_, v)| value_has_nul(&v.node))
                    {
                        return true;
                    }
                    sets.push(&field.node.selection_set.node);
                }
                Selection::InlineFragment(inline) => sets.push(&inline.node.selection_set.node),
                Selection::FragmentSpread(_) => {}
            }
        }
    }
    false
}

fn directives_have_nul(directives: &[Positioned<async_graphql::parser::types::Directive>]) -> bool {
    directives
        .iter()
        .any(|d| d.node.arguments.iter().any(|(_, v)| value_has_nul(&v.node)))
}

fn value_has_nul(value: &Value) -> bool {
    match value {
        Value::String(s) => s.contains('\0'),
        Value::List(items) => items.iter().any(value_has_nul),
        Value::Object(fields) => fields
            .iter()
            .any(|(k, v)| k.contains('\0') || value_has_nul(v)),
        _ => false,
    }
}

fn const_has_nul(value: &ConstValue) -> bool {
    match value {
        ConstValue::String(s) => s.contains('\0'),
        ConstValue::List(items) => items.iter().any(const_has_nul),
        ConstValue::Object(fields) => fields
            .iter()
            .any(|(k, v)| k.contains('\0') || const_has_nul(v)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use super::*;

    fn admitted(query: &str) -> Result<(), Refusal> {
        admit(&mut Request::new(query))
    }

    fn reason(query: &str) -> &'static str {
        admitted(query).expect_err("refused").reason
    }

    fn nested(open: &str, close: &str, depth: usize) -> String {
        format!(
            "{{__typename(a:{}1{})}}",
            open.repeat(depth),
            close.repeat(depth)
        )
    }

    #[test]
    fn deep_nesting_is_refused_before_parsing() {
        assert_eq!(reason(&nested("[", "]", 2_000)), "nesting");
        assert_eq!(reason(&nested("{a:", "}", 2_000)), "nesting");
        assert_eq!(reason(&"{a".repeat(5_000)), "nesting");
        // Up to the limit the parser runs (and here accepts the syntax).
        assert!(admitted(&nested("[", "]", MAX_NESTING - 2)).is_ok());
    }

    #[test]
    fn brackets_in_strings_and_comments_do_not_count() {
        let strings = format!(
            "{{ a(s: \"{}\", b: \"\"\"{}\"\"\") }} # {}",
            "[".repeat(100),
            "{\\\"\"\"".repeat(100),
            "(".repeat(100)
        );
        assert!(admitted(&strings).is_ok(), "{:?}", admitted(&strings));
        assert!(admitted("{ a(s: \"\\\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\") }").is_ok());
    }

    #[test]
    fn too_many_tokens_are_refused() {
        let query = format!("{{ {} }}", "a ".repeat(MAX_TOKENS));
        assert_eq!(reason(&query), "tokens");
    }

    #[test]
    fn exponential_fragments_are_refused_in_microseconds() {
        let mut query = String::from("query { ...F0 }\n");
        for i in 0..24 {
            writeln!(
                query,
                "fragment F{i} on Query {{ ...F{n} ...F{n} }}",
                n = i + 1
            )
            .expect("write");
        }
        query.push_str("fragment F24 on Query { __typename }\n");
        let started = std::time::Instant::now();
        let refused = admitted(&query).expect_err("refused");
        assert!(
            matches!(refused.reason, "fields" | "root_fields" | "depth"),
            "{refused:?}"
        );
        // Generous: it takes microseconds; a regression would take seconds.
        assert!(started.elapsed() < std::time::Duration::from_millis(500));
    }

    #[test]
    fn root_fields_and_aliases_are_capped() {
        let roots = (0..=MAX_ROOT_FIELDS)
            .map(|i| format!("a{i}: __typename"))
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(reason(&format!("{{ {roots} }}")), "root_fields");
        let nested = (0..=MAX_ALIASES)
            .map(|i| format!("a{i}: name"))
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(
            reason(&format!("{{ unit(code: \"49\") {{ {nested} }} }}")),
            "aliases"
        );
    }

    #[test]
    fn fragment_cycles_and_deep_chains_are_refused() {
        assert_eq!(
            reason("{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }"),
            "fragment_cycle"
        );
        let mut chain = String::from("{ ...F0 }");
        for i in 0..100 {
            write!(chain, " fragment F{i} on Query {{ ...F{} }}", i + 1).expect("write");
        }
        chain.push_str(" fragment F100 on Query { __typename }");
        assert_eq!(reason(&chain), "depth");
    }

    #[test]
    fn nul_in_any_string_is_refused() {
        assert_eq!(
            reason("{ units(search: \"a\\u0000b\") { totalCount } }"),
            "nul"
        );
        let mut request = Request::new("query ($s: String) { units(search: $s) { totalCount } }")
            .variables(async_graphql::Variables::from_json(
                serde_json::json!({ "s": "x\u{0}" }),
            ));
        assert_eq!(admit(&mut request).expect_err("refused").reason, "nul");
        let mut request =
            Request::new("mutation ($i: LoginInput!) { login(input: $i) { accessToken } }")
                .variables(async_graphql::Variables::from_json(
                    serde_json::json!({ "i": { "username": "a", "password": "\u{0}" } }),
                ));
        assert_eq!(admit(&mut request).expect_err("refused").reason, "nul");
    }

    #[test]
    fn a_document_admitted_before_is_served_from_the_cache_with_its_variables_checked_afresh() {
        let text =
            "query A($s: String) { units(search: $s) { totalCount } } query B { __typename }";
        let run = |name: &str, search: &str| {
            let mut request = Request::new(text).operation_name(name).variables(
                async_graphql::Variables::from_json(serde_json::json!({ "s": search })),
            );
            admit(&mut request).map(|()| {
                let document = request.parsed_query().expect("parsed");
                let names: Vec<String> = document
                    .operations
                    .iter()
                    .filter_map(|(n, _)| n.map(ToString::to_string))
                    .collect();
                names
            })
        };
        assert_eq!(run("A", "tam").expect("admitted"), ["A"]);
        assert_eq!(run("A", "ky").expect("from the cache"), ["A"]);
        assert_eq!(
            run("B", "ky").expect("another operation"),
            ["B"],
            "keyed by name too"
        );
        assert_eq!(run("A", "x\u{0}").expect_err("refused").reason, "nul");
        // A refused document is not kept: refused again, for the same reason.
        let bomb = "{ a: __typename b: __typename ".repeat(60) + &"}".repeat(60);
        let first = admitted(&bomb).expect_err("refused");
        assert_eq!(admitted(&bomb).expect_err("again"), first);
    }

    #[test]
    fn the_introspection_query_is_admitted() {
        let query = include_str!("../tests/fixtures/introspection.graphql");
        assert!(admitted(query).is_ok(), "{:?}", admitted(query));
    }

    #[test]
    fn only_the_named_operation_and_its_fragments_are_kept() {
        let mut request = Request::new(
            "query A { ...FA } query B { ...FB } fragment FA on Query { __typename } \
             fragment FB on Query { ...FC } fragment FC on Query { __typename }",
        )
        .operation_name("B");
        admit(&mut request).expect("admitted");
        let document = request.parsed_query().expect("parsed");
        let names: Vec<_> = document
            .operations
            .iter()
            .filter_map(|(n, _)| n.map(ToString::to_string))
            .collect();
        assert_eq!(names, ["B"]);
        let mut fragments: Vec<_> = document.fragments.keys().map(ToString::to_string).collect();
        fragments.sort();
        assert_eq!(fragments, ["FB", "FC"]);
    }

    #[test]
    fn the_web_apps_documents_are_admitted_whole_and_per_operation() {
        for document in crate::metrics::APP_DOCUMENTS {
            assert!(admitted(document).is_ok(), "{document}");
            let parsed = parse_query(document).expect("parses");
            for (name, _) in parsed.operations.iter() {
                let name = name.expect("named").to_string();
                let mut request = Request::new(document).operation_name(name.clone());
                assert!(admit(&mut request).is_ok(), "{name}");
            }
        }
    }

    #[test]
    fn syntax_errors_are_parse_failures() {
        let refused = admitted("{ units(").expect_err("refused");
        assert_eq!(refused.code, "GRAPHQL_PARSE_FAILED");
    }
}
