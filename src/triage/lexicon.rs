//! The triage lexicon: cue phrases (`data/triage/signals.toml`) and the
//! words that modify them (`data/triage/modifiers.toml`), compiled into one
//! automaton that finds them all in one pass.
//!
//! This module owns reading the data files and finding phrases. What a hit
//! means (negated or not, how much it weighs) is `signals` and `negation`.
//!
//! Where phrases overlap, the longest wins: a match that lies inside a
//! longer one is dropped, so "不满意" is one complaint cue rather than the
//! negator 不 and the praise 满意. The two halves of a combination signal
//! (`with`/`within`) are found separately and never dropped.

use super::Category;
use aho_corasick::{AhoCorasick, MatchKind};
use serde::Deserialize;

/// The cue phrases that ship with Kefu.
pub const DEFAULT_SIGNALS: &str = include_str!("../../data/triage/signals.toml");
/// The modifiers that ship with Kefu.
pub const DEFAULT_MODIFIERS: &str = include_str!("../../data/triage/modifiers.toml");

/// One signal: cue phrases that vote for a category.
#[derive(Debug, Clone)]
pub struct Signal {
    pub id: String,
    pub category: Category,
    pub weight: f32,
    pub reason: String,
    /// Makes the comment critical (an emergency, an escalation threat).
    pub critical: bool,
    /// A problem with the customer's own order, money or service.
    pub problem: bool,
    /// Whether a negator before a hit cancels it.
    pub negatable: bool,
    /// What a negated hit votes for, at half weight.
    pub negated: Option<Category>,
    /// A sarcasm marker: praise in the same comment reads as complaint.
    pub sarcasm: bool,
    /// For a combination: the greatest distance in characters between its
    /// two halves.
    pub within: Option<usize>,
    /// Counts only in a comment of at most this many letters.
    pub max_letters: Option<usize>,
}

/// What a phrase of the automaton is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A cue of a signal.
    Cue(usize),
    /// The first half of a combination signal.
    First(usize),
    /// The second half of a combination signal.
    Second(usize),
    Negator,
    /// A negator that asserts in a rhetorical question (这不是…吗).
    Rhetorical,
    Filler,
    Intensifier,
    Contrast,
    Concession,
    Hypothetical,
    Resolved,
}

impl Role {
    fn is_positional(self) -> bool {
        !matches!(self, Role::First(_) | Role::Second(_))
    }
}

/// A phrase found in a text: byte offsets into the normal form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    pub start: usize,
    pub end: usize,
    pub role: Role,
    /// Index of the phrase, for [`Lexicon::phrase`].
    pub phrase: usize,
}

/// Tunable numbers of the modifiers.
#[derive(Debug, Clone)]
pub struct Knobs {
    pub negation_window: usize,
    pub intensifier_factor: f32,
    pub intensifier_window: usize,
    pub contrast_before: f32,
    pub contrast_after: f32,
    pub form: FormKnobs,
    pub model: ModelKnobs,
}

/// How the statistical model's verdict counts (`model`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelKnobs {
    pub weight: f32,
    pub confident: f32,
    pub tone_factor: f32,
    pub min_letters: usize,
}

/// Weights of the signals read from a comment's shape (`form`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormKnobs {
    pub shout_bangs: usize,
    pub shout_questions: usize,
    pub shout_weight: f32,
    pub link_weight: f32,
    pub handle_weight: f32,
    pub emoticons_only_weight: f32,
    pub friend_weight: f32,
    pub chain_factor: f32,
}

