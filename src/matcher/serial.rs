//! A compiled [`Matcher`] as bytes and back, so that an extension restart
//! does not recompile its lists (like adblock-rust's `Engine::serialize`).
//!
//! Layout (little endian):
//!
//! ```text
//! magic      8 bytes  "KEFUMTCH"
//! format     u32      FORMAT; bumped whenever the layout or matching changes
//! tables     u64      fingerprint of the fold tables it was folded with
//! lists      u64      Matcher::fingerprint_of the lists it was built from
//! length     u64      payload length
//! checksum   u64      `checksum` of the payload
//! payload             slots, entries, exact forms, patterns, trie
//! ```
//!
//! Loading checks all of it and the trie's own structure
//! (`Trie::from_parts`), so damaged or foreign bytes give a
//! [`LoadError`], never a panic or a wrong matcher. Patterns are stored as
//! source, parsed on load and compiled on first use (regexes have no
//! serialized form).

use super::compile::Fnv;
use super::{is_raw, Entry, Kind, Matcher, Pattern, Slot};
use crate::lists::PhraseList;
use std::sync::OnceLock;

const MAGIC: &[u8; 8] = b"KEFUMTCH";
/// Version of the byte layout and of the matching semantics it encodes.
pub(crate) const FORMAT: u32 = 4;
const HEADER: usize = 8 + 4 + 8 + 8 + 8 + 8;

