//! The triage lexicon: cue phrases (`data/triage/signals.toml`, the hazard
//! taxonomy `hazards.toml` and the English `english.toml`, all of the same
//! form) and the words that modify them (`data/triage/modifiers.toml`),
//! compiled once, when the engine is built, into one automaton that finds
//! them all in one pass.
//!
//! This module owns reading the data files and finding phrases. What a hit
//! means (negated or not, how much it weighs) is `signals` and `negation`.
//!
//! Where phrases overlap, the longest wins: a match that lies inside a
//! longer one is dropped, so "不满意" is one complaint cue rather than the
//! negator 不 and the praise 满意. The two halves of a combination signal
//! (`with`/`within`) are found separately and never dropped.

use super::data::{self, Entry};
use super::Category;
use crate::matcher::dictionary::Dictionary;

/// The cue phrases that ship with Kefu.
pub fn default_signals() -> &'static str {
    crate::data::get("data/triage/signals.toml")
}
/// The hazard taxonomy that ships with Kefu (signals of danger to people).
pub fn default_hazards() -> &'static str {
    crate::data::get("data/triage/hazards.toml")
}
/// The English signals that ship with Kefu.
pub fn default_english() -> &'static str {
    crate::data::get("data/triage/english.toml")
}
/// The modifiers that ship with Kefu.
pub fn default_modifiers() -> &'static str {
    crate::data::get("data/triage/modifiers.toml")
}

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
    /// For a combination: its `with` half must come first (找不到 + 我妈 is
    /// someone missing; 老人 + 找不到 a thing the old man cannot find).
    pub with_first: bool,
    /// Counts only in a comment of at most this many letters.
    pub max_letters: Option<usize>,
    /// Counts only beside a hit of another (non-chatter) signal.
    pub alone: bool,
    /// Counts only beside a plain hit of a signal of one of these
    /// categories that has no `needs` itself: [微笑] is sarcastic next to a
    /// complaint, a smile otherwise.
    pub needs: Vec<Category>,
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
    /// A time long past (去年, 上次): a danger told as a story.
    Past,
    /// Now (现在, 正在, 还在): what follows is going on.
    Now,
    /// A near miss or an escaped danger (差点, 还好): the cue that follows
    /// in its clause did not happen.
    NearMiss,
    /// Someone else's story (新闻里, 电视剧, 游戏里): what follows in the
    /// sentence is not happening to the commenter.
    Distant,
    /// A how-to question word (怎么, 如何, how to): a problem word right
    /// after it is what is asked about (怎么取消), not what went wrong.
    Asked,
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
#[derive(Debug, Clone)]
pub struct ModelKnobs {
    pub weight: f32,
    pub confident: f32,
    pub tone_factor: f32,
    pub min_letters: usize,
}

/// Weights of the signals read from a comment's shape (`form`).
#[derive(Debug, Clone)]
pub struct FormKnobs {
    pub shout_bangs: usize,
    pub shout_questions: usize,
    pub shout_weight: f32,
    pub link_weight: f32,
    pub handle_weight: f32,
    pub repeated_weight: f32,
    pub emoticons_only_weight: f32,
    pub friend_weight: f32,
    pub chain_factor: f32,
    /// Words in an account's name that make it an official one (官方,
    /// 客服): a comment that starts by tagging it talks to the brand.
    pub official_markers: Vec<String>,
}

/// The compiled lexicon.
pub struct Lexicon {
    pub signals: Vec<Signal>,
    pub knobs: Knobs,
    automaton: Dictionary,
    roles: Vec<Role>,
    phrases: Vec<String>,
    /// Whether the phrase is all ASCII letters and digits: such a phrase
    /// matches only between non-alphanumeric neighbours (vx, not in "vxyz").
    latin: Vec<bool>,
}

impl Lexicon {
    /// The plain reasons of the praise signals as they begin a reason
    /// line (「称赞：」), for dropping where praise is not the point.
    pub fn praise_reasons(&self) -> Vec<String> {
        self.signals
            .iter()
            .filter(|s| s.category == Category::Praise)
            .map(|s| format!("{}：", s.reason))
            .collect()
    }

    /// The lexicon that ships with Kefu.
    pub fn new() -> Lexicon {
        Lexicon::build(
            &shipped_signals(default_signals()),
            default_modifiers(),
            &|s: &str| s.to_lowercase(),
        )
        .expect("the shipped lexicon parses (tested)")
    }

    /// A lexicon from the text of one signal file and `modifiers.toml`.
    pub fn from_toml(signals: &str, modifiers: &str) -> Result<Lexicon, String> {
        Lexicon::build(&[("signals.toml", signals)], modifiers, &|s: &str| {
            s.to_lowercase()
        })
    }

