//! The human-touch (人情味) score: Flesch's Human Interest formula adapted
//! to Chinese Weibo replies.
//!
//! Flesch (1948): HI = 3.635 × personal words per 100 words + 0.314 ×
//! personal sentences per 100 sentences, read on bands from "dull" to
//! "dramatic". (The study behind Kefu prints 3.365, a typo.) Adapted so:
//!
//! - **Words** are counted by `super::words` (word list + pairs).
//! - **Personal words** are the `address` and `personal` signals (您, 你, 亲,
//!   大家, 我们, 小编 …, not 它), and, because Weibo replies carry their
//!   warmth in them, friendly particles (呀/哦/呢/啦 …) and warm Weibo
//!   emoticons ([心], [抱抱] …). Overlapping hits count once (我们 is one
//!   word, not 我 + 我们). Each `impersonal` hit (该客户, 此客人, 本店, 我司 …)
//!   counts −1: naming the customer in the third person is the opposite of
//!   a personal word. The count never goes below zero.
//! - **Personal sentences** (Flesch: questions, commands and requests to the
//!   reader, exclamations, direct speech) are sentences that end in ？ or ！,
//!   or carry a friendly particle, a warm emoticon or a greeting, or address
//!   the reader and ask something of them (请, 麻烦, 好吗 …).
//! - **Hostility is not human interest.** 你 in an insult is a personal word
//!   to Flesch's formula, so the score could rise with the insult. A
//!   sentence that holds an insult, blame or sarcasm finding counts no
//!   personal word and is no personal sentence (it is listed among what
//!   lowered the score); each such finding counts −1 personal word; and
//!   while any stands, the score is capped at 9, the top of the "dull"
//!   band. So the score and its band never praise a draft the findings
//!   condemn.
//! - The score is rounded and capped to 0–100; the bands are Flesch's:
//!   0–9 dull, 10–19 mildly interesting, 20–39 interesting, 40–59 highly
//!   interesting, 60–100 dramatic.
//! - **An empty draft has no score**: nothing was written, so nothing is
//!   dull. Its score is 0 and its band is `none` (the SPEC's JSON shape
//!   keeps `tone.score` a number); the page shows no score for it.
//!
//! The report lists what raised the score (each personal word and personal
//! sentence) and what lowered it (each impersonal word, each sentence with
//! no personal word that is not a personal sentence, each hostile
//! sentence).

use super::draft::Draft;
use super::lexicon::Signal;
use super::report::ScoreItem;

/// The score of one draft, with its parts.
#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    pub score: u32,
    pub band: &'static str,
    pub words: usize,
    pub personal_words: usize,
    pub sentences: usize,
    pub personal_sentences: usize,
    pub raised: Vec<ScoreItem>,
    pub lowered: Vec<ScoreItem>,
}

/// The band of a draft with nothing in it: no score is shown.
pub const NO_BAND: &str = "none";

/// The highest score of a draft with an insult, blame or sarcasm finding:
/// the top of the "dull" band.
pub const HOSTILE_CAP: u32 = 9;

/// Flesch's band for a score.
pub fn band(score: u32) -> &'static str {
    match score {
        0..=9 => "dull",
        10..=19 => "mildly interesting",
        20..=39 => "interesting",
        40..=59 => "highly interesting",
        _ => "dramatic",
    }
}

