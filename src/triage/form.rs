//! The shape of a comment, read from its raw text before normalisation:
//! whose words they are, whom it tags, whether it is only emoticons, whether
//! it carries a link or a contact handle, how it shouts.
//!
//! Weibo conventions this reads:
//! - `回复@name:` starts a reply inside a thread: the rest is the comment.
//! - `//@name:` starts a repost chain: what follows is other people's
//!   words, still about the company: read in full when the commenter's own
//!   layer says nothing of its own (转发, +1), at reduced weight beside own
//!   words, a danger in it always in full (`signals`).
//! - `@name` elsewhere tags someone (the names are kept: a tag of a
//!   newspaper escalates); a comment that *starts* with a tag is addressed
//!   to a friend, not to the company — unless the name is the brand's or an
//!   organisation's (`Triager`).
//! - `#话题#` is a topic: a complaint inside one is public already
//!   (`signals`).
//! - `[怒]` is an emoticon.
//!
//! The words themselves are the business of `signals`.

/// What the shape of a comment says.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Form {
    /// The commenter's own words, tags removed.
    pub own: String,
    /// Reposted words (after the first `//@`), tags removed.
    pub chain: String,
    /// The comment starts with a tag: it talks to a friend (unless the tag
    /// is the brand's: `Triager` decides, with the team's settings).
    pub to_friend: bool,
    /// The name of the tag it starts with, if it does.
    pub first_tag: String,
    /// Accounts the repost chain passed through (`//@name:`).
    pub chain_names: Vec<String>,
    /// Accounts tagged in the commenter's own words (`@name`): a tag of a
    /// newspaper or a regulator is an escalation (`Triager`).
    pub tag_names: Vec<String>,
    /// Number of `@` tags.
    pub tags: usize,
    /// Letters, digits and CJK characters in `own`, emoticons excluded.
    pub letters: usize,
    /// It has emoticons.
    pub emoticons: usize,
    /// A link (http, www., t.cn).
    pub link: bool,
    /// A contact handle: Latin letters then 3+ digits, or 6+ digits.
    pub handle: bool,
    /// A clause of 6+ characters said twice: what bots post (and angry
    /// people, whose other words outweigh this).
    pub repeated: bool,
    /// A unit of one to three characters said 3+ times in a row
    /// (啊啊啊, 退款退款退款), laughter (哈, 呵, 嘻) and digits aside.
    pub stutter: bool,
    /// Longest run of `!`/`！` and of `?`/`？`.
    pub bangs: usize,
    pub questions: usize,
}

/// Comments longer than this many bytes are read up to it: a Weibo comment
/// is far shorter, and some steps grow faster than the text.
pub const MAX_BYTES: usize = 16 * 1024;

/// Reads the shape of `text`.
pub fn read(text: &str) -> Form {
    let mut cut = text.len().min(MAX_BYTES);
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let mut text = text[..cut].trim();
    // A reply inside a thread: `回复@name:rest`.
    if let Some(rest) = text.strip_prefix("回复@") {
        if let Some(i) = rest.find([':', '：']) {
            text = rest[i + rest[i..].chars().next().map_or(1, char::len_utf8)..].trim();
        }
    }
    // A byte search: `str::find` sets up a two-way searcher, costly for a
    // short needle in every comment.
    let repost = text.as_bytes().windows(3).position(|w| w == b"//@");
    let (own, chain) = match repost {
        Some(i) => (&text[..i], &text[i..]),
        None => (text, ""),
    };
    let mut f = Form::default();
    if let Some(tagged) = own.trim_start().strip_prefix('@') {
        f.to_friend = true;
        f.first_tag = tagged[..tagged.find(ends_tag).unwrap_or(tagged.len())].to_string();
    }
    let (own_clean, own_tags) = strip_tags(own);
    let (chain_clean, chain_tags) = strip_tags(chain);
    if !chain.is_empty() {
        f.chain_names = chain
            .split("//@")
            .skip(1)
            .filter_map(|part| part.split([':', '：']).next())
            .map(|name| name.trim().to_string())
            .filter(|name| !name.is_empty())
            .collect();
    }
    if own_tags > 0 {
        f.tag_names = own
            .split('@')
            .skip(1)
            .map(|part| &part[..part.find(ends_tag).unwrap_or(part.len())])
            .filter(|name| !name.is_empty())
            .map(str::to_string)
            .collect();
    }
    f.tags = own_tags + chain_tags;
    f.own = own_clean;
    f.chain = chain_clean;
    // Links and handles are Latin: most comments have no Latin letter at all.
    if text.bytes().any(|b| b.is_ascii_alphabetic()) {
        f.link = ["http", "www.", "t.cn"]
            .iter()
            .any(|n| contains_ignore_case(text, n));
    }
    if f.own.bytes().any(|b| b.is_ascii_digit()) {
        f.handle = has_handle(&f.own);
    }
    let t = tally(&f.own);
    (f.letters, f.emoticons, f.stutter) = (t.letters, t.emoticons, t.stutter);
    (f.bangs, f.questions) = (t.bangs, t.questions);
    f.repeated = t.repeated;
    f
}

