//! Comment triage: a category, an urgency, a score and the reasons for every
//! comment, and a cluster id shared by comments that ask the same thing.
//!
//! Signals are cue phrases from a data file (`data/triage/signals.toml`),
//! found in folded text (`crate::fold`) by one automaton; each votes for a
//! category. Influence, the team's watch words and VIP accounts (from
//! `crate::settings`) and the comment's age against the response target
//! raise the urgency. Clustering is `cluster`.

pub mod cluster;
pub mod comment;
pub mod time;

pub use comment::Comment;

use crate::fold::fold;
use crate::settings::Settings;
use aho_corasick::AhoCorasick;
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
    fn raised(self) -> Urgency {
        match self {
            Urgency::Critical | Urgency::High => Urgency::Critical,
            Urgency::Normal => Urgency::High,
            Urgency::Low => Urgency::Normal,
            Urgency::Noise => Urgency::Noise,
        }
    }

    fn base_score(self) -> i32 {
        match self {
            Urgency::Critical => 90,
            Urgency::High => 70,
            Urgency::Normal => 50,
            Urgency::Low => 25,
            Urgency::Noise => 5,
        }
    }
}

/// The triage of one comment, as `kefu triage` prints it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Triage {
    pub id: serde_json::Value,
    pub category: Category,
    pub urgency: Urgency,
    pub score: u32,
    pub reasons: Vec<String>,
    pub cluster: Option<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SignalFile {
    signal: Vec<Signal>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Signal {
    #[allow(dead_code)]
    id: String,
    category: Category,
    weight: i32,
    reason: String,
    #[serde(default)]
    critical: bool,
    phrases: Vec<String>,
}

/// The signal lexicon that ships with Kefu.
pub fn default_signals() -> &'static str {
    crate::data::get("data/triage/signals.toml")
}

/// A compiled triage engine.
pub struct Triager {
    signals: Vec<Signal>,
    automaton: AhoCorasick,
    /// Automaton pattern index → (signal index, phrase).
    owner: Vec<(usize, String)>,
}

impl Triager {
    /// The engine with the default signals.
    pub fn new() -> Triager {
        Triager::from_toml(default_signals()).expect("the default signals parse (tested)")
    }

    /// An engine from a signal file.
    pub fn from_toml(text: &str) -> Result<Triager, String> {
        let file: SignalFile = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut patterns = Vec::new();
        let mut owner = Vec::new();
        for (si, s) in file.signal.iter().enumerate() {
            for p in &s.phrases {
                let f = fold(p).as_string();
                if !f.is_empty() {
                    patterns.push(f);
                    owner.push((si, p.clone()));
                }
            }
        }
        let automaton = AhoCorasick::new(&patterns).map_err(|e| e.to_string())?;
        Ok(Triager {
            signals: file.signal,
            automaton,
            owner,
        })
    }

    /// Triages a batch; clusters are numbered within the batch.
    pub fn triage(
        &self,
        comments: &[Comment],
        settings: &Settings,
        now: Option<i64>,
    ) -> Vec<Triage> {
        let mut out: Vec<Triage> = comments
            .iter()
            .map(|c| self.triage_one(c, settings, now))
            .collect();
        let clusters = cluster::clusters(
            &comments.iter().map(|c| c.text.as_str()).collect::<Vec<_>>(),
            &out.iter()
                .map(|t| t.category == Category::Question)
                .collect::<Vec<_>>(),
        );
        for (t, c) in out.iter_mut().zip(clusters) {
            t.cluster = c;
        }
        out
    }

    fn triage_one(&self, c: &Comment, settings: &Settings, now: Option<i64>) -> Triage {
        let mut reasons = Vec::new();
        if c.is_mblog_author {
            return Triage {
                id: c.id.clone(),
                category: Category::Chatter,
                urgency: Urgency::Noise,
                score: 0,
                reasons: vec!["本账号（博主）自己的评论".into()],
                cluster: None,
            };
        }
        let folded = fold(&c.text).as_string();
        let mut votes = [0i32; 7];
        let mut critical = false;
        let mut matched: Vec<Vec<&str>> = vec![Vec::new(); self.signals.len()];
        for m in self.automaton.find_overlapping_iter(&folded) {
            let (si, phrase) = &self.owner[m.pattern().as_usize()];
            if !matched[*si].contains(&phrase.as_str()) {
                matched[*si].push(phrase);
            }
        }
        for (si, phrases) in matched.iter().enumerate() {
            if phrases.is_empty() {
                continue;
            }
            let s = &self.signals[si];
            votes[s.category as usize] += s.weight;
            critical |= s.critical;
            reasons.push(format!("{}：{}", s.reason, phrases.join("、")));
        }
        let (best, &weight) = votes
            .iter()
            .enumerate()
            .max_by_key(|&(i, w)| (*w, -(i as i32)))
            .expect("seven categories");
        let category = if weight == 0 {
            reasons.push("没有需要处理的内容".into());
            Category::Chatter
        } else {
            CATEGORIES[best]
        };
        let mut urgency = match category {
            Category::Safety => Urgency::Critical,
            Category::Complaint if critical => Urgency::Critical,
            Category::Complaint => Urgency::High,
            Category::Question => Urgency::Normal,
            Category::Suggestion | Category::Praise => Urgency::Low,
            Category::Chatter | Category::Spam => Urgency::Noise,
        };
        let mut bonus = 0;
        if urgency != Urgency::Noise {
            if c.followers >= 100_000 || c.verified {
                urgency = urgency.raised();
                bonus += 5;
                reasons.push(format!("有影响力的账号（粉丝 {}）", c.followers));
            }
            let watched: Vec<&str> = settings
                .watch_words
                .iter()
                .filter(|w| !w.is_empty() && folded.contains(&fold(w).as_string()))
                .map(String::as_str)
                .collect();
            if !watched.is_empty() {
                urgency = urgency.raised();
                bonus += 5;
                reasons.push(format!("关注词：{}", watched.join("、")));
            }
            if settings
                .vip_accounts
                .iter()
                .any(|v| Some(v) == c.user_id.as_ref() || Some(v) == c.user_name.as_ref())
            {
                urgency = urgency.raised();
                bonus += 5;
                reasons.push("重点客户".into());
            }
            if let (Some(now), Some(at)) = (now, c.created_at) {
                let minutes = (now - at) / 60;
                let target = match urgency {
                    Urgency::Critical => settings.targets.critical,
                    Urgency::High => settings.targets.high,
                    Urgency::Normal => settings.targets.normal,
                    _ => settings.targets.low,
                } as i64;
                if minutes > target {
                    bonus += 5;
                    reasons.push(format!("已等待 {} 分钟，超过目标 {} 分钟", minutes, target));
                }
            }
        }
        let score = (urgency.base_score() + bonus + weight.min(50) / 10).clamp(0, 100) as u32;
        Triage {
            id: c.id.clone(),
            category,
            urgency,
            score,
            reasons,
            cluster: None,
        }
    }
}

impl Default for Triager {
    fn default() -> Self {
        Triager::new()
    }
}

const CATEGORIES: [Category; 7] = [
    Category::Safety,
    Category::Complaint,
    Category::Question,
    Category::Suggestion,
    Category::Praise,
    Category::Chatter,
    Category::Spam,
];

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Triage {
        let t = Triager::new();
        t.triage(&[Comment::from_text(text)], &Settings::default(), None)
            .remove(0)
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
