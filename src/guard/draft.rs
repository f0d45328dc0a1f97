//! A draft read once for every detector: its chars, sentences, and where the
//! signals of `data/tone/tone-signals.toml` occur (`super::lexicon`).
//!
//! The detectors (`super::tone`, `super::context`, `super::score`) only read
//! a [`Draft`]; matching is done once, by the guard's one matcher.

use super::lexicon::{Signal, Signals};
use super::words::{sentences, Sentence};

/// Marks that end a clause: sentence marks, commas, colons, line breaks.
pub fn ends_clause(c: char) -> bool {
    matches!(
        c,
        '，' | ',' | '。' | '！' | '!' | '？' | '?' | '；' | ';' | '、' | '…' | '\n' | '：' | ':'
    )
}

/// One draft, analysed.
pub struct Draft<'a> {
    pub text: &'a str,
    pub chars: Vec<char>,
    /// `chars` folded one for one (traditional → simplified, width, case;
    /// a separator stays itself), for the gates' word checks (給您 is 给您).
    pub folded: Vec<char>,
    pub sentences: Vec<Sentence>,
    pub signals: Signals,
}

impl<'a> Draft<'a> {
    pub fn new(text: &'a str) -> Draft<'a> {
        let chars: Vec<char> = text.chars().collect();
        let sentences = sentences(&chars);
        let folded = chars
            .iter()
            .map(|&c| crate::fold::fold_char(c).unwrap_or(c))
            .collect();
        Draft {
            text,
            chars,
            folded,
            sentences,
            signals: Signals::default(),
        }
    }

    /// The sentence that holds char `at` (the last one if past the end).
    pub fn sentence_at(&self, at: usize) -> Option<&Sentence> {
        self.sentence_index_at(at).map(|i| &self.sentences[i])
    }

    /// The index of [`Draft::sentence_at`]'s sentence. Sentences are in
    /// order: a binary search, not a scan (it is asked once per cue).
    pub fn sentence_index_at(&self, at: usize) -> Option<usize> {
        let i = self.sentences.partition_point(|s| s.end <= at);
        (i < self.sentences.len())
            .then_some(i)
            .or(self.sentences.len().checked_sub(1))
    }

    /// The clause that holds char `at`: from the last clause or sentence
    /// mark before it to the next one (the mark excluded), as a span.
    pub fn clause_at(&self, at: usize) -> (usize, usize) {
        let at = at.min(self.chars.len());
        let start = self.chars[..at]
            .iter()
            .rposition(|&c| ends_clause(c))
            .map_or(0, |i| i + 1);
        let end = self.chars[at..]
            .iter()
            .position(|&c| ends_clause(c))
            .map_or(self.chars.len(), |i| at + i);
        (start, end)
    }

    /// Whether a negation stands right before char `at` (不是, 并非, 没, 不):
    /// 不是我们的责任 owns nothing.
    pub fn negated_before(&self, at: usize) -> bool {
        let before = &self.folded[at.saturating_sub(2)..at.min(self.folded.len())];
        matches!(before.last(), Some('不' | '没' | '非' | '无'))
            || before.ends_with(&['不', '是'])
            || before.ends_with(&['并', '非'])
    }

    /// The text of a span.
    pub fn slice(&self, (start, end): (usize, usize)) -> String {
        super::report::chars_to_string(&self.chars[start..end])
    }

    /// Whether the draft carries anything warm: an apology or
    /// acknowledgement, a friendly particle, a warm emoticon, or 亲.
    pub fn is_warm(&self) -> bool {
        self.signals.has(Signal::Empathy)
            || self.signals.has(Signal::Particle)
            || self.signals.has(Signal::EmoticonWarm)
            || self
                .signals
                .get(Signal::Address)
                .iter()
                .any(|&(start, end)| start < end && self.chars[start] == '亲')
    }

    /// The whole draft as a span.
    pub fn whole(&self) -> (usize, usize) {
        (0, self.chars.len())
    }
}