fn contains_ignore_case(hay: &str, needle: &str) -> bool {
    hay.as_bytes()
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// Removes `@name` tags (up to white space, punctuation or a colon).
fn strip_tags(s: &str) -> (String, usize) {
    // Most comments tag no one and repost nothing: a copy will do.
    if !s.bytes().any(|b| b == b'@' || b == b'/') {
        return (s.to_string(), 0);
    }
    let mut out = String::with_capacity(s.len());
    let mut tags = 0;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '@' {
            tags += 1;
            while let Some(&n) = chars.peek() {
                if ends_tag(n) {
                    break;
                }
                chars.next();
            }
        } else if c == '/' && chars.peek() == Some(&'/') {
            chars.next();
        } else {
            out.push(c);
        }
    }
    (out, tags)
}

/// Whether `c` ends a tag's name (`@name`).
fn ends_tag(c: char) -> bool {
    c.is_whitespace() || c == ':' || c == '：' || c == '@' || is_punct(c)
}

fn is_punct(c: char) -> bool {
    matches!(
        c,
        ',' | '，'
            | '。'
            | '.'
            | '!'
            | '！'
            | '?'
            | '？'
            | '、'
            | ';'
            | '；'
            | '['
            | '【'
            | ']'
            | '】'
    )
}

/// A letter, digit or CJK character, fast for the common cases (the
/// standard library's table lookup is slow for CJK).
pub fn is_letter(c: char) -> bool {
    match c as u32 {
        0..=0x7F => c.is_ascii_alphanumeric(),
        0x4E00..=0x9FFF | 0x3400..=0x4DBF => true,
        // General and CJK punctuation, full-width punctuation: common in
        // comments, and never letters.
        0x2000..=0x206F | 0x3000..=0x3004 | 0x3008..=0x3020 | 0xFF01..=0xFF0F => false,
        _ => c.is_alphanumeric(),
    }
}

fn has_handle(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_alphanumeric() {
            let start = i;
            while i < b.len() && b[i].is_ascii_alphanumeric() {
                i += 1;
            }
            let word = &b[start..i];
            let digits = word.iter().rev().take_while(|c| c.is_ascii_digit()).count();
            let letters = word.len() - digits;
            if (letters > 0 && digits >= 3 && word[..letters].iter().all(u8::is_ascii_alphabetic))
                || (letters == 0 && digits >= 6)
            {
                return true;
            }
        } else {
            i += 1;
        }
    }
    false
}

/// What one pass over a comment's own words counts (see [`Form`]).
#[derive(Default)]
struct Tally {
    letters: usize,
    emoticons: usize,
    stutter: bool,
    repeated: bool,
    bangs: usize,
    questions: usize,
}

/// Clauses for [`Form::repeated`]: the earlier ones of 6+ characters, as
/// byte spans. A comment has a handful; past 32 the rest are not kept.
struct Clauses {
    spans: [(usize, usize); 32],
    count: usize,
}

impl Clauses {
    /// Ends the clause `s[start..end]` of `chars` characters; whether an
    /// earlier clause said the same.
    fn end(&mut self, s: &str, start: usize, end: usize, chars: usize) -> bool {
        if chars < 6 {
            return false;
        }
        let clause = &s[start..end];
        if self.spans[..self.count]
            .iter()
            .any(|&(a, b)| &s[a..b] == clause)
        {
            return true;
        }
        if self.count < self.spans.len() {
            self.spans[self.count] = (start, end);
            self.count += 1;
        }
        false
    }
}

