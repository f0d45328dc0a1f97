//! Kefu (客服): the core of a browser extension for the agents who answer
//! customers on Weibo.
//!
//! It does two jobs (see `SPEC.md` in the shared folder, and the README):
//!
//! - **Triage** ([`triage`]): every incoming comment gets a category, an
//!   urgency, a score and the reasons, and comments that ask the same thing
//!   share a cluster.
//! - **Reply guard** ([`guard`]): a draft reply is checked for banned phrases
//!   ([`lists`], [`matcher`]) and tone before it is posted.
//!
//! The core knows nothing of the browser. The wasm boundary (`wasm`, built
//! only for `wasm32`) and the `kefu` command line (`src/main.rs`) are thin
//! layers over the same functions, so everything the extension does can be
//! tested natively and from the command line.
//!
//! # Modules
//!
//! - [`fold`]: the normal form text is matched in (width, case, separators).
//! - [`lists`]: parsing and checking the phrase-list files.
//! - [`matcher`]: compiled lists, finding many phrases at once.
//! - [`guard`]: the reply check, its report and verdict; tone.
//! - [`triage`]: comment triage and clustering.
//! - [`settings`]: the team's settings (`--config`).
//! - [`jsonl`]: the command line's JSON Lines, streamed.

pub mod data;
pub mod fold;
pub mod guard;
pub mod jsonl;
pub mod lists;
pub mod matcher;
pub mod settings;
pub mod sort;
pub mod triage;

#[cfg(target_arch = "wasm32")]
pub mod wasm;
