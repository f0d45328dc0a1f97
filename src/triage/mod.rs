//! Comment triage: a category, an urgency, a score and the reasons for every
//! comment, and a cluster id shared by comments that ask the same thing.
//!
//! A comment goes through these steps, each in its own module:
//!
//! 1. [`comment`]: read from Weibo's comment JSON or flat JSON Lines.
//! 2. [`form`]: its shape from the raw text — own words vs reposted words,
//!    tags, emoticons only, links, contact handles, !!! and ???.
//! 3. [`normalize`]: the normal form triage reads (simplified characters,
//!    ASCII punctuation, emoji as Weibo emoticons).
//! 4. [`lexicon`] finds the cue phrases and modifiers of
//!    `data/triage/signals.toml` and `modifiers.toml` in one pass;
//!    [`negation`] decides what each modifier reaches; [`signals`] turns the
//!    hits into votes per category, with the reasons.
//!    [`model`], a small naive-Bayes model on character n-grams, votes too
//!    when it is confident, and moves the score.
//! 5. [`category`] picks the category; [`urgency`] the urgency and score,
//!    raised by influence, watch words, VIP accounts and age against the
//!    response target ([`crate::settings`], [`time`]).
//! 6. [`cluster`]: over the whole batch, questions and complaints with the
//!    same intent (`data/triage/intents.toml`) or near-duplicate wording
//!    share a cluster id.
//!
//! Around them: [`batch`] takes a batch as JSON text and returns JSON text
//! (the cheap way across the wasm boundary); [`data`] reads the TOML data
//! files; [`hash`] is the integer hashing of the clustering and the model;
//! [`eval`] measures triage against labelled comments (QUALITY.md).
//!
//! Every signal's words are data; tests/triage/cases.toml has a case for
//! each mechanism and tests/triage/labelled-*.jsonl measure the whole.

pub mod batch;
pub mod category;
pub mod cluster;
pub mod comment;
pub mod data;
pub mod eval;
pub mod form;
pub mod hash;
pub mod lexicon;
pub mod model;
pub mod negation;
pub mod normalize;
pub mod signals;
pub mod time;
pub mod urgency;

pub use comment::Comment;
pub use lexicon::{default_modifiers, default_signals};

use crate::settings::Settings;
use cluster::Clusterer;
use lexicon::Lexicon;
use model::Model;
use normalize::Normalizer;
use serde::{Deserialize, Serialize};

/// What kind of comment this is (SPEC vocabulary).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    Safety,
    Complaint,
    Question,
    Suggestion,
    Praise,
    Chatter,
    Spam,
}

impl Category {
    /// All categories, in the order of their discriminants.
    pub const ALL: [Category; 7] = [
        Category::Safety,
        Category::Complaint,
        Category::Question,
        Category::Suggestion,
        Category::Praise,
        Category::Chatter,
        Category::Spam,
    ];

    /// The SPEC word for it.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Safety => "safety",
            Category::Complaint => "complaint",
            Category::Question => "question",
            Category::Suggestion => "suggestion",
            Category::Praise => "praise",
            Category::Chatter => "chatter",
            Category::Spam => "spam",
        }
    }
}

/// How soon it needs an answer (SPEC vocabulary), most urgent first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Urgency {
    Critical,
    High,
    Normal,
    Low,
    Noise,
}

impl Urgency {
    /// All urgencies, most urgent first.
    pub const ALL: [Urgency; 5] = [
        Urgency::Critical,
        Urgency::High,
        Urgency::Normal,
        Urgency::Low,
        Urgency::Noise,
    ];

    /// The SPEC word for it.
    pub fn as_str(self) -> &'static str {
        match self {
            Urgency::Critical => "critical",
            Urgency::High => "high",
            Urgency::Normal => "normal",
            Urgency::Low => "low",
            Urgency::Noise => "noise",
        }
    }
}

/// The triage of one comment, as `kefu triage` prints it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Triage {
    pub id: serde_json::Value,
    pub category: Category,
    pub urgency: Urgency,
    /// 0–100: sort by it, highest first.
    pub score: u32,
    /// In Chinese, with the words that triggered each.
    pub reasons: Vec<String>,
    /// Shared by comments that ask the same thing; `None` when alone.
    pub cluster: Option<u32>,
    /// What the comment asks, when it matches a known intent (a label such
    /// as 退款什么时候到账), for "37 people ask …".
    pub intent: Option<String>,
}

/// A compiled triage engine: build once, triage many batches.
pub struct Triager {
    normalizer: Normalizer,
    lexicon: Lexicon,
    clusterer: Clusterer,
    model: Model,
}

impl Triager {
    /// The engine with the data that ships with Kefu.
    pub fn new() -> Triager {
        Triager {
            normalizer: Normalizer::new(),
            lexicon: Lexicon::new(),
            clusterer: Clusterer::new(),
            model: Model::new(),
        }
    }

    /// An engine with another signal file (the shipped modifiers, maps and
    /// intents).
    pub fn from_toml(signals: &str) -> Result<Triager, String> {
        Triager::from_data(signals, default_modifiers(), cluster::default_intents())
    }

