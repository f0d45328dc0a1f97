//! The team's settings (SPEC `--config`): one TOML format, read by the CLI
//! and edited in the extension's options page, which exports the same TOML.
//! Every key may be left out (it keeps its default); an unknown key is an
//! error, as it is usually a typo.
//!
//! ```toml
//! watch_words = ["小米", "隔壁家"]      # brand, products, competitors
//! vip_accounts = ["1234567890", "王小明"] # uids or screen names
//! hotlines = ["95555"]
//! influence_followers = 100000           # from this many followers on
//! influence_likes = 100                  # from this many likes on
//! media_markers = ["日报", "晚报", "新闻", "记者"]
//!
//! [targets]                              # response targets, minutes
//! critical = 15
//! high = 60
//! normal = 240
//! low = 1440
//!
//! [canned_replies]
//! question = ["亲，您好……"]
//!
//! [escalation]
//! safety = "safety@example.com"
//! ```

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Response targets in minutes, per urgency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Targets {
    pub critical: u32,
    pub high: u32,
    pub normal: u32,
    pub low: u32,
}

impl Default for Targets {
    fn default() -> Self {
        Targets {
            critical: 15,
            high: 60,
            normal: 240,
            low: 1440,
        }
    }
}

/// Everything a team lead sets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    /// Brand, product and competitor names that raise a comment's urgency.
    pub watch_words: Vec<String>,
    /// Weibo uids or screen names of key customers.
    pub vip_accounts: Vec<String>,
    /// Response targets per urgency, in minutes.
    pub targets: Targets,
    /// The company's public hotlines: not personal data.
    pub hotlines: Vec<String>,
    /// Canned replies per category.
    pub canned_replies: BTreeMap<String, Vec<String>>,
    /// Escalation contacts per category (an e-mail or URL).
    pub escalation: BTreeMap<String, String>,
    /// An author with at least this many followers is influential: their
    /// comment's urgency is raised one step.
    pub influence_followers: u64,
    /// A comment with at least this many likes is raised one step: many
    /// people agree with it, and it shows first under the post.
    pub influence_likes: u64,
    /// A screen name containing one of these is a media account (raised
    /// like an influential one).
    pub media_markers: Vec<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            watch_words: Vec::new(),
            vip_accounts: Vec::new(),
            targets: Targets::default(),
            hotlines: Vec::new(),
            canned_replies: BTreeMap::new(),
            escalation: BTreeMap::new(),
            influence_followers: 100_000,
            influence_likes: 100,
            media_markers: [
                "日报",
                "晚报",
                "早报",
                "时报",
                "周刊",
                "新闻",
                "电视台",
                "广播",
                "记者",
                "头条",
                "财经",
                "传媒",
                "媒体",
                "快讯",
            ]
            .map(String::from)
            .to_vec(),
        }
    }
}

impl Settings {
    /// Parses settings TOML; the error says where and what. Keys left out
    /// keep their defaults.
    #[cfg(feature = "authoring")]
    pub fn from_toml(text: &str) -> Result<Settings, String> {
        toml::from_str(text).map_err(|e| e.to_string())
    }

    /// The same settings as JSON (the options page's form, and what the
    /// engine in the page reads: it carries no TOML reader). Same rules:
    /// keys left out keep their defaults, unknown keys are errors.
    pub fn from_json(text: &str) -> Result<Settings, String> {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_example_parses() {
        let doc = include_str!("settings.rs");
        let example: String = doc
            .lines()
            .skip_while(|l| !l.starts_with("//! ```toml"))
            .skip(1)
            .take_while(|l| !l.starts_with("//! ```"))
            .map(|l| format!("{}\n", l.trim_start_matches("//!").trim_start()))
            .collect();
        let s = Settings::from_toml(&example).unwrap();
        assert_eq!(s.targets.high, 60);
        assert_eq!(s.escalation["safety"], "safety@example.com");
    }

    #[test]
    fn left_out_keys_keep_defaults_and_typos_are_errors() {
        let s = Settings::from_toml("watch_words = [\"小米\"]\n[targets]\nhigh = 30\n").unwrap();
        assert_eq!(s.watch_words, ["小米"]);
        assert_eq!(s.targets.high, 30);
        assert_eq!(s.targets.critical, 15);
        assert_eq!(s.influence_followers, 100_000);
        assert!(s.media_markers.contains(&"日报".to_string()));
        let e = Settings::from_toml("watch_word = []").unwrap_err();
        assert!(e.contains("watch_word"), "{e}");
    }

    #[test]
    fn json_reads_the_same_settings_as_toml() {
        let toml = Settings::from_toml("hotlines = [\"95555\"]\n[targets]\nhigh = 30\n").unwrap();
        let json =
            Settings::from_json(r#"{"hotlines": ["95555"], "targets": {"high": 30}}"#).unwrap();
        assert_eq!(toml, json);
        assert!(Settings::from_json(r#"{"hotline": []}"#)
            .unwrap_err()
            .contains("hotline"));
    }
}
