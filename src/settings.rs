//! The team's settings (SPEC `--config`): one TOML format, read by the CLI
//! and edited in the extension's options page, which exports the same TOML.

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
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
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
}

impl Settings {
    /// Parses settings TOML; the error says where and what.
    pub fn from_toml(text: &str) -> Result<Settings, String> {
        toml::from_str(text).map_err(|e| e.to_string())
    }
}