/// Why bytes could not be loaded as a matcher. Each case means: compile the
/// lists again (and store the new bytes).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message())]
pub struct LoadError {
    kind: LoadErrorKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum LoadErrorKind {
    NotMatcher,
    Format(u32),
    Tables,
    Lists,
    Damaged(&'static str),
}

impl LoadError {
    fn message(&self) -> String {
        match &self.kind {
            LoadErrorKind::NotMatcher => "these bytes are not a compiled Kefu matcher".into(),
            LoadErrorKind::Format(f) => format!(
                "the compiled matcher has format {f}, this Kefu reads format {FORMAT}: compile the lists again"
            ),
            LoadErrorKind::Tables => {
                "the compiled matcher was built with other fold tables: compile the lists again".into()
            }
            LoadErrorKind::Lists => {
                "the compiled matcher was built from other lists: compile these lists again".into()
            }
            LoadErrorKind::Damaged(what) => {
                format!("the compiled matcher is damaged ({what}): compile the lists again")
            }
        }
    }

    /// Whether the bytes are fine but stale (other format, tables or lists)
    /// rather than damaged.
    pub fn is_stale(&self) -> bool {
        matches!(
            self.kind,
            LoadErrorKind::Format(_) | LoadErrorKind::Tables | LoadErrorKind::Lists
        )
    }
}

fn damaged(what: &'static str) -> LoadError {
    LoadError {
        kind: LoadErrorKind::Damaged(what),
    }
}

/// Fingerprint of the fold tables, computed once.
pub(crate) fn tables_fingerprint() -> u64 {
    static FP: OnceLock<u64> = OnceLock::new();
    *FP.get_or_init(|| {
        // The sources are large (the OpenCC tables): hashed eight bytes at
        // a time, in the crate built for speed (this runs at the first load
        // after a restart).
        let mut h = Fnv::new();
        for s in crate::fold::table_sources() {
            h.bytes(&kefu_scan::checksum(s.as_bytes()).to_le_bytes());
        }
        h.0
    })
}

impl Matcher {
    /// The compiled matcher as bytes: see the module `serial` for the layout.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut p = Vec::new();
        p.push(u8::from(self.digits));
        put_u32(&mut p, self.max_allow as u32);
        put_u32(&mut p, self.slots.len() as u32);
        for s in &self.slots {
            put_u32(&mut p, s.len);
            put_u32(&mut p, s.first);
            put_u32(&mut p, s.count);
            p.push(u8::from(s.latin_start) | u8::from(s.latin_end) << 1);
        }
        put_u32(&mut p, self.entries.len() as u32);
        for e in &self.entries {
            p.push(match e.kind {
                Kind::Phrase => 0,
                Kind::RuleAllow => 1,
                Kind::ListAllow => 2,
                Kind::Common => 3,
                Kind::Trigger => 4,
            });
            put_u32(&mut p, e.list);
            put_u32(&mut p, e.rule);
            put_u32(&mut p, e.exact);
        }
        put_u32(&mut p, self.exact.len() as u32);
        for e in &self.exact {
            put_str(&mut p, e);
        }
        put_u32(&mut p, self.patterns.len() as u32);
        for pat in &self.patterns {
            put_u32(&mut p, pat.list);
            put_u32(&mut p, pat.rule);
            p.push(u8::from(pat.fold_digits) | u8::from(pat.triggered) << 1);
            put_str(&mut p, &pat.source);
        }
        let trie = self.trie.to_bytes();
        put_u32(&mut p, trie.len() as u32);
        p.extend_from_slice(&trie);
        let mut out = Vec::with_capacity(HEADER + p.len());
        out.extend_from_slice(MAGIC);
        put_u32(&mut out, FORMAT);
        out.extend_from_slice(&tables_fingerprint().to_le_bytes());
        out.extend_from_slice(&self.fingerprint.to_le_bytes());
        out.extend_from_slice(&(p.len() as u64).to_le_bytes());
        out.extend_from_slice(&checksum(&p).to_le_bytes());
        out.extend_from_slice(&p);
        out
    }

    /// Loads a matcher from [`Matcher::to_bytes`]. The matcher reports hits
    /// by list and rule index, so use it only with the lists it was built
    /// from: check [`Matcher::fingerprint`] against
    /// [`Matcher::fingerprint_of`] your lists, or use
    /// [`Matcher::from_bytes_for`], which does.
    pub fn from_bytes(bytes: &[u8]) -> Result<Matcher, LoadError> {
        let mut r = Reader(bytes);
        if r.take(8).ok() != Some(&MAGIC[..]) {
            return Err(LoadError {
                kind: LoadErrorKind::NotMatcher,
            });
        }
        let format = r.u32()?;
        if format != FORMAT {
            return Err(LoadError {
                kind: LoadErrorKind::Format(format),
            });
        }
        if r.u64()? != tables_fingerprint() {
            return Err(LoadError {
                kind: LoadErrorKind::Tables,
            });
        }
        let fingerprint = r.u64()?;
        let len = r.u64()?;
        let checksum = r.u64()?;
        if r.0.len() as u64 != len {
            return Err(damaged("wrong length"));
        }
        if self::checksum(r.0) != checksum {
            return Err(damaged("checksum mismatch"));
        }
        let digits = r.u8()? != 0;
        let max_allow = r.u32()? as usize;
        // Slots and entries are fixed-size records: take each table whole
        // and decode it without a bounds check per field (this is most of
        // the loading time of a large list in the size-optimized wasm).
        let n = r.count(13)?;
        let slots: Vec<Slot> = r
            .take(n * 13)?
            .chunks_exact(13)
            .map(|c| Slot {
                len: le32(&c[0..4]),
                first: le32(&c[4..8]),
                count: le32(&c[8..12]),
                latin_start: c[12] & 1 != 0,
                latin_end: c[12] & 2 != 0,
            })
            .collect();
        let n = r.count(13)?;
        let mut entries = Vec::with_capacity(n);
        for c in r.take(n * 13)?.chunks_exact(13) {
            let kind = match c[0] {
                0 => Kind::Phrase,
                1 => Kind::RuleAllow,
                2 => Kind::ListAllow,
                3 => Kind::Common,
                4 => Kind::Trigger,
                _ => return Err(damaged("unknown entry kind")),
            };
            entries.push(Entry {
                kind,
                list: le32(&c[1..5]),
                rule: le32(&c[5..9]),
                exact: le32(&c[9..13]),
            });
        }
        let n = r.count(4)?;
        let mut exact = Vec::with_capacity(n);
        for _ in 0..n {
            exact.push(r.str()?.into());
        }
        let n = r.count(13)?;
        let mut patterns = Vec::with_capacity(n);
        for _ in 0..n {
            let (list, rule, flags) = (r.u32()?, r.u32()?, r.u8()?);
            let (fold_digits, triggered) = (flags & 1 != 0, flags & 2 != 0);
            let source = r.str()?.to_string();
            // Parsed, not compiled: the regex is compiled on first use.
            if super::parse_hir(&source).is_none() {
                return Err(damaged("a pattern does not parse"));
            }
            let raw = !triggered && is_raw(&source);
            patterns.push(Pattern::new(
                list,
                rule,
                fold_digits,
                source,
                triggered,
                raw,
            ));
        }
        let n = r.count(1)?;
        let trie = kefu_scan::Trie::from_bytes(r.take(n)?).map_err(damaged)?;
        if !r.0.is_empty() {
            return Err(damaged("trailing bytes"));
        }
        // Indices must stay inside their tables, so that scanning cannot
        // index out of bounds.
        for s in &slots {
            if s.first as u64 + s.count as u64 > entries.len() as u64 {
                return Err(damaged("slot outside the entries"));
            }
        }
        if entries
            .iter()
            .any(|e| e.exact != super::NO_EXACT && e.exact as usize >= exact.len())
        {
            return Err(damaged("exact form outside the table"));
        }
        Ok(Matcher {
            trie,
            slots,
            entries,
            exact,
            digits,
            patterns,
            max_allow,
            fingerprint,
        })
    }

    /// Loads a matcher from bytes and checks that it was built from `lists`.
    pub fn from_bytes_for(bytes: &[u8], lists: &[PhraseList]) -> Result<Matcher, LoadError> {
        let m = Matcher::from_bytes(bytes)?;
        if m.fingerprint != Matcher::fingerprint_of(lists) {
            return Err(LoadError {
                kind: LoadErrorKind::Lists,
            });
        }
        Ok(m)
    }
}

/// A checksum of the payload (`kefu_scan::checksum`, built for speed).
/// Catches damage, not tampering.
fn checksum(bytes: &[u8]) -> u64 {
    kefu_scan::checksum(bytes)
}

fn put_u32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_u32(out, s.len() as u32);
    out.extend_from_slice(s.as_bytes());
}

/// A little-endian u32 from four bytes.
#[inline(always)]
fn le32(b: &[u8]) -> u32 {
    u32::from_le_bytes([b[0], b[1], b[2], b[3]])
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], LoadError> {
        if self.0.len() < n {
            return Err(damaged("truncated"));
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }
    fn u8(&mut self) -> Result<u8, LoadError> {
        Ok(self.take(1)?[0])
    }
    fn u32(&mut self) -> Result<u32, LoadError> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn u64(&mut self) -> Result<u64, LoadError> {
        let b = self.take(8)?;
        let mut a = [0; 8];
        a.copy_from_slice(b);
        Ok(u64::from_le_bytes(a))
    }
    /// A count of items of at least `min_size` bytes each, checked against
    /// what is left so that a damaged count cannot make us allocate wildly.
    fn count(&mut self, min_size: usize) -> Result<usize, LoadError> {
        let n = self.u32()? as usize;
        if n.saturating_mul(min_size) > self.0.len() {
            return Err(damaged("count larger than the data"));
        }
        Ok(n)
    }
    fn str(&mut self) -> Result<&'a str, LoadError> {
        let n = self.u32()? as usize;
        std::str::from_utf8(self.take(n)?).map_err(|_| damaged("a string is not UTF-8"))
    }
}