    /// A lexicon from signal files (name and text: `signals.toml`,
    /// `hazards.toml`, …, all of one form, their ids unique across them)
    /// and `modifiers.toml`. Phrases are normalised with `normalize` so
    /// that the data may be written in any width or script.
    pub(crate) fn build(
        signal_files: &[(&str, &str)],
        modifiers: &str,
        normalize: &dyn Fn(&str) -> String,
    ) -> Result<Lexicon, String> {
        let mut signal_tables = Vec::with_capacity(signal_files.len());
        for (name, text) in signal_files {
            signal_tables.push((*name, data::parse(name, text)?));
        }
        let mods_table = data::parse("modifiers.toml", modifiers)?;
        let m = Entry::top("modifiers.toml", &mods_table);
        m.only(&[
            "negation",
            "filler",
            "intensifier",
            "contrast",
            "hypothetical",
            "near_miss",
            "distant",
            "asked",
            "resolved",
            "time",
            "form",
            "model",
        ])?;
        let (neg, int, con, form, model) = (
            m.table("negation")?,
            m.table("intensifier")?,
            m.table("contrast")?,
            m.table("form")?,
            m.table("model")?,
        );
        neg.only(&["window", "rhetorical", "phrases"])?;
        int.only(&["factor", "window", "phrases"])?;
        con.only(&["before", "after", "phrases", "concession"])?;
        form.only(&[
            "shout_bangs",
            "shout_questions",
            "shout_weight",
            "link_weight",
            "handle_weight",
            "repeated_weight",
            "emoticons_only_weight",
            "friend_weight",
            "chain_factor",
            "official_markers",
        ])?;
        model.only(&["weight", "confident", "tone_factor", "min_letters"])?;
        let mut lex = Lexicon {
            signals: Vec::new(),
            knobs: Knobs {
                negation_window: neg.usize("window")?,
                intensifier_factor: int.f32("factor")?,
                intensifier_window: int.usize("window")?,
                contrast_before: con.f32("before")?,
                contrast_after: con.f32("after")?,
                form: FormKnobs {
                    shout_bangs: form.usize("shout_bangs")?,
                    shout_questions: form.usize("shout_questions")?,
                    shout_weight: form.f32("shout_weight")?,
                    link_weight: form.f32("link_weight")?,
                    handle_weight: form.f32("handle_weight")?,
                    repeated_weight: form.f32("repeated_weight")?,
                    emoticons_only_weight: form.f32("emoticons_only_weight")?,
                    friend_weight: form.f32("friend_weight")?,
                    chain_factor: form.f32("chain_factor")?,
                    official_markers: form.strings("official_markers")?,
                },
                model: ModelKnobs {
                    weight: model.f32("weight")?,
                    confident: model.f32("confident")?,
                    tone_factor: model.f32("tone_factor")?,
                    min_letters: model.usize("min_letters")?,
                },
            },
            automaton: Dictionary::new(&Vec::<String>::new(), false)?,
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
            // All Latin words (vx, "lost my passport"): whole words only.
            let b = norm.as_bytes();
            lex.latin.push(
                b.iter().all(|&c| c.is_ascii_alphanumeric() || c == b' ')
                    && b[0].is_ascii_alphanumeric()
                    && b[b.len() - 1].is_ascii_alphanumeric(),
            );
            patterns.push(norm);
            lex.roles.push(role);
            lex.phrases.push(phrase.to_string());
            Ok(())
        };
        let mut seen = std::collections::HashSet::new();
        let mut entries = Vec::new();
        for (name, table) in &signal_tables {
            let top = Entry::top(name, table);
            top.only(&["signal"])?;
            entries.extend(top.tables("signal")?);
        }
        for (si, e) in entries.iter().enumerate() {
            e.only(&[
                "id",
                "category",
                "weight",
                "reason",
                "phrases",
                "critical",
                "problem",
                "negatable",
                "negated",
                "sarcasm",
                "with",
                "within",
                "with_first",
                "max_letters",
                "alone",
                "needs",
            ])?;
            let id = e.str("id")?;
            if !seen.insert(id) {
                return Err(
                    e.error("the id is used twice (ids are unique across the signal files)")
                );
            }
            let phrases = e.strings("phrases")?;
            let with = e.strings("with")?;
            let within = e.opt_usize("within")?;
            let weight = e.f32("weight")?;
            if phrases.is_empty() {
                return Err(e.error("`phrases` is empty"));
            }
            if with.is_empty() != within.is_none() {
                return Err(e.error("`with` and `within` go together"));
            }
            if !(0.0..=1000.0).contains(&weight) {
                return Err(e.error(format!("weight {weight} is out of 0..=1000")));
            }
            let mut unique = std::collections::HashSet::new();
            if let Some(p) = phrases.iter().chain(&with).find(|p| !unique.insert(*p)) {
                return Err(e.error(format!("the phrase `{p}` is listed twice")));
            }
            let combo = !with.is_empty();
            for p in &phrases {
                let role = if combo {
                    Role::First(si)
                } else {
                    Role::Cue(si)
                };
                add(&mut lex, p, role).map_err(|m| e.error(m))?;
            }
            for p in &with {
                add(&mut lex, p, Role::Second(si)).map_err(|m| e.error(m))?;
            }
            lex.signals.push(Signal {
                id: id.to_string(),
                category: e.category("category")?,
                weight,
                reason: e.str("reason")?.to_string(),
                critical: e.bool_or("critical", false)?,
                problem: e.bool_or("problem", false)?,
                negatable: e.bool_or("negatable", true)?,
                negated: e.opt_category("negated")?,
                sarcasm: e.bool_or("sarcasm", false)?,
                within,
                with_first: e.bool_or("with_first", false)?,
                max_letters: e.opt_usize("max_letters")?,
                alone: e.bool_or("alone", true)?,
                needs: e
                    .strings("needs")?
                    .iter()
                    .map(|word| {
                        Category::ALL
                            .into_iter()
                            .find(|c| c.as_str() == word)
                            .ok_or_else(|| e.error(format!("`needs`: unknown category `{word}`")))
                    })
                    .collect::<Result<_, _>>()?,
            });
        }
        let phrases_of = |t: &Entry, key: &str| t.strings(key);
        let simple = |key: &str| -> Result<Vec<String>, String> {
            let t = m.table(key)?;
            t.only(&["phrases"])?;
            t.strings("phrases")
        };
        let time = m.table("time")?;
        time.only(&["past", "now"])?;
        let groups: [(Vec<String>, Role); 13] = [
            (phrases_of(&neg, "phrases")?, Role::Negator),
            (phrases_of(&neg, "rhetorical")?, Role::Rhetorical),
            (simple("filler")?, Role::Filler),
            (phrases_of(&int, "phrases")?, Role::Intensifier),
            (phrases_of(&con, "phrases")?, Role::Contrast),
            (phrases_of(&con, "concession")?, Role::Concession),
            (simple("hypothetical")?, Role::Hypothetical),
            (simple("near_miss")?, Role::NearMiss),
            (simple("distant")?, Role::Distant),
            (simple("asked")?, Role::Asked),
            (simple("resolved")?, Role::Resolved),
            (time.strings("past")?, Role::Past),
            (time.strings("now")?, Role::Now),
        ];
        for (phrases, role) in groups {
            for p in &phrases {
                add(&mut lex, p, role).map_err(|e| format!("modifiers.toml: {e}"))?;
            }
        }
        lex.automaton = Dictionary::new(&patterns, false)
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
        self.automaton.for_each_overlapping(text, |m| {
            let p = m.index;
            if self.latin[p] {
                let before = m.start.checked_sub(1).map(|i| bytes[i]);
                let after = bytes.get(m.end).copied();
                if before.is_some_and(|b| b.is_ascii_alphanumeric())
                    || after.is_some_and(|b| b.is_ascii_alphanumeric())
                {
                    return;
                }
            }
            let f = Found {
                start: m.start,
                end: m.end,
                role: self.roles[p],
                phrase: p,
            };
            if f.role.is_positional() {
                all.push(f);
            } else {
                halves.push(f);
            }
        });
        // Longest first at each start; then drop what lies inside a kept
        // match (but keep a match with exactly the same span: one phrase
        // can be in two roles).
        // The automaton reports matches by where they end, so the list is
        // nearly in order already: an insertion sort, in place.
        let key = |f: &Found| (f.start, std::cmp::Reverse(f.end), f.phrase);
        for i in 1..all.len() {
            let mut j = i;
            while j > 0 && key(&all[j - 1]) > key(&all[j]) {
                all.swap(j - 1, j);
                j -= 1;
            }
        }
        let mut max_end = 0;
        let mut last_span = (usize::MAX, usize::MAX);
        let mut kept = 0;
        for i in 0..all.len() {
            let f = all[i];
            if f.end > max_end || (f.start, f.end) == last_span {
                max_end = max_end.max(f.end);
                last_span = (f.start, f.end);
                all[kept] = f;
                kept += 1;
            }
        }
        all.truncate(kept);
        (all, halves)
    }
}

/// The shipped signal files, with `signals` in place of `signals.toml`.
pub(crate) fn shipped_signals(signals: &str) -> [(&'static str, &str); 3] {
    [
        ("signals.toml", signals),
        ("hazards.toml", default_hazards()),
        ("english.toml", default_english()),
    ]
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
        let e = Lexicon::from_toml(bad, default_modifiers()).err().unwrap();
        assert!(e.contains("signals.toml"), "{e}");
        let empty = "[[signal]]\nid = \"x\"\ncategory = \"spam\"\nweight = 1\nreason = \"r\"\nphrases = []\n";
        let e = Lexicon::from_toml(empty, default_modifiers())
            .err()
            .unwrap();
        assert!(e.contains("`x`") && e.contains("empty"), "{e}");
        let needs = "[[signal]]\nid = \"x\"\ncategory = \"spam\"\nweight = 1\nreason = \"r\"\nphrases = [\"a\"]\nneeds = [\"anger\"]\n";
        let e = Lexicon::from_toml(needs, default_modifiers())
            .err()
            .unwrap();
        assert!(e.contains("`x`") && e.contains("anger"), "{e}");
    }
}
