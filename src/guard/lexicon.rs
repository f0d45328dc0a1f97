//! The built-in lexicons of the reply guard, and the signals read from them.
//!
//! Three data files under `data/tone/`, all in the phrase-list format
//! (`crate::lists`), so the compliance team can lint, test and replace them
//! without a rebuild:
//!
//! - `tone.toml` (list id `tone`): cue phrases of the tone labels; their hits
//!   become findings, gated per label by `super::tone`.
//! - `tone-signals.toml` (list id `tone-signals`): what the human-touch score
//!   counts and what the context checks look for ([`Signal`]); never
//!   findings by themselves.
//! - `tone-words.txt` (list id `tone-words`): the word list for segmenting
//!   (`super::words`).
//!
//! A list loaded with one of these ids replaces the built-in one instead of
//! joining the phrase lists (`super::Guard::with_lists`).

use crate::lists::PhraseList;

/// The cue list: its id, also the list id of the tone detectors' rules.
pub const TONE_ID: &str = "tone";
/// The signal list's id.
pub const SIGNALS_ID: &str = "tone-signals";
/// The word list's id.
pub const WORDS_ID: &str = "tone-words";

/// The built-in lexicons as (file name, contents) (`crate::data`).
pub fn builtin_files() -> [(&'static str, &'static str); 3] {
    [
        ("tone.toml", crate::data::get("data/tone/tone.toml")),
        (
            "tone-signals.toml",
            crate::data::get("data/tone/tone-signals.toml"),
        ),
        (
            "tone-words.txt",
            crate::data::get("data/tone/tone-words.txt"),
        ),
    ]
}

/// The lexicons in force.
#[derive(Debug, Clone)]
pub struct Lexicons {
    pub tone: PhraseList,
    pub signals: PhraseList,
    pub words: PhraseList,
}

impl Lexicons {
    /// The lexicons that ship with Kefu.
    pub fn builtin() -> Lexicons {
        // Tested in CI (`cargo test`): a broken built-in file is a build bug.
        Lexicons {
            tone: crate::data::list("data/tone/tone.toml"),
            signals: crate::data::list("data/tone/tone-signals.toml"),
            words: crate::data::list("data/tone/tone-words.txt"),
        }
    }

    /// Whether a list with this id replaces a lexicon.
    pub fn is_reserved(id: &str) -> bool {
        matches!(id, TONE_ID | SIGNALS_ID | WORDS_ID)
    }

    /// Puts `list` in place of the lexicon with its id; false if its id is
    /// not a lexicon's.
    pub fn replace(&mut self, list: PhraseList) -> bool {
        let slot = match list.id.as_str() {
            TONE_ID => &mut self.tone,
            SIGNALS_ID => &mut self.signals,
            WORDS_ID => &mut self.words,
            _ => return false,
        };
        *slot = list;
        true
    }
}

/// What a signal rule's `label` means (`data/tone/tone-signals.toml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// A word that addresses the reader: 您, 你, 亲, 大家 …
    Address,
    /// Another personal word: 我, 我们, 小编, 宝宝 …
    Personal,
    /// Greeting or thanks: 您好, 谢谢, 欢迎 …
    Greeting,
    /// A friendly particle: 呀, 哦, 呢, 啦 …
    Particle,
    /// A warm Weibo emoticon: [心], [抱抱] …
    EmoticonWarm,
    /// A cold or barbed emoticon: [微笑], [白眼] …
    EmoticonCold,
    /// A playful emoticon: [doge], [笑cry] … (warm among friends, mocking
    /// in a reply to a complaint that does not apologise).
    EmoticonPlayful,
    /// An apology or acknowledgement: 抱歉, 理解您的心情, 给您添麻烦了 …
    Empathy,
    /// A concrete next step: a time, an action, a channel.
    NextStep,
    /// Something that answers a question: 可以, 支持, a number …
    Answer,
    /// A request or question to the reader: 请, 麻烦, 好吗 …
    Request,
    /// The customer named in the third person, the company as an institution.
    Impersonal,
    /// We take the errand ourselves: 我们来, 帮您, 已为您 …
    Ours,
}