    /// An engine from the text of `signals.toml`, `modifiers.toml` and
    /// `intents.toml`; the error names the file and what is wrong.
    pub fn from_data(signals: &str, modifiers: &str, intents: &str) -> Result<Triager, String> {
        let normalizer = Normalizer::new();
        let lexicon = Lexicon::build(signals, modifiers, &|s: &str| normalizer.normalize(s))?;
        Ok(Triager {
            lexicon,
            clusterer: Clusterer::from_toml(intents)?,
            normalizer,
            model: Model::new(),
        })
    }

    /// Triages a batch; clusters are numbered within the batch. `now` is
    /// seconds since the Unix epoch (for the age of comments).
    pub fn triage(
        &self,
        comments: &[Comment],
        settings: &Settings,
        now: Option<i64>,
    ) -> Vec<Triage> {
        let watch: Vec<(String, &str)> = settings
            .watch_words
            .iter()
            .map(|w| (self.normalizer.normalize(w), w.as_str()))
            .filter(|(n, _)| !n.is_empty())
            .collect();
        let mut texts = Vec::with_capacity(comments.len());
        let mut out: Vec<Triage> = comments
            .iter()
            .map(|c| {
                let (t, own) = self.triage_one(c, settings, &watch, now);
                texts.push(own);
                t
            })
            .collect();
        let eligible: Vec<bool> = comments
            .iter()
            .zip(&out)
            .map(|(c, t)| clusterable(c, t))
            .collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let (clusters, intents) = self.clusterer.clusters(&refs, &eligible);
        for ((t, c), i) in out.iter_mut().zip(clusters).zip(intents) {
            t.cluster = c;
            t.intent = i.map(|i| self.clusterer.intents[i].label.clone());
        }
        out
    }

    /// Triages one text alone (no clustering, default settings): for
    /// callers that need a comment's category, such as the reply guard.
    pub fn triage_text(&self, text: &str) -> Triage {
        let c = Comment::from_text(text);
        let (mut t, own) = self.triage_one(&c, &Settings::default(), &[], None);
        if clusterable(&c, &t) {
            t.intent = self
                .clusterer
                .intent(&own)
                .map(|i| self.clusterer.intents[i].label.clone());
        }
        t
    }

    /// One comment, and its own words in normal form (for clustering).
    fn triage_one(
        &self,
        c: &Comment,
        settings: &Settings,
        watch: &[(String, &str)],
        now: Option<i64>,
    ) -> (Triage, String) {
        let form = form::read(&c.text);
        let own = self.normalizer.normalize(&form.own);
        let chain = self.normalizer.normalize(&form.chain);
        let verdict = self.model.judge(&own);
        let mut ev = signals::gather(
            &self.lexicon,
            &own,
            &chain,
            &form,
            verdict.as_ref().map(|v| (&self.model, v)),
        );
        let (mut category, unrecognised) = category::decide(&ev, form.letters);
        let mut reasons = std::mem::take(&mut ev.reasons);
        if c.is_mblog_author {
            category = Category::Chatter;
            reasons.clear();
        }
        let watched = watch
            .iter()
            .filter(|(n, _)| urgency::contains(&own, n) || urgency::contains(&chain, n))
            .map(|(_, w)| w.to_string())
            .collect();
        let cx = urgency::Context {
            comment: c,
            chain_names: &form.chain_names,
            settings,
            watched,
            now,
        };
        let (urgency, score) = urgency::assess(category, unrecognised, &ev, &cx, &mut reasons);
        if reasons.is_empty() {
            reasons.push("没有需要处理的内容".into());
        }
        let t = Triage {
            id: c.id.clone(),
            category,
            urgency,
            score,
            reasons,
            cluster: None,
            intent: None,
        };
        (t, own)
    }
}

/// Whether a comment takes part in clustering: questions, complaints and
/// suggestions from customers (one answer can serve many of them).
fn clusterable(c: &Comment, t: &Triage) -> bool {
    !c.is_mblog_author
        && matches!(
            t.category,
            Category::Question | Category::Complaint | Category::Suggestion
        )
}

impl Default for Triager {
    fn default() -> Self {
        Triager::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Triage {
        let t = Triager::new();
        t.triage(&[Comment::from_text(text)], &Settings::default(), None)
            .remove(0)
    }

    #[test]
    fn triage_text_is_the_triage_of_one_comment() {
        let t = Triager::new();
        let text = "等了三天还没发货[怒]";
        let mut one = t.triage(&[Comment::from_text(text)], &Settings::default(), None);
        assert_eq!(t.triage_text(text), one.remove(0));
    }

    #[test]
    fn emergencies_are_critical_and_chatter_is_noise() {
        let t = one("我的护照丢了，在航班上，怎么办？");
        assert_eq!(t.category, Category::Safety);
        assert_eq!(t.urgency, Urgency::Critical);
        assert_eq!(one("顶").urgency, Urgency::Noise);
        assert_eq!(one("再不退款我就去12315投诉").urgency, Urgency::Critical);
    }
}
