//! The normal form triage reads a comment in.
//!
//! Triage needs a different normal form from the phrase lists'
//! (`crate::fold`): it keeps the punctuation that carries meaning here (a
//! question mark, a run of exclamation marks, the brackets of a Weibo
//! emoticon `[怒]`, the `@` of a tag) and maps it to ASCII, so that one
//! lexicon entry `?` reads `？` and `?`. It also maps traditional characters
//! to simplified ones (`data/triage/t2s.txt`) and emoji to the Weibo
//! emoticon that means the same (`data/triage/emoji.txt`), and undoes the
//! commonest spam spelling (`+V`, `➕V信` for 加V). White space and other
//! symbols are dropped: they separate nothing that matters to triage and are
//! slipped into words to dodge filters.
//!
//! What the text *means* is the business of `signals`; its shape (emoticons
//! only, tags, links) of `form`.

use std::collections::HashMap;

/// The traditional → simplified pairs that ship with Kefu.
pub fn default_t2s() -> &'static str {
    crate::data::get("data/triage/t2s.txt")
}
/// The emoji → Weibo emoticon map that ships with Kefu.
pub fn default_emoji() -> &'static str {
    crate::data::get("data/triage/emoji.txt")
}

/// Character maps read from data files.
#[derive(Debug, Clone, Default)]
pub struct Normalizer {
    /// Traditional → simplified for the main CJK block, by offset from
    /// U+4E00 (0: no mapping); a direct table, as this runs on every
    /// character.
    cjk: Vec<u16>,
    t2s: HashMap<char, char>,
    emoji: HashMap<char, String>,
}

impl Normalizer {
    /// The maps that ship with Kefu.
    pub fn new() -> Normalizer {
        Normalizer::from_data(default_t2s(), default_emoji())
            .expect("the shipped maps parse (tested)")
    }

    /// Maps from the text of `t2s.txt` and `emoji.txt`.
    pub fn from_data(t2s: &str, emoji: &str) -> Result<Normalizer, String> {
        let mut n = Normalizer::default();
        for (line_no, line) in data_lines(t2s) {
            for token in line.split_whitespace() {
                let mut cs = token.chars();
                match (cs.next(), cs.next(), cs.next()) {
                    (Some(t), Some(s), None) => {
                        if t != s {
                            n.insert_t2s(t, s);
                        }
                    }
                    _ => {
                        return Err(format!(
                            "t2s.txt:{line_no}: `{token}` is not a pair of characters \
                             (traditional then simplified)"
                        ))
                    }
                }
            }
        }
        for (line_no, line) in data_lines(emoji) {
            let mut parts = line.split_whitespace();
            match (parts.next(), parts.next(), parts.next()) {
                (Some(e), Some(name), None) if e.chars().count() == 1 => {
                    n.emoji
                        .insert(e.chars().next().expect("one char"), name.to_string());
                }
                _ => {
                    return Err(format!(
                        "emoji.txt:{line_no}: expected one emoji, a space and an emoticon \
                         like `😡 [怒]`"
                    ))
                }
            }
        }
        Ok(n)
    }

    fn insert_t2s(&mut self, t: char, s: char) {
        match (cjk_offset(t), cjk_offset(s)) {
            (Some(ti), Some(si)) => {
                if self.cjk.is_empty() {
                    self.cjk = vec![0; CJK_LEN];
                }
                self.cjk[ti] = si as u16;
            }
            _ => {
                self.t2s.insert(t, s);
            }
        }
    }

    fn simplified(&self, c: char) -> char {
        if let Some(i) = cjk_offset(c) {
            match self.cjk.get(i) {
                Some(&s) if s != 0 => char::from_u32(0x4E00 + u32::from(s)).unwrap_or(c),
                _ => c,
            }
        } else if self.t2s.is_empty() {
            c
        } else {
            *self.t2s.get(&c).unwrap_or(&c)
        }
    }