fn tally(s: &str) -> Tally {
    let mut t = Tally::default();
    // Inside an emoticon until this byte: its name is not letters.
    let mut emoticon_end = 0;
    // The last nine letters for `stutter` (laughter and digits aside), a
    // ring: the newest at `seen % 9`.
    let mut ring = ['\0'; 9];
    let mut seen = 0usize;
    let (mut bang_run, mut question_run) = (0, 0);
    let mut clauses = Clauses {
        spans: [(0, 0); 32],
        count: 0,
    };
    // The clause being read: where it starts, how many characters so far.
    let (mut clause_start, mut clause_chars) = (0, 0);
    for (i, c) in s.char_indices() {
        if i >= emoticon_end && (c == '[' || c == '【') {
            // An emoticon name is short: `[怒]`, `[笑cry]`, `[good]`.
            let name = &s[i + c.len_utf8()..];
            if let Some((j, close)) = name
                .char_indices()
                .take(6)
                .find(|&(_, c)| c == ']' || c == '】')
            {
                t.emoticons += 1;
                emoticon_end = i + c.len_utf8() + j + close.len_utf8();
            }
        }
        match c {
            '!' | '！' => {
                bang_run += 1;
                question_run = 0;
                t.bangs = t.bangs.max(bang_run);
            }
            '?' | '？' => {
                question_run += 1;
                bang_run = 0;
                t.questions = t.questions.max(question_run);
            }
            _ => {
                bang_run = 0;
                question_run = 0;
            }
        }
        if is_punct(c) || c.is_whitespace() || c == '-' {
            t.repeated |= clauses.end(s, clause_start, i, clause_chars);
            clause_start = i + c.len_utf8();
            clause_chars = 0;
            continue;
        }
        clause_chars += 1;
        if !is_letter(c) {
            continue;
        }
        if i >= emoticon_end {
            t.letters += 1;
        }
        if t.stutter || c.is_ascii_digit() || matches!(c, '哈' | '呵' | '嘻' | '嘿' | 'h' | 'H')
        {
            continue;
        }
        ring[seen % 9] = c;
        seen += 1;
        // w(0) is the newest letter, w(1) the one before, …
        let w = |back: usize| ring[(seen + 8 - back) % 9];
        // A unit of one to three characters three times in a row (a unit
        // of two or three not itself one character repeated).
        t.stutter = (seen >= 3 && w(0) == w(1) && w(1) == w(2))
            || (seen >= 6
                && w(0) == w(2)
                && w(2) == w(4)
                && w(1) == w(3)
                && w(3) == w(5)
                && w(0) != w(1))
            || (seen >= 9
                && w(0) == w(3)
                && w(3) == w(6)
                && w(1) == w(4)
                && w(4) == w(7)
                && w(2) == w(5)
                && w(5) == w(8)
                && w(1) != w(2));
    }
    t.repeated |= clauses.end(s, clause_start, s.len(), clause_chars);
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repost_chain_and_tags_are_separated() {
        let f = read("太过分了@Rexzhenghao  //@Janie_Zhang:招行最近负面新闻越来越多呀");
        assert_eq!(f.own.trim(), "太过分了");
        assert_eq!(f.chain, ":招行最近负面新闻越来越多呀");
        assert_eq!(f.tags, 2);
        assert_eq!(f.chain_names, ["Janie_Zhang"]);
        assert_eq!(f.tag_names, ["Rexzhenghao"]);
        assert!(!f.to_friend);
    }

    #[test]
    fn a_reply_prefix_is_not_a_tag_to_a_friend() {
        let f = read("回复@小王:还没到账");
        assert_eq!(f.own, "还没到账");
        assert!(!f.to_friend);
        let f = read("@室友 今晚点这个？");
        assert!(f.to_friend);
        assert_eq!(f.first_tag, "室友");
        assert_eq!(read(" @小米官方：在吗").first_tag, "小米官方");
    }

    #[test]
    fn emoticons_links_handles_and_runs() {
        let f = read("[哈哈][哈哈]");
        assert_eq!((f.letters, f.emoticons), (0, 2));
        assert!(read("点击 http://t.cn/A6x").link);
        assert!(read("加vx：sd6688").handle);
        assert!(!read("买了3台了").handle);
        assert!(read("首次换装就出错？首次换装就出错？---").repeated);
        assert!(!read("好吃,好吃").repeated);
        assert!(read("气死了啊啊啊").stutter && read("退款退款退款!").stutter);
        assert!(read("钱呢钱呢钱呢").stutter);
        assert!(
            !read("哈哈哈哈").stutter && !read("等了3333秒").stutter && !read("好好吃").stutter
        );
        let f = read("到底什么时候？？？都一个月了！！！！");
        assert_eq!((f.questions, f.bangs), (3, 4));
    }
}
