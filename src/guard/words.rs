//! Words and sentences of a draft, as the human-touch score counts them.
//!
//! **What a word is.** Chinese has no spaces, and a full dictionary
//! segmenter (jieba's is ~5 MB) does not fit the extension's 300 KiB wasm
//! budget. So a word is, in order:
//!
//! 1. a Weibo emoticon (`[心]`: brackets around 1–8 characters) or an emoji:
//!    one word;
//! 2. a run of Latin letters or digits (`APP`, `400`, `24`): one word;
//! 3. in a run of Chinese characters, the longest entry of a small word list
//!    (`data/tone/tone-words.txt`, ~250 entries: function words, pronouns,
//!    greetings, service vocabulary) starting at that character (forward
//!    maximum matching);
//! 4. otherwise two Chinese characters that no entry covers, or one where
//!    only one is left before the next entry (the mean Chinese word is about
//!    1.5–2 characters long, so pairs count words about right).
//!
//! Punctuation and spaces are not words. The count is what Flesch's formula
//! needs ("per 100 words"); it is not meant for anything that needs real
//! word boundaries.
//!
//! **What a sentence is.** Text up to and including `。！？!?；;…` or a line
//! break (runs of them end one sentence), or the end of the draft.

use crate::lists::PhraseList;
use crate::matcher::dictionary::Dictionary;

/// One sentence: char offsets, and its closing mark if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
    pub start: usize,
    pub end: usize,
    pub mark: Option<char>,
}

impl Sentence {
    pub fn span(&self) -> (usize, usize) {
        (self.start, self.end)
    }

    /// Ends in a question or an exclamation mark.
    pub fn is_question_or_exclamation(&self) -> bool {
        matches!(self.mark, Some('？' | '?' | '！' | '!'))
    }
}

fn ends_sentence(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '!' | '?' | '；' | ';' | '…' | '\n')
}

/// The sentences of `chars`, skipping empty ones.
pub fn sentences(chars: &[char]) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < chars.len() {
        if ends_sentence(chars[i]) {
            let mark = chars[i];
            while i < chars.len() && ends_sentence(chars[i]) {
                i += 1;
            }
            push_sentence(&mut out, chars, start, i, Some(mark));
            start = i;
        } else {
            i += 1;
        }
    }
    push_sentence(&mut out, chars, start, chars.len(), None);
    out
}

fn push_sentence(
    out: &mut Vec<Sentence>,
    chars: &[char],
    start: usize,
    end: usize,
    mark: Option<char>,
) {
    let has_content = chars[start..end]
        .iter()
        .any(|c| c.is_alphanumeric() || is_emoji(*c));
    if has_content {
        out.push(Sentence {
            start,
            end,
            mark: mark.filter(|m| *m != '\n' && *m != '…'),
        });
    }
}

/// Chinese characters (the unified ideographs and their extension A, and
/// the compatibility block).
pub fn is_han(c: char) -> bool {
    matches!(c as u32, 0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0xF900..=0xFAFF)
}

fn is_emoji(c: char) -> bool {
    matches!(c as u32, 0x1F300..=0x1FAFF | 0x2600..=0x27BF)
}

fn is_latin_or_digit(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(c as u32, 0xFF10..=0xFF19 | 0xFF21..=0xFF3A | 0xFF41..=0xFF5A)
}

/// Length of a Weibo emoticon (`[…]`) starting at `i`, if one does.
pub fn emoticon_len(chars: &[char], i: usize) -> Option<usize> {
    if chars.get(i) != Some(&'[') {
        return None;
    }
    let close = chars[i + 1..].iter().take(9).position(|&c| c == ']')?;
    let inner = &chars[i + 1..i + 1 + close];
    (!inner.is_empty() && inner.iter().all(|c| c.is_alphanumeric())).then_some(close + 2)
}

/// The segmenter: the word list compiled for forward maximum matching.
pub struct Segmenter {
    automaton: Option<Dictionary>,
}

impl Segmenter {
    /// A segmenter over every phrase of `words` (any rule).
    pub fn new(words: &PhraseList) -> Segmenter {
        let entries: Vec<&str> = words
            .rules
            .iter()
            .flat_map(|r| r.phrases.iter().map(String::as_str))
            .filter(|p| p.chars().all(is_han))
            .collect();
        let automaton = (!entries.is_empty())
            .then(|| Dictionary::new(&entries, true).expect("word list entries are plain strings"));
        Segmenter { automaton }
    }

    /// The words of `text` (whose chars are `chars`), as char spans.
    pub fn words(&self, text: &str, chars: &[char]) -> Vec<(usize, usize)> {
        // Dictionary entries found by leftmost-longest matching, as char spans.
        let mut entries: Vec<(usize, usize)> = Vec::new();
        if let Some(ac) = &self.automaton {
            let mut char_at = 0;
            let mut byte_at = 0;
            let mut byte_to_char = |b: usize| {
                while byte_at < b {
                    byte_at += text[byte_at..].chars().next().map_or(1, char::len_utf8);
                    char_at += 1;
                }
                char_at
            };
            for m in ac.leftmost_longest(text) {
                let s = byte_to_char(m.start);
                let e = byte_to_char(m.end);
                entries.push((s, e));
            }
        }
        let mut out = Vec::new();
        let mut next_entry = 0;
        let mut i = 0;
        while i < chars.len() {
            while next_entry < entries.len() && entries[next_entry].0 < i {
                next_entry += 1;
            }
            let entry_at = |p: usize| entries.get(next_entry).is_some_and(|e| e.0 == p);
            let c = chars[i];
            let len = if let Some(n) = emoticon_len(chars, i) {
                n
            } else if is_emoji(c) {
                1
            } else if is_latin_or_digit(c) {
                chars[i..]
                    .iter()
                    .take_while(|c| is_latin_or_digit(**c))
                    .count()
            } else if is_han(c) {
                if entry_at(i) {
                    entries[next_entry].1 - i
                } else if chars.get(i + 1).is_some_and(|c| is_han(*c)) && !entry_at(i + 1) {
                    2
                } else {
                    1
                }
            } else {
                i += 1;
                continue;
            };
            out.push((i, i + len));
            i += len;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::guard::lexicon::Lexicons;

    fn seg(text: &str) -> Vec<String> {
        let s = Segmenter::new(&Lexicons::builtin().words);
        let chars: Vec<char> = text.chars().collect();
        s.words(text, &chars)
            .into_iter()
            .map(|(a, b)| chars[a..b].iter().collect())
            .collect()
    }

    #[test]
    fn words_follow_the_list_then_pairs() {
        assert_eq!(
            seg("亲，我们第一时间为您处理哦[心]"),
            vec!["亲", "我们", "第一时间", "为", "您", "处理", "哦", "[心]"]
        );
        // 杯子碎 is not in the list: a pair, then one left before 了.
        assert_eq!(seg("杯子碎了"), vec!["杯子", "碎", "了"]);
        assert_eq!(seg("APP 24小时"), vec!["APP", "24", "小时"]);
    }

    #[test]
    fn sentences_end_at_marks_and_keep_them() {
        let chars: Vec<char> = "您好！请私信我们。。好吗？谢谢".chars().collect();
        let s = sentences(&chars);
        assert_eq!(s.len(), 4);
        assert_eq!(s[0].mark, Some('！'));
        assert_eq!((s[1].start, s[1].end), (3, 10));
        assert!(s[2].is_question_or_exclamation());
        assert_eq!(s[3].mark, None);
        assert!(sentences(&[]).is_empty());
    }
}