    /// The normal form of `text` (see the module documentation).
    pub fn normalize(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            // Emoji live above U+2000; skip the lookup for everything else.
            if c as u32 >= 0x2000 && !is_cjk(c) {
                if let Some(name) = self.emoji.get(&c) {
                    out.push_str(name);
                    continue;
                }
            }
            let c = width(c);
            // `+V`, `➕V信`, `+vx`: a plus before a contact word means 加.
            if matches!(c, '+' | '➕') {
                if chars.peek().is_some_and(|&n| {
                    matches!(
                        width(n),
                        'v' | 'V' | 'w' | 'W' | 'q' | 'Q' | '微' | '薇' | '威'
                    )
                }) {
                    out.push('加');
                }
                continue;
            }
            match punctuation(c) {
                Some(Some(p)) => out.push(p),
                Some(None) => {}
                None => out.push(self.simplified(c.to_ascii_lowercase())),
            }
        }
        out
    }
}

const CJK_LEN: usize = 0x9FFF - 0x4E00 + 1;

fn is_cjk(c: char) -> bool {
    cjk_offset(c).is_some()
}

fn cjk_offset(c: char) -> Option<usize> {
    (c as usize).checked_sub(0x4E00).filter(|&i| i < CJK_LEN)
}

/// Non-comment, non-blank lines with their 1-based numbers.
pub(crate) fn data_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
}

/// Full-width ASCII to ASCII.
fn width(c: char) -> char {
    match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// `None`: not punctuation, keep the character. `Some(Some(p))`: write the
/// ASCII form `p`. `Some(None)`: drop it.
fn punctuation(c: char) -> Option<Option<char>> {
    Some(match c {
        '，' | '、' | ',' => Some(','),
        '。' | '.' | '…' | '｡' => Some('.'),
        '!' | '！' => Some('!'),
        '?' | '？' => Some('?'),
        ';' | '；' => Some(';'),
        ':' | '：' => Some(':'),
        '~' | '～' => Some('~'),
        '[' | '【' | '〔' => Some('['),
        ']' | '】' | '〕' => Some(']'),
        '(' | '（' => Some('('),
        ')' | '）' => Some(')'),
        '《' | '〈' | '》' | '〉' | '「' | '」' | '『' | '』' => Some(','),
        '@' | '#' | '/' | '%' | '$' | '&' | '=' | '_' | '-' => Some(c),
        '\n' | '\r' => Some(','),
        c if c.is_whitespace() => None,
        '"' | '\'' | '“' | '”' | '‘' | '’' | '`' | '*' | '^' | '|' | '\\' | '<' | '>' => {
            None
        }
        '·' | '•' | '・' | '×' | '÷' => None,
        c => match c as u32 {
            // Zero-width characters, soft hyphen, variation selectors, and
            // symbol and emoji blocks: slipped in to dodge filters.
            0x200B..=0x200F | 0x2060..=0x2064 | 0xFEFF | 0x00AD | 0xFE00..=0xFE0F => None,
            0x2190..=0x2BFF | 0x1F000..=0x1FAFF | 0xE0000..=0xE007F => None,
            _ => return None,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_maps_parse() {
        Normalizer::from_data(default_t2s(), default_emoji()).unwrap();
    }

    #[test]
    fn punctuation_width_and_script_are_normalised() {
        let n = Normalizer::new();
        assert_eq!(
            n.normalize("航班延誤了！！ 怎麼辦？"),
            "航班延误了!!怎么办?"
        );
        assert_eq!(n.normalize("【ＶＩＰ】好的😡"), "[vip]好的[怒]");
        assert_eq!(n.normalize("➕V信 领取"), "加v信领取");
        assert_eq!(n.normalize("1+1"), "11");
        assert_eq!(n.normalize("一丁"), "一丁");
    }

    #[test]
    fn bad_data_is_an_error_that_says_where() {
        let e = Normalizer::from_data("們们 個", "").unwrap_err();
        assert!(e.contains("t2s.txt:1"), "{e}");
        assert!(Normalizer::from_data("", "x").is_err());
    }
}
