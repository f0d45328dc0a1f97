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
//!    `data/triage/signals.toml`, the hazard taxonomy `hazards.toml`, the
//!    English `english.toml` and `modifiers.toml` in one pass;
//!    [`negation`] decides what each modifier reaches; [`signals`] turns the
//!    hits into votes per category, with the reasons.
//!    [`model`], a small naive-Bayes model on character n-grams, votes too
//!    when it is confident, and moves the score.
//!    A tag of a newspaper or a regulator (@人民日报) escalates a complaint
//!    or a danger.
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
pub use lexicon::{default_english, default_hazards, default_modifiers, default_signals};

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
    /// `intents.toml` (with the shipped hazards and English signals); the
    /// error names the file and what is wrong.
    pub fn from_data(signals: &str, modifiers: &str, intents: &str) -> Result<Triager, String> {
        let normalizer = Normalizer::new();
        let lexicon = Lexicon::build(&lexicon::shipped_signals(signals), modifiers, &|s: &str| {
            normalizer.normalize(s)
        })?;
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
        let mut session = self.session(settings, now, post_authors(comments));
        let mut out: Vec<Triage> = comments.iter().map(|c| session.triage(c)).collect();
        let clusters = session.finish();
        for (i, t) in out.iter_mut().enumerate() {
            t.cluster = clusters.cluster(i);
            t.intent = clusters.intent(i).map(|i| self.intent_label(i).to_string());
        }
        out
    }

    /// A batch triaged one comment at a time, for input too large to hold:
    /// [`Session::triage`] each comment in order, then [`Session::finish`]
    /// for the clusters. `authors` are the screen names of the post's
    /// author (its own comments in the batch, [`post_authors`]): a tag of
    /// it addresses the brand, so they are needed before the first comment.
    /// The results are those of [`Triager::triage`] on the whole batch.
    pub fn session<'t>(
        &'t self,
        settings: &'t Settings,
        now: Option<i64>,
        authors: Vec<String>,
    ) -> Session<'t> {
        let watch = settings
            .watch_words
            .iter()
            .map(|w| (self.normalizer.normalize(w), w.clone()))
            .filter(|(n, _)| !n.is_empty())
            .collect();
        Session {
            triager: self,
            settings,
            watch,
            authors,
            now,
            index: self.clusterer.index(),
        }
    }

    /// The label of intent `i` (of [`cluster::Clusters::intent`]).
    pub fn intent_label(&self, i: usize) -> &str {
        &self.clusterer.intents[i].label
    }

    /// Triages one text alone (no clustering, default settings): for
    /// callers that need a comment's category, such as the reply guard.
    pub fn triage_text(&self, text: &str) -> Triage {
        let c = Comment::from_text(text);
        let settings = Settings::default();
        let page = Page {
            settings: &settings,
            watch: &[],
            authors: &[],
            now: None,
        };
        let (mut t, own) = self.triage_one(&c, &page);
        if clusterable(&c, &t) {
            t.intent = self
                .clusterer
                .intent(&own)
                .map(|i| self.clusterer.intents[i].label.clone());
        }
        t
    }

    /// One comment, and its own words in normal form (for clustering).
    fn triage_one(&self, c: &Comment, page: &Page) -> (Triage, String) {
        let Page {
            settings,
            watch,
            now,
            ..
        } = *page;
        let mut form = form::read(&c.text);
        // `@小米官方 …` talks to the brand, not to a friend.
        let official = form.to_friend && self.is_official(&form.first_tag, page);
        form.to_friend &= !official;
        // `@人民日报 …` calls in the press, it does not chat with a friend.
        let escalation = self.escalation_tag(&form.tag_names, settings);
        form.to_friend &= escalation != Some(form.first_tag.as_str());
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
        // A tag of a newspaper or a regulator (@人民日报, @12315) on a
        // complaint or a danger: escalated already.
        if let Some(name) = escalation {
            let complaint = ev.votes[Category::Complaint as usize] > 0.0;
            // Asking the press to look (请看看…是怎么对待消费者的), or telling
            // it something no cue reads: a complaint taken public.
            let to_press = ev.votes[Category::Question as usize] > 0.0
                || (ev.votes.iter().all(|&v| v <= 0.0)
                    && form.letters >= category::SUBSTANTIVE_LETTERS);
            if complaint || to_press || ev.votes[Category::Safety as usize] > 0.0 || ev.problem {
                ev.critical = true;
                // 求关注 to the press asks it to look, it does not advertise.
                ev.votes[Category::Spam as usize] = 0.0;
                if !complaint && ev.votes[Category::Safety as usize] <= 0.0 {
                    ev.votes[Category::Complaint as usize] += 30.0;
                }
                ev.reasons
                    .push(format!("@了媒体/监管部门：{name}（已扩大影响）"));
            }
        }
        let (mut category, unrecognised) = category::decide(&ev, form.letters);
        let mut reasons = std::mem::take(&mut ev.reasons);
        if official {
            reasons.push(format!("@了官方账号（{}）：是对我们说的", form.first_tag));
        }
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
        if matches!(category, Category::Safety | Category::Complaint) {
            // Thanks inside an emergency or a complaint is not what it is
            // about: no praise reason on it.
            let praise = self.lexicon.praise_reasons();
            reasons.retain(|r| !praise.iter().any(|p| r.starts_with(p.as_str())));
        }
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

impl Triager {
    /// The first tagged account that is a newspaper or a regulator: its
    /// name holds a media marker of the settings (日报, 新闻 …) or an
    /// escalation cue of the lexicon (人民日报, 12315, 市场监管 …).
    fn escalation_tag<'n>(&self, names: &'n [String], settings: &Settings) -> Option<&'n str> {
        names.iter().map(String::as_str).find(|name| {
            settings
                .media_markers
                .iter()
                .any(|m| !m.is_empty() && urgency::contains(name, m))
                || {
                    let norm = self.normalizer.normalize(name);
                    self.lexicon.find(&norm).0.iter().any(|f| match f.role {
                        lexicon::Role::Cue(si) => {
                            let s = &self.lexicon.signals[si];
                            s.critical && s.category == Category::Complaint
                        }
                        _ => false,
                    })
                }
        })
    }

    /// Whether the account `name` is the brand's: an official one by its
    /// name (`official_markers`), one holding a watch word (the brand's
    /// name), or the author of the post.
    fn is_official(&self, name: &str, page: &Page) -> bool {
        if name.is_empty() {
            return false;
        }
        let norm = self.normalizer.normalize(name);
        let markers = &self.lexicon.knobs.form.official_markers;
        markers.iter().any(|m| urgency::contains(name, m))
            || page.watch.iter().any(|(w, _)| urgency::contains(&norm, w))
            || page.authors.iter().any(|a| a == name)
    }
}