/// Merges overlapping spans, each tagged with a reason.
fn merged(mut spans: Vec<((usize, usize), &'static str)>) -> Vec<((usize, usize), &'static str)> {
    crate::sort::sort_by_key(&mut spans, |&((s, e), _)| (s, std::cmp::Reverse(e)));
    let mut out: Vec<((usize, usize), &'static str)> = Vec::new();
    for (span, why) in spans {
        match out.last_mut() {
            Some((last, _)) if span.0 < last.1 => last.1 = last.1.max(span.1),
            _ => out.push((span, why)),
        }
    }
    out
}

/// Scores a draft of `words` words, given the spans of its insult, blame
/// and sarcasm findings (`hostile`).
pub fn score(draft: &Draft<'_>, words: usize, hostile: &[(usize, usize)]) -> Score {
    let sig = &draft.signals;
    if words == 0 || draft.sentences.is_empty() {
        return Score {
            score: 0,
            band: NO_BAND,
            words,
            personal_words: 0,
            sentences: draft.sentences.len(),
            personal_sentences: 0,
            raised: Vec::new(),
            lowered: Vec::new(),
        };
    }
    // Sentences that hold a hostile finding.
    let hostile_sentence: Vec<bool> = draft
        .sentences
        .iter()
        .map(|s| hostile.iter().any(|&(a, b)| a < s.end && s.start < b))
        .collect();
    let in_hostile = |at: usize| {
        draft
            .sentence_index_at(at)
            .is_some_and(|i| hostile_sentence[i])
    };
    let item = |span: (usize, usize), reason: &str| ScoreItem {
        start: span.0,
        end: span.1,
        text: draft.slice(span),
        reason: reason.to_string(),
    };
    let mut personal = Vec::new();
    for (signal, why) in [
        (Signal::Address, "称呼读者的人称词"),
        (Signal::Personal, "人称词"),
        (Signal::Particle, "亲切的语气词"),
        (Signal::EmoticonWarm, "亲切的表情"),
    ] {
        personal.extend(
            sig.get(signal)
                .iter()
                .filter(|&&(s, _)| !in_hostile(s))
                .map(|&s| (s, why)),
        );
    }
    personal.extend(
        sig.get(Signal::EmoticonPlayful)
            .iter()
            .filter(|&&(s, _)| !in_hostile(s))
            .map(|&s| (s, "俏皮的表情")),
    );
    let personal = merged(personal);
    let impersonal = merged(
        sig.get(Signal::Impersonal)
            .iter()
            .map(|&s| (s, ""))
            .collect(),
    );
    let personal_words = personal
        .len()
        .saturating_sub(impersonal.len())
        .saturating_sub(hostile.len());

    let mut raised: Vec<ScoreItem> = personal.iter().map(|&(s, why)| item(s, why)).collect();
    let mut lowered: Vec<ScoreItem> = impersonal
        .iter()
        .map(|&(s, _)| item(s, "用第三人称指客户或自称机构，拉开距离"))
        .collect();
    let mut personal_sentences = 0;
    for (i, s) in draft.sentences.iter().enumerate() {
        let span = s.span();
        if hostile_sentence[i] {
            lowered.push(item(span, "这句在指责、挖苦或辱骂读者，人称词不算人情味"));
            continue;
        }
        let why = if s.is_question_or_exclamation() {
            Some("问句或感叹句")
        } else if sig.within(Signal::Particle, span)
            || sig.within(Signal::EmoticonWarm, span)
            || sig.within(Signal::EmoticonPlayful, span)
        {
            Some("带语气词或表情的句子")
        } else if sig.within(Signal::Greeting, span) {
            Some("问候或致谢")
        } else if sig.within(Signal::Address, span) && sig.within(Signal::Request, span) {
            Some("对读者的请求")
        } else {
            None
        };
        match why {
            Some(why) => {
                personal_sentences += 1;
                raised.push(item(span, why));
            }
            // `personal` is disjoint and in order: the first span starting
            // in the sentence ends first.
            None if personal[personal.partition_point(|&((a, _), _)| a < s.start)..]
                .first()
                .is_none_or(|&((_, b), _)| b > s.end) =>
            {
                lowered.push(item(span, "这句没有人称词，也不是对读者说的"));
            }
            None => {}
        }
    }
    crate::sort::sort_by_key(&mut raised, |i| (i.start, i.end));
    crate::sort::sort_by_key(&mut lowered, |i| (i.start, i.end));
    let hi = 3.635 * personal_words as f64 * 100.0 / words as f64
        + 0.314 * personal_sentences as f64 * 100.0 / draft.sentences.len().max(1) as f64;
    let mut score = hi.round().clamp(0.0, 100.0) as u32;
    if !hostile.is_empty() {
        score = score.min(HOSTILE_CAP);
    }
    Score {
        score,
        band: band(score),
        words,
        personal_words,
        sentences: draft.sentences.len(),
        personal_sentences,
        raised,
        lowered,
    }
}
