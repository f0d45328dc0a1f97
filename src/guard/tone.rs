//! The human-touch (人情味) score: Flesch's Human Interest formula adapted
//! to Chinese replies.
//!
//! HI = 3.635 × personal words per 100 words + 0.314 × personal sentences
//! per 100 sentences, capped to 0–100. For now a "word" is approximated as
//! one Chinese character or one Latin word, divided by 1.5 (the mean length
//! of a Chinese word in characters); personal words are the pronouns and
//! forms of address below; a personal sentence is a question, an
//! exclamation, or a sentence with a friendly particle or a Weibo emoticon.

/// What the score found.
pub struct ToneScore {
    pub score: u32,
    pub band: &'static str,
    /// No personal word and nothing warm at all.
    pub cold: bool,
}

const PERSONAL: &[&str] = &[
    "您",
    "你",
    "我们",
    "我",
    "咱",
    "亲",
    "大家",
    "各位",
    "小伙伴",
    "宝宝",
];
const PARTICLES: &[char] = &['呀', '哦', '呢', '啦', '哈', '啊', '耶', '噢', '嘛'];

/// Flesch's bands, renamed for replies.
fn band(score: u32) -> &'static str {
    match score {
        0..=9 => "dull",
        10..=19 => "mildly interesting",
        20..=39 => "interesting",
        40..=59 => "highly interesting",
        _ => "dramatic",
    }
}

/// Scores a draft.
pub fn score(draft: &str) -> ToneScore {
    let han = draft
        .chars()
        .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
        .count();
    let latin_words = draft
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .count();
    let words = (han as f64 / 1.5 + latin_words as f64).max(1.0);
    let mut personal = 0usize;
    for p in PERSONAL {
        personal += draft.matches(p).count();
    }
    // "我们" also counted "我": count the longer form once.
    personal -= draft.matches("我们").count().min(personal);
    let sentences: Vec<&str> = draft
        .split_inclusive(['。', '！', '？', '!', '?', '\n', '；'])
        .filter(|s| !s.trim().is_empty())
        .collect();
    let n_sent = sentences.len().max(1);
    let personal_sentences = sentences
        .iter()
        .filter(|s| {
            s.contains(['？', '?', '！', '!'])
                || s.contains(PARTICLES)
                || (s.contains('[') && s.contains(']'))
        })
        .count();
    let hi = 3.635 * personal as f64 * 100.0 / words
        + 0.314 * personal_sentences as f64 * 100.0 / n_sent as f64;
    let score = hi.round().clamp(0.0, 100.0) as u32;
    ToneScore {
        score,
        band: band(score),
        cold: personal == 0 && personal_sentences == 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warm_beats_bureaucratic() {
        let warm = score("亲，您好呀！我们马上帮您查一下订单哦[心]");
        let dull = score("根据相关规定，请按流程处理。");
        assert!(warm.score > dull.score);
        assert!(dull.cold);
        assert!(!warm.cold);
    }
}