/// What triage knows of the page a batch comes from.
#[derive(Clone, Copy)]
struct Page<'a> {
    settings: &'a Settings,
    /// Watch words in normal form, and as the team wrote them.
    watch: &'a [(String, String)],
    /// Screen names of the post's author (its own comments in the batch).
    authors: &'a [String],
    now: Option<i64>,
}

/// The screen names of the post's author: those of its own comments
/// (`is_mblog_author`), once each, in order.
pub fn post_authors<'c>(comments: impl IntoIterator<Item = &'c Comment>) -> Vec<String> {
    let mut authors: Vec<String> = Vec::new();
    for c in comments.into_iter().filter(|c| c.is_mblog_author) {
        if let Some(name) = c.user_name.as_deref() {
            if !authors.iter().any(|a| a == name) {
                authors.push(name.to_string());
            }
        }
    }
    authors
}

/// A batch being triaged one comment at a time ([`Triager::session`]).
pub struct Session<'t> {
    triager: &'t Triager,
    settings: &'t Settings,
    watch: Vec<(String, String)>,
    authors: Vec<String>,
    now: Option<i64>,
    index: cluster::Index<'t>,
}

impl Session<'_> {
    /// Triages the next comment of the batch. Its `cluster` and `intent`
    /// are `None` here: they are known when the batch is whole
    /// ([`Session::finish`]).
    pub fn triage(&mut self, c: &Comment) -> Triage {
        let page = Page {
            settings: self.settings,
            watch: &self.watch,
            authors: &self.authors,
            now: self.now,
        };
        let (t, own) = self.triager.triage_one(c, &page);
        self.index.push(clusterable(c, &t).then_some(own.as_str()));
        t
    }

    /// The clusters of the batch, by position (intents as indices for
    /// [`Triager::intent_label`]).
    pub fn finish(self) -> cluster::Clusters {
        self.index.finish()
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
    fn tagging_the_posts_author_talks_to_the_brand() {
        let t = Triager::new();
        let author = |name: &str, mine: bool| {
            let mut c = Comment::from_text("感谢大家支持");
            c.user_name = Some(name.into());
            c.is_mblog_author = mine;
            c
        };
        let likes = Comment::from_text("@某某旗舰 这款颜色真好看");
        let batch = [author("某某旗舰", true), likes.clone()];
        let got = t.triage(&batch, &Settings::default(), None);
        assert_eq!(got[1].category, Category::Praise, "{:?}", got[1]);
        // The same tag without the author's comment in the batch: a friend.
        let batch = [author("某某旗舰", false), likes];
        let got = t.triage(&batch, &Settings::default(), None);
        assert_eq!(got[1].category, Category::Chatter, "{:?}", got[1]);
        // A worded question after a tag is asked of the account, whoever
        // it is (issue 14: short @-questions to a service account).
        let asks = Comment::from_text("@某某旗舰 这款什么时候补货");
        let got = t.triage(
            &[author("某某旗舰", false), asks],
            &Settings::default(),
            None,
        );
        assert_eq!(got[1].category, Category::Question, "{:?}", got[1]);
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
