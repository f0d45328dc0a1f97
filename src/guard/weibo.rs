//! Weibo's own rules: length (`weibo/too-long`, label `too_long`) and
//! sameness (`weibo/repeated`, label `repeated`, 同质化), both warn.
//!
//! **Length**, counted Weibo's way: an ASCII character is 1, any other 2, a
//! link (`http://…`, `https://…`) 20 whatever its length; the sum is halved,
//! rounding up. A comment may be [`LIMIT`] long; the finding spans what lies
//! past the limit.
//!
//! **Sameness**: the draft is compared with the agent's recent replies
//! (the page remembers them and passes them in) after dropping what changes
//! between copies of one canned reply (@mentions, emoticons, punctuation,
//! spaces, case and width). Two texts are the same when the Dice coefficient
//! of their character bigrams is at least [`SAME`]; a draft the same as at
//! least [`REPEAT_AFTER`] recent replies is `repeated`. One earlier copy is
//! not yet 同质化.

use super::report::Finding;
use super::words::{emoticon_len, is_han};
use crate::fold::fold_char;
use crate::lists::Severity;

/// Weibo's comment limit, in Weibo characters.
pub const LIMIT: usize = 140;
/// What a link counts, in half characters.
const LINK_UNITS: usize = 20;
/// Bigram Dice coefficient from which two replies are the same.
pub const SAME: f64 = 0.8;
/// How many same recent replies make a draft `repeated`.
pub const REPEAT_AFTER: usize = 2;

/// The length in chars of a link starting at `chars[0]`, if one does.
fn link_len(chars: &[char]) -> Option<usize> {
    if !matches!(chars.first(), Some('h' | 'H')) {
        return None;
    }
    let scheme = ['h', 't', 't', 'p'];
    if chars.len() < 7
        || !chars[..4]
            .iter()
            .zip(scheme)
            .all(|(a, b)| a.to_ascii_lowercase() == b)
    {
        return None;
    }
    let rest = match chars[4] {
        's' | 'S' => &chars[5..],
        _ => &chars[4..],
    };
    if rest.len() < 3 || rest[..3] != [':', '/', '/'] {
        return None;
    }
    let head = chars.len() - rest.len() + 3;
    Some(
        head + chars[head..]
            .iter()
            .take_while(|c| c.is_ascii_graphic())
            .count(),
    )
}

/// For each char, the running Weibo length in half characters after it.
fn running_units(chars: &[char]) -> Vec<usize> {
    let mut out = Vec::with_capacity(chars.len());
    let mut units = 0;
    let mut i = 0;
    while i < chars.len() {
        let link = link_len(&chars[i..]);
        if let Some(len) = link {
            units += LINK_UNITS;
            for _ in 0..len {
                out.push(units);
            }
            i += len;
        } else {
            units += if chars[i].is_ascii() { 1 } else { 2 };
            out.push(units);
            i += 1;
        }
    }
    out
}

/// The length of a text as Weibo counts it.
pub fn weibo_length(chars: &[char]) -> usize {
    running_units(chars).last().map_or(0, |u| u.div_ceil(2))
}

/// `too_long` if the draft is past the limit.
pub fn too_long(chars: &[char]) -> Option<Finding> {
    let units = running_units(chars);
    let total = units.last().map_or(0, |u| u.div_ceil(2));
    if total <= LIMIT {
        return None;
    }
    let first_over = units.iter().position(|u| u.div_ceil(2) > LIMIT)?;
    Some(Finding::builtin(
        "weibo/too-long",
        "too_long",
        Severity::Warn,
        chars,
        (first_over, chars.len()),
        &format!("超过微博评论字数上限：{total}/{LIMIT} 字"),
        "精简到140字以内，细节可以私信说明",
    ))
}

/// The text as copies of one canned reply share it.
fn normalized(text: &str) -> Vec<char> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '@' {
            // A mention runs to the next space or punctuation.
            i += 1;
            while chars
                .get(i)
                .is_some_and(|c| c.is_alphanumeric() || *c == '_')
            {
                i += 1;
            }
            continue;
        }
        if let Some(n) = emoticon_len(&chars, i) {
            i += n;
            continue;
        }
        if let Some(c) = fold_char(chars[i]) {
            // Chinese characters first: `is_alphanumeric` looks them up in
            // a Unicode table, which is most of the time of this loop.
            if is_han(c) || c.is_alphanumeric() {
                out.push(c);
            }
        }
        i += 1;
    }
    out
}

/// The character bigrams of a normalized text, sorted (a multiset).
fn bigrams(chars: &[char]) -> Vec<u64> {
    let key = |a: char, b: char| (a as u64) << 32 | b as u64;
    let mut out: Vec<u64> = if chars.len() == 1 {
        vec![key(chars[0], '\0')]
    } else {
        chars.windows(2).map(|w| key(w[0], w[1])).collect()
    };
    crate::sort::sort_unstable(&mut out);
    out
}

/// Dice coefficient of two sorted bigram multisets.
fn dice(a: &[u64], b: &[u64]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut common) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    2.0 * common as f64 / (a.len() + b.len()) as f64
}

/// Dice coefficient of two texts' character bigrams (1.0 for the same).
pub fn similarity(a: &str, b: &str) -> f64 {
    let (a, b) = (normalized(a), normalized(b));
    if a == b {
        return 1.0;
    }
    dice(&bigrams(&a), &bigrams(&b))
}

/// `repeated` if the draft is the same as enough recent replies.
pub fn repeated(draft: &str, chars: &[char], recent: &[String]) -> Option<Finding> {
    if recent.len() < REPEAT_AFTER {
        return None;
    }
    let mine = normalized(draft);
    if mine.is_empty() {
        return None;
    }
    let my_bigrams = bigrams(&mine);
    let same = recent
        .iter()
        .filter(|r| {
            let theirs = normalized(r);
            // Dice can reach SAME only if the lengths are close enough.
            let (a, b) = (mine.len().min(theirs.len()), mine.len().max(theirs.len()));
            if theirs == mine {
                true
            } else if (2 * a) as f64 / (a + b).max(1) as f64 >= SAME {
                dice(&my_bigrams, &bigrams(&theirs)) >= SAME
            } else {
                false
            }
        })
        .count();
    (same >= REPEAT_AFTER).then(|| {
        Finding::builtin(
            "weibo/repeated",
            "repeated",
            Severity::Warn,
            chars,
            (0, chars.len()),
            &format!("和最近的 {same} 条回复几乎一样，微博会把同质化内容降权"),
            "换个说法，写上客户的具体问题和下一步",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn weibo_counts_ascii_half_and_links_as_ten() {
        assert_eq!(weibo_length(&chars("你好")), 2);
        assert_eq!(weibo_length(&chars("abc")), 2);
        assert_eq!(
            weibo_length(&chars("看 https://example.com/a/very/long/path")),
            12
        );
        assert!(too_long(&chars(&"好".repeat(140))).is_none());
        let f = too_long(&chars(&"好".repeat(141))).unwrap();
        assert_eq!((f.start, f.end), (140, 141));
    }

    #[test]
    fn canned_copies_are_the_same_and_once_is_not_repeated() {
        let canned = "亲，非常抱歉！请私信订单号哦";
        assert_eq!(similarity(canned, &format!("@小王 {canned}[心]")), 1.0);
        assert!(similarity(canned, "您好，明天发货") < SAME);
        let once = vec![canned.to_string(), "谢谢".to_string()];
        assert!(repeated(canned, &chars(canned), &once).is_none());
        let twice = vec![canned.to_string(), format!("{canned}～")];
        assert!(repeated(canned, &chars(canned), &twice).is_some());
    }
}