/// The compiled lexicon.
pub struct Lexicon {
    pub signals: Vec<Signal>,
    pub knobs: Knobs,
    automaton: AhoCorasick,
    roles: Vec<Role>,
    phrases: Vec<String>,
    /// Whether the phrase is all ASCII letters and digits: such a phrase
    /// matches only between non-alphanumeric neighbours (vx, not in "vxyz").
    latin: Vec<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SignalFile {
    signal: Vec<SignalEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SignalEntry {
    id: String,
    category: Category,
    weight: f32,
    reason: String,
    phrases: Vec<String>,
    #[serde(default)]
    critical: bool,
    #[serde(default)]
    problem: bool,
    #[serde(default = "yes")]
    negatable: bool,
    #[serde(default)]
    negated: Option<Category>,
    #[serde(default)]
    sarcasm: bool,
    #[serde(default)]
    with: Vec<String>,
    #[serde(default)]
    within: Option<usize>,
    #[serde(default)]
    max_letters: Option<usize>,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ModifierFile {
    negation: Negation,
    filler: Phrases,
    intensifier: Intensifier,
    contrast: Contrast,
    hypothetical: Phrases,
    resolved: Phrases,
    form: FormKnobs,
    model: ModelKnobs,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Negation {
    window: usize,
    rhetorical: Vec<String>,
    phrases: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Phrases {
    phrases: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Intensifier {
    factor: f32,
    window: usize,
    phrases: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Contrast {
    before: f32,
    after: f32,
    phrases: Vec<String>,
    concession: Vec<String>,
}

impl Lexicon {
    /// The lexicon that ships with Kefu.
    pub fn new() -> Lexicon {
        Lexicon::from_toml(DEFAULT_SIGNALS, DEFAULT_MODIFIERS)
            .expect("the shipped lexicon parses (tested)")
    }

    /// A lexicon from the text of `signals.toml` and `modifiers.toml`.
    /// Phrases are normalised with `normalize` so that the data may be
    /// written in any width or script.
    pub fn from_toml(signals: &str, modifiers: &str) -> Result<Lexicon, String> {
        Lexicon::build(signals, modifiers, &|s: &str| s.to_lowercase())
    }

    pub(crate) fn build(
        signals: &str,
        modifiers: &str,
        normalize: &dyn Fn(&str) -> String,
    ) -> Result<Lexicon, String> {
        let file: SignalFile = toml::from_str(signals).map_err(|e| format!("signals.toml: {e}"))?;
        let mods: ModifierFile =
            toml::from_str(modifiers).map_err(|e| format!("modifiers.toml: {e}"))?;
        let mut lex = Lexicon {
            signals: Vec::new(),
            knobs: Knobs {
                negation_window: mods.negation.window,
                intensifier_factor: mods.intensifier.factor,
                intensifier_window: mods.intensifier.window,
                contrast_before: mods.contrast.before,
                contrast_after: mods.contrast.after,
                form: mods.form.clone(),
                model: mods.model.clone(),
            },
            automaton: AhoCorasick::new(Vec::<String>::new()).map_err(|e| e.to_string())?,
            roles: Vec::new(),
            phrases: Vec::new(),
            latin: Vec::new(),
        };
        let mut patterns: Vec<String> = Vec::new();
        let mut add = |lex: &mut Lexicon, phrase: &str, role: Role| -> Result<(), String> {
            let norm = normalize(phrase);
            if norm.is_empty() {
                return Err(format!("the phrase `{phrase}` is empty once normalised"));
            }
            lex.latin
                .push(norm.bytes().all(|b| b.is_ascii_alphanumeric()));
            patterns.push(norm);
            lex.roles.push(role);
            lex.phrases.push(phrase.to_string());
            Ok(())
        };
        let mut seen = std::collections::HashSet::new();
        for (si, s) in file.signal.into_iter().enumerate() {
            let at = |e: String| format!("signals.toml: signal `{}`: {e}", s.id);
            if !seen.insert(s.id.clone()) {
                return Err(at("the id is used twice".into()));
            }
            if s.phrases.is_empty() {
                return Err(at("`phrases` is empty".into()));
            }
            if s.with.is_empty() != s.within.is_none() {
                return Err(at("`with` and `within` go together".into()));
            }
            if !(0.0..=1000.0).contains(&s.weight) {
                return Err(at(format!("weight {} is out of 0..=1000", s.weight)));
            }
            let mut unique = std::collections::HashSet::new();
            if let Some(p) = s.phrases.iter().chain(&s.with).find(|p| !unique.insert(*p)) {
                return Err(at(format!("the phrase `{p}` is listed twice")));
            }
            let combo = !s.with.is_empty();
            for p in &s.phrases {
                let role = if combo {
                    Role::First(si)
                } else {
                    Role::Cue(si)
                };
                add(&mut lex, p, role).map_err(at)?;
            }
            for p in &s.with {
                add(&mut lex, p, Role::Second(si)).map_err(at)?;
            }
            lex.signals.push(Signal {
                id: s.id,
                category: s.category,
                weight: s.weight,
                reason: s.reason,
                critical: s.critical,
                problem: s.problem,
                negatable: s.negatable,
                negated: s.negated,
                sarcasm: s.sarcasm,
                within: s.within,
                max_letters: s.max_letters,
            });
        }
        let groups: [(&[String], Role); 8] = [
            (&mods.negation.phrases, Role::Negator),
            (&mods.negation.rhetorical, Role::Rhetorical),
            (&mods.filler.phrases, Role::Filler),
            (&mods.intensifier.phrases, Role::Intensifier),
            (&mods.contrast.phrases, Role::Contrast),
            (&mods.contrast.concession, Role::Concession),
            (&mods.hypothetical.phrases, Role::Hypothetical),
            (&mods.resolved.phrases, Role::Resolved),
        ];
        for (phrases, role) in groups {
            for p in phrases {
                add(&mut lex, p, role).map_err(|e| format!("modifiers.toml: {e}"))?;
            }
        }
        lex.automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&patterns)
            .map_err(|e| format!("cannot compile the triage lexicon: {e}"))?;
        Ok(lex)
    }

    /// The phrase as written in the data file.
    pub fn phrase(&self, index: usize) -> &str {
        &self.phrases[index]
    }

    /// Finds the phrases in `text` (a normal form): the positional ones
    /// (cues and modifiers, the longest of overlapping ones) in order, and
    /// the halves of combinations.
    pub fn find(&self, text: &str) -> (Vec<Found>, Vec<Found>) {
        let bytes = text.as_bytes();
        let mut all: Vec<Found> = Vec::new();
        let mut halves: Vec<Found> = Vec::new();
        for m in self.automaton.find_overlapping_iter(text) {
            let p = m.pattern().as_usize();
            if self.latin[p] {
                let before = m.start().checked_sub(1).map(|i| bytes[i]);
                let after = bytes.get(m.end()).copied();
                if before.is_some_and(|b| b.is_ascii_alphanumeric())
                    || after.is_some_and(|b| b.is_ascii_alphanumeric())
                {
                    continue;
                }
            }
            let f = Found {
                start: m.start(),
                end: m.end(),
                role: self.roles[p],
                phrase: p,
            };
            if f.role.is_positional() {
                all.push(f);
            } else {
                halves.push(f);
            }
        }
        // Longest first at each start; then drop what lies inside a kept
        // match (but keep a match with exactly the same span: one phrase
        // can be in two roles).
        all.sort_by_key(|f| (f.start, std::cmp::Reverse(f.end)));
        let mut kept: Vec<Found> = Vec::with_capacity(all.len());
        let mut max_end = 0;
        let mut last_span = (usize::MAX, usize::MAX);
        for f in all {
            if f.end > max_end || (f.start, f.end) == last_span {
                max_end = max_end.max(f.end);
                last_span = (f.start, f.end);
                kept.push(f);
            }
        }
        (kept, halves)
    }
}

impl Default for Lexicon {
    fn default() -> Self {
        Lexicon::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_lexicon_parses() {
        let lex = Lexicon::new();
        assert!(lex.signals.len() > 5);
    }

    #[test]
    fn the_longest_overlapping_phrase_wins() {
        let lex = Lexicon::new();
        let (found, _) = lex.find("不是不满意");
        let words: Vec<&str> = found.iter().map(|f| lex.phrase(f.phrase)).collect();
        assert_eq!(words, ["不是", "不满意"]);
    }

    #[test]
    fn latin_phrases_need_boundaries() {
        let lex = Lexicon::new();
        let has = |t: &str| lex.find(t).0.iter().any(|f| lex.phrase(f.phrase) == "vx");
        assert!(has("vx:abc"));
        assert!(!has("vxyz"));
    }

    #[test]
    fn bad_data_says_which_signal() {
        let bad = "[[signal]]\nid = \"x\"\ncategory = \"nope\"\nweight = 1\nreason = \"r\"\nphrases = [\"a\"]\n";
        let e = Lexicon::from_toml(bad, DEFAULT_MODIFIERS).err().unwrap();
        assert!(e.contains("signals.toml"), "{e}");
        let empty = "[[signal]]\nid = \"x\"\ncategory = \"spam\"\nweight = 1\nreason = \"r\"\nphrases = []\n";
        let e = Lexicon::from_toml(empty, DEFAULT_MODIFIERS).err().unwrap();
        assert!(e.contains("`x`") && e.contains("empty"), "{e}");
    }
}
