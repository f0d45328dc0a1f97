//! Text folding: the normal form in which phrases are matched.
//!
//! People evade phrase lists with full-width letters (ＳＢ), case (Sb), and
//! separators slipped between the characters of a phrase (蠢 驴, 蠢*驴,
//! 蠢\u{200b}驴). Folding maps each character of the input to at most one
//! folded character and drops separators, remembering for every folded
//! character where it came from, so that a match in the folded text can be
//! reported at the original characters.
//!
//! This module owns the character mapping only; what counts as a word
//! boundary for Latin phrases is the matcher's business (`crate::matcher`).

/// Text after folding, with a map back to the original.
#[derive(Debug, Clone, Default)]
pub struct Folded {
    /// The folded characters, separators removed.
    pub chars: Vec<char>,
    /// For each folded character, the char index in the original text.
    pub origin: Vec<usize>,
    /// Number of chars in the original text.
    pub original_len: usize,
}

impl Folded {
    /// The folded text as a `String`.
    pub fn as_string(&self) -> String {
        self.chars.iter().collect()
    }
}

/// Folds `text`: see the module documentation.
pub fn fold(text: &str) -> Folded {
    let mut out = Folded::default();
    for (i, c) in text.chars().enumerate() {
        if let Some(f) = fold_char(c) {
            out.chars.push(f);
            out.origin.push(i);
        }
        out.original_len = i + 1;
    }
    out
}

/// Folds one character: `None` for a separator, else its folded form.
pub fn fold_char(c: char) -> Option<char> {
    if is_separator(c) {
        return None;
    }
    let c = match c as u32 {
        // Full-width ASCII variants.
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    Some(if c.is_ascii_uppercase() {
        c.to_ascii_lowercase()
    } else {
        c
    })
}

/// Characters that people insert inside a phrase to break it up: white
/// space, punctuation, symbols, zero-width characters.
pub fn is_separator(c: char) -> bool {
    if c.is_whitespace() || c.is_ascii_punctuation() {
        return true;
    }
    matches!(c as u32,
        0x200B..=0x200F | 0x2060..=0x2064 | 0xFEFF | 0x00AD
        | 0x3000..=0x3003 | 0x3008..=0x3011 | 0x3014..=0x301F
        | 0xFF01..=0xFF0F | 0xFF1A..=0xFF20 | 0xFF3B..=0xFF40 | 0xFF5B..=0xFF65
        | 0x2010..=0x2027 | 0x2030..=0x205E
        | 0x00B7 | 0x00D7 | 0x00F7
        | 0x2190..=0x23FF | 0x2500..=0x27BF | 0x1F000..=0x1FAFF | 0xFE0F)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_are_dropped_and_mapped_back() {
        let f = fold("蠢 *驴");
        assert_eq!(f.as_string(), "蠢驴");
        assert_eq!(f.origin, vec![0, 3]);
    }

    #[test]
    fn full_width_and_case_fold() {
        assert_eq!(fold("ＳＢ").as_string(), "sb");
        assert_eq!(fold("S.b").as_string(), "sb");
    }
}
