//! The normal form triage reads a comment in.
//!
//! Triage needs a different normal form from the phrase lists'
//! (`crate::fold`): it keeps the punctuation that carries meaning here (a
//! question mark, a run of exclamation marks, the brackets of a Weibo
//! emoticon `[怒]`, the `@` of a tag) and maps it to ASCII, so that one
//! lexicon entry `?` reads `？` and `?`. Every other character goes through
//! `crate::fold`'s table: traditional to simplified (OpenCC's), full width
//! and case, look-alike letters, and the symbols slipped into words to
//! dodge filters dropped. Emoji become the Weibo emoticon that means the
//! same (`data/triage/emoji.txt`), and the commonest spam spelling is
//! undone (`+V`, `➕V信` for 加V).
//!
//! What the text *means* is the business of `signals`; its shape (emoticons
//! only, tags, links) of `form`.

/// The emoji → Weibo emoticon map that ships with Kefu.
pub fn default_emoji() -> &'static str {
    crate::data::get("data/triage/emoji.txt")
}

/// The emoji map read from its data file; the rest is `crate::fold`'s.
#[derive(Debug, Clone, Default)]
pub struct Normalizer {
    /// Emoji → emoticon, sorted by emoji (a binary search: a few dozen
    /// entries, looked up for every character above U+2000).
    emoji: Vec<(char, String)>,
}

impl Normalizer {
    /// The map that ships with Kefu.
    pub fn new() -> Normalizer {
        Normalizer::from_data(default_emoji()).expect("the shipped map parses (tested)")
    }

    /// A normalizer from the text of `emoji.txt`.
    pub fn from_data(emoji: &str) -> Result<Normalizer, String> {
        let mut n = Normalizer::default();
        for (line_no, line) in data_lines(emoji) {
            let mut parts = line.split_whitespace();
            match (parts.next(), parts.next(), parts.next()) {
                (Some(e), Some(name), None) if e.chars().count() == 1 => {
                    n.emoji
                        .push((e.chars().next().expect("one char"), name.to_string()));
                }
                _ => {
                    return Err(format!(
                        "emoji.txt:{line_no}: expected one emoji, a space and an emoticon \
                         like `😡 [怒]`"
                    ))
                }
            }
        }
        crate::sort::sort_by_key(&mut n.emoji, |e| e.0);
        Ok(n)
    }

    fn emoticon(&self, c: char) -> Option<&str> {
        self.emoji
            .binary_search_by_key(&c, |e| e.0)
            .ok()
            .map(|i| self.emoji[i].1.as_str())
    }

    /// The normal form of `text` (see the module documentation).
    pub fn normalize(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        self.normalize_into(text, &mut out);
        out
    }

    /// Appends the normal form of `text` to `out`.
    pub fn normalize_into(&self, text: &str, out: &mut String) {
        let fold = crate::fold::table();
        let mut chars = text.char_indices().peekable();
        // Latin letters or digits at the end of `out` (the word being
        // written), and whether white space was dropped since.
        let mut word = 0usize;
        let mut space = false;
        while let Some((i, c)) = chars.next() {
            // Most of a comment: a Chinese character, only folded.
            if is_cjk(c) {
                if let Some(f) = crate::fold::fold_with(fold, c) {
                    out.push(f);
                }
                (word, space) = (0, false);
                continue;
            }
            // Emoji live above U+2000; skip the lookup for everything else.
            if c as u32 >= 0x2000 {
                if let Some(name) = self.emoticon(c) {
                    out.push_str(name);
                    (word, space) = (0, false);
                    continue;
                }
            }
            let c = width(c);
            // `+V`, `➕V信`, `+vx`: a plus before a contact word means 加.
            if matches!(c, '+' | '➕') {
                if chars.peek().is_some_and(|&(_, n)| {
                    matches!(
                        width(n),
                        'v' | 'V' | 'w' | 'W' | 'q' | 'Q' | '微' | '薇' | '威'
                    )
                }) {
                    out.push('加');
                    (word, space) = (0, false);
                }
                continue;
            }
            match punctuation(c) {
                Some(Some(p)) => {
                    out.push(p);
                    (word, space) = (0, false);
                }
                // White space between two Latin words is kept (one space),
                // so that English reads word by word ("lost my passport");
                // between single letters (v x, q q) it is an evasion, and
                // goes.
                Some(None) => space |= word > 0 && c.is_whitespace(),
                // Simplified, lower case, look-alikes read; `None`: a
                // separator.
                None => {
                    if let Some(f) = crate::fold::fold_with(fold, c) {
                        if f.is_ascii_alphanumeric() {
                            if space && (word > 1 || next_word(text, i) > 1) {
                                out.push(' ');
                                word = 0;
                            }
                            word += 1;
                        } else {
                            word = 0;
                        }
                        space = false;
                        out.push(f);
                    }
                }
            }
        }
    }
}

/// Latin letters and digits from byte `at` of `text`, up to two.
fn next_word(text: &str, at: usize) -> usize {
    text.as_bytes()[at..]
        .iter()
        .take(2)
        .take_while(|b| b.is_ascii_alphanumeric())
        .count()
}

const CJK_LEN: usize = 0x9FFF - 0x4E00 + 1;

fn is_cjk(c: char) -> bool {
    (c as usize).wrapping_sub(0x4E00) < CJK_LEN
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
        Normalizer::from_data(default_emoji()).unwrap();
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
        // English keeps its word breaks; spaced-out single letters do not.
        assert_eq!(n.normalize("I need a  Wheelchair!"), "i need a wheelchair!");
        assert_eq!(n.normalize("加 v x 看看"), "加vx看看");
        assert_eq!(n.normalize("航班 delay 了"), "航班delay了");
        assert_eq!(n.normalize("一丁"), "一丁");
        // Through crate::fold's OpenCC table: Taiwan and Hong Kong forms too.
        assert_eq!(n.normalize("裡面 着 著"), "里面着着");
    }

    #[test]
    fn bad_data_is_an_error_that_says_where() {
        let e = Normalizer::from_data("# emoji\n😡 [怒]\nx").unwrap_err();
        assert!(e.contains("emoji.txt:3"), "{e}");
    }
}