impl Signal {
    pub const ALL: [Signal; 13] = [
        Signal::Address,
        Signal::Personal,
        Signal::Greeting,
        Signal::Particle,
        Signal::EmoticonWarm,
        Signal::EmoticonCold,
        Signal::EmoticonPlayful,
        Signal::Empathy,
        Signal::NextStep,
        Signal::Answer,
        Signal::Request,
        Signal::Impersonal,
        Signal::Ours,
    ];

    /// The signal a rule label names, if any (other labels are ignored, so
    /// a replacement list may carry notes as extra rules).
    pub fn from_label(label: &str) -> Option<Signal> {
        Some(match label {
            "address" => Signal::Address,
            "personal" => Signal::Personal,
            "greeting" => Signal::Greeting,
            "particle" => Signal::Particle,
            "emoticon_warm" => Signal::EmoticonWarm,
            "emoticon_cold" => Signal::EmoticonCold,
            "emoticon_playful" => Signal::EmoticonPlayful,
            "empathy" => Signal::Empathy,
            "next_step" => Signal::NextStep,
            "answer" => Signal::Answer,
            "request" => Signal::Request,
            "impersonal" => Signal::Impersonal,
            "ours" => Signal::Ours,
            _ => return None,
        })
    }
}

/// Where each signal occurs in one draft (char spans, in order of start).
#[derive(Debug, Clone, Default)]
pub struct Signals {
    spans: [Vec<(usize, usize)>; 13],
}

impl Signals {
    pub fn push(&mut self, signal: Signal, span: (usize, usize)) {
        self.spans[signal as usize].push(span);
    }

    /// Every occurrence of `signal`.
    pub fn get(&self, signal: Signal) -> &[(usize, usize)] {
        &self.spans[signal as usize]
    }

    /// Whether `signal` occurs anywhere.
    pub fn has(&self, signal: Signal) -> bool {
        !self.spans[signal as usize].is_empty()
    }

    /// Whether `signal` occurs inside `start..end`.
    /// Spans are in order of start, so only those starting in the range
    /// are read (a long draft has one call per sentence).
    pub fn within(&self, signal: Signal, (start, end): (usize, usize)) -> bool {
        let spans = self.get(signal);
        let first = spans.partition_point(|&(s, _)| s < start);
        spans[first..]
            .iter()
            .take_while(|&&(s, _)| s <= end)
            .any(|&(_, e)| e <= end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_lexicons_parse_and_every_signal_rule_is_known() {
        let lex = Lexicons::builtin();
        assert_eq!(lex.tone.id, TONE_ID);
        assert_eq!(lex.signals.id, SIGNALS_ID);
        assert_eq!(lex.words.id, WORDS_ID);
        for rule in &lex.signals.rules {
            assert!(
                Signal::from_label(&rule.label).is_some(),
                "signal rule {} has unknown label {}",
                rule.id,
                rule.label
            );
        }
        for s in Signal::ALL {
            assert!(
                lex.signals
                    .rules
                    .iter()
                    .any(|r| Signal::from_label(&r.label) == Some(s)),
                "no rule for {s:?}"
            );
        }
    }

    #[test]
    fn lexicon_examples_hit_and_miss_their_rules() {
        let lex = Lexicons::builtin();
        for list in [&lex.tone, &lex.signals] {
            let m = crate::matcher::Matcher::new(std::slice::from_ref(list));
            for (ri, rule) in list.rules.iter().enumerate() {
                let hits = |t: &str| m.find(t).iter().any(|h| h.rule == ri);
                for ex in &rule.examples_hit {
                    assert!(hits(ex), "{}/{}: no hit in {ex:?}", list.id, rule.id);
                }
                for ex in &rule.examples_ok {
                    assert!(!hits(ex), "{}/{}: hit in ok {ex:?}", list.id, rule.id);
                }
            }
        }
    }
}
