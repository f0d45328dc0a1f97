//! Personal data in a public reply (label `pii`, severity block, rule ids
//! `pii/…`). Each finding suggests moving the matter to 私信.
//!
//! What is found, and how:
//!
//! - `pii/mobile`: a Chinese mobile number, 11 digits starting 13–19
//!   (optionally +86), written with or without spaces or hyphens between
//!   digit groups, in ASCII or full-width digits.
//! - `pii/id-card`: an 18-character resident ID whose birth date is
//!   plausible and whose check character (ISO 7064 MOD 11-2) is right.
//! - `pii/bank-card`: 16–19 digits starting 3–6 that pass the Luhn check,
//!   unless an order or tracking word (订单, 单号, 编号 …) stands right before.
//! - `pii/email`: an e-mail address.
//! - `pii/address`: a street address down to the house (路/街/巷 + number +
//!   号) or the building and its unit or room (18栋702, 3号楼2单元; a
//!   building alone, 1号楼, is not an address), unless a word for a shop or
//!   the company (店, 门店, 公司, 酒店 …) stands right before it: a shop's
//!   public address is not personal data.
//! - `pii/order-with-name`: an order number (订单号 … followed by 6 or more
//!   letters or digits) in a draft that also names a person (王先生, 李女士,
//!   收件人张伟 …).
//!
//! Not personal data: masked numbers (138****5678: the mask breaks the
//! run), the last digits alone, codes that mix letters and digits
//! (SF1234567890), landlines (they start with 0), and the company's own
//! public contacts (`hotlines` in the team settings, compared digit by
//! digit, or as e-mail addresses).

use super::report::Finding;
use crate::lists::Severity;
use regex::Regex;

const MESSAGE_SUGGESTION: &str = "改为私信沟通，公开回复里不要出现客户信息";

/// The compiled detectors.
///
/// The address patterns are anchored and tried only where they can start
/// (a street word, a number): the Han place name before them is walked back
/// by hand. Unanchored, a pattern that starts with a class of Chinese
/// characters cost ~40 µs a draft in this build's regex engine (no lazy
/// DFA, no literal prefilter), most of the whole check.
pub struct PiiDetector {
    /// 路/街/巷 … + number + 号, and what follows (楼, 单元, 室 …).
    street: Regex,
    /// number + 栋/幢/号楼 + unit or room.
    building: Regex,
    /// A whole keyword-led address the old way, for the differential test.
    #[cfg(test)]
    address: Regex,
}

/// Characters of the place name before an address (the address patterns'
/// `[\u{4E00}-\u{9FFF}]{0,12}`).
const PLACE_MAX: usize = 12;

fn is_cjk(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

/// Words that name a person next to an order number: a surname before
/// 先生/女士/小姐, or a label before the name.
const HONORIFICS: &[&str] = &["先生", "女士", "小姐"];
const NAME_LABELS: &[&str] = &["收件人", "收货人", "联系人", "姓名", "乘客", "客户"];

/// Whether `chars` names a person: one or two Chinese characters before
/// 先生/女士/小姐, or 收件人/姓名 … (and an optional colon) before two or three.
fn names_a_person(chars: &[char]) -> bool {
    let at = |i: usize, w: &str| {
        w.chars()
            .enumerate()
            .all(|(k, c)| chars.get(i + k) == Some(&c))
    };
    (0..chars.len()).any(|i| {
        (i > 0 && is_cjk(chars[i - 1]) && HONORIFICS.iter().any(|h| at(i, h)))
            || NAME_LABELS.iter().any(|l| {
                if !at(i, l) {
                    return false;
                }
                let mut j = i + l.chars().count();
                if matches!(chars.get(j), Some(':' | '：')) {
                    j += 1;
                }
                chars.get(j).is_some_and(|&c| is_cjk(c))
                    && chars.get(j + 1).is_some_and(|&c| is_cjk(c))
            })
    })
}

impl Default for PiiDetector {
    fn default() -> Self {
        PiiDetector::new()
    }
}

fn digit(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => None,
    }
}

fn is_group_separator(c: char) -> bool {
    matches!(c, ' ' | '-' | '‐' | '－' | '—' | '\u{3000}')
}

fn is_code_char(c: char) -> bool {
    c.is_ascii_alphabetic() || matches!(c, '*' | '＊' | '×' | 'Ｘ' | '_')
}

/// A run of digits (with separators between groups), as char span and
/// digits, the last possibly `X` (ID cards).
struct Run {
    start: usize,
    end: usize,
    digits: String,
}

fn digit_runs(chars: &[char]) -> Vec<Run> {
    let mut runs = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if digit(chars[i]).is_none() {
            i += 1;
            continue;
        }
        let start = i;
        let mut digits = String::new();
        let mut end = i;
        while i < chars.len() {
            if let Some(d) = digit(chars[i]) {
                digits.push(char::from_digit(d, 10).expect("a digit"));
                i += 1;
                end = i;
            } else if is_group_separator(chars[i])
                && chars.get(i + 1).and_then(|c| digit(*c)).is_some()
            {
                i += 1;
            } else {
                break;
            }
        }
        if digits.len() == 17 && matches!(chars.get(end), Some('X' | 'x' | 'Ｘ')) {
            digits.push('X');
            end += 1;
            i = end;
        }
        // A run inside a code (SF123…, 138****5678) is not a number.
        let before = start.checked_sub(1).map(|p| chars[p]);
        let after = chars.get(end).copied();
        if !before.is_some_and(is_code_char) && !after.is_some_and(is_code_char) {
            runs.push(Run { start, end, digits });
        }
    }
    runs
}

fn is_mobile(d: &str) -> bool {
    let d = d.strip_prefix("86").filter(|r| r.len() == 11).unwrap_or(d);
    d.len() == 11 && d.starts_with('1') && matches!(d.as_bytes()[1], b'3'..=b'9')
}

fn is_id_card(d: &str) -> bool {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    let b = d.as_bytes();
    if b.len() != 18 || !b[..17].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let num = |r: std::ops::Range<usize>| d[r].parse::<u32>().unwrap_or(0);
    let (year, month, day) = (num(6..10), num(10..12), num(12..14));
    if !(1900..=2100).contains(&year) || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return false;
    }
    let sum: u32 = b[..17]
        .iter()
        .zip(WEIGHTS)
        .map(|(c, w)| (c - b'0') as u32 * w)
        .sum();
    CHECK[(sum % 11) as usize] == b[17].to_ascii_uppercase()
}

fn passes_luhn(d: &str) -> bool {
    let mut sum = 0;
    for (i, c) in d.bytes().rev().enumerate() {
        let mut n = (c - b'0') as u32;
        if i % 2 == 1 {
            n *= 2;
            if n > 9 {
                n -= 9;
            }
        }
        sum += n;
    }
    sum % 10 == 0
}

/// Whether one of `words` ends within `window` chars before `at`.
fn preceded_by(chars: &[char], at: usize, window: usize, words: &[&str]) -> bool {
    let from = at.saturating_sub(window);
    let before: String = chars[from..at].iter().collect();
    words.iter().any(|w| before.contains(w))
}

const ORDER_WORDS: &[&str] = &[
    "订单",
    "单号",
    "编号",
    "运单",
    "流水号",
    "会员号",
    "工单",
    "批次",
];
const BUSINESS_WORDS: &[&str] = &[
    "店",
    "公司",
    "酒店",
    "商场",
    "营业厅",
    "总部",
    "办公",
    "网点",
    "仓库",
    "门市",
];

impl PiiDetector {
    pub fn new() -> PiiDetector {
        // Not the Han script property: the crate's regex features leave the
        // script tables out (they would weigh on the wasm build).
        let number = "[0-9０-９]{1,5}";
        let street = format!(
            "(?:路|街|大道|巷|弄|胡同){number}号(?:院|楼)?(?:[0-9０-９A-Za-z]{{1,4}}(?:栋|幢|座|号楼|单元|层|楼|室)?)*"
        );
        let building = format!(
            "{number}(?:栋|幢|号楼)[0-9０-９A-Za-z]{{0,4}}(?:单元[0-9０-９]{{0,5}}室?|[0-9０-９]{{2,5}}室?|室)"
        );
        let anchored =
            |p: &str| Regex::new(&format!("^(?:{p})")).expect("the address patterns compile");
        PiiDetector {
            street: anchored(&street),
            building: anchored(&building),
            #[cfg(test)]
            address: Regex::new(&format!(
                "[\\u{{4E00}}-\\u{{9FFF}}]{{0,12}}(?:{street})|[\\u{{4E00}}-\\u{{9FFF}}]{{0,12}}(?:{building})"
            ))
            .expect("the address pattern compiles"),
        }
    }

    /// Street addresses as (start, end) char spans, before the shop check:
    /// what `[\u{4E00}-\u{9FFF}]{0,12}(?:STREET|BUILDING)` finds left to right,
    /// tried only where a street word or a number starts.
    fn addresses(&self, text: &str, chars: &[char]) -> Vec<(usize, usize)> {
        let mut byte = Vec::with_capacity(chars.len() + 1);
        let mut b = 0;
        for c in chars {
            byte.push(b);
            b += c.len_utf8();
        }
        byte.push(b);
        let mut out: Vec<(usize, usize)> = Vec::new();
        let mut done = 0; // no match may start before the end of the last
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            let street_word = matches!(c, '路' | '街' | '巷' | '弄' | '大' | '胡');
            // A number of at most five digits (from here to the end of the
            // run) before 栋/幢/号楼.
            let number_start = digit(c).is_some() && {
                let run = chars[i..]
                    .iter()
                    .take_while(|&&c| digit(c).is_some())
                    .count();
                run <= 5 && matches!(chars.get(i + run), Some('栋' | '幢' | '号'))
            };
            if !street_word && !number_start {
                i += 1;
                continue;
            }
            let rest = &text[byte[i]..];
            let m = if street_word {
                self.street.find(rest)
            } else {
                self.building.find(rest)
            };
            let Some(m) = m else {
                i += 1;
                continue;
            };
            // The place name: up to 12 Chinese characters right before.
            let mut start = i;
            while start > done && i - start < PLACE_MAX && is_cjk(chars[start - 1]) {
                start -= 1;
            }
            let end = i + text[byte[i]..byte[i] + m.end()].chars().count();
            out.push((start, end));
            done = end;
            i = end;
        }
        out
    }

    /// The personal data in `text` (whose chars are `chars`), skipping the
    /// company's `hotlines`.
    pub fn findings(&self, text: &str, chars: &[char], hotlines: &[String]) -> Vec<Finding> {
        let mut out = Vec::new();
        let hotline_digits: Vec<String> = hotlines
            .iter()
            .map(|h| {
                h.chars()
                    .filter_map(digit)
                    .filter_map(|d| char::from_digit(d, 10))
                    .collect::<String>()
            })
            .filter(|d| d.len() >= 5)
            .collect();
        let mut push = |rule: &str, span: (usize, usize), message: &str| {
            out.push(Finding::builtin(
                rule,
                "pii",
                Severity::Block,
                chars,
                span,
                message,
                MESSAGE_SUGGESTION,
            ));
        };
        // Numbers: mobiles, ID cards, bank cards.
        let has_digit = chars.iter().any(|c| digit(*c).is_some());
        if has_digit {
            for run in digit_runs(chars) {
                let d = run.digits.as_str();
                if hotline_digits.iter().any(|h| d.contains(h.as_str())) {
                    continue;
                }
                let span = (run.start, run.end);
                let order = preceded_by(chars, run.start, 6, ORDER_WORDS);
                if is_mobile(d) {
                    push("pii/mobile", span, "公开回复里有手机号");
                } else if !order && is_id_card(d) {
                    push("pii/id-card", span, "公开回复里有身份证号");
                } else if !order
                    && (16..=19).contains(&d.len())
                    && matches!(d.as_bytes()[0], b'3'..=b'6')
                    && passes_luhn(d)
                {
                    push("pii/bank-card", span, "公开回复里有银行卡号");
                }
            }
        }
        // E-mail addresses.
        for (at, _) in chars
            .iter()
            .enumerate()
            .filter(|(_, c)| **c == '@' || **c == '＠')
        {
            let is_local =
                |c: &char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-');
            let start = at - chars[..at].iter().rev().take_while(|c| is_local(c)).count();
            let end = at
                + 1
                + chars[at + 1..]
                    .iter()
                    .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'))
                    .count();
            let domain: String = chars[at + 1..end].iter().collect();
            let domain = domain.trim_end_matches(['.', '-']);
            let end = at + 1 + domain.chars().count();
            let tld_ok = domain.rsplit_once('.').is_some_and(|(host, tld)| {
                !host.is_empty() && tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic())
            });
            if start == at || !tld_ok {
                continue;
            }
            let email: String = chars[start..end].iter().collect();
            if hotlines
                .iter()
                .any(|h| h.trim().eq_ignore_ascii_case(&email))
            {
                continue;
            }
            push("pii/email", (start, end), "公开回复里有电子邮箱");
        }
        // Street addresses.
        if has_digit {
            for (mut s, e) in self.addresses(text, chars) {
                // Start after the last verb-like word before the place name.
                if let Some(p) = chars[s..e].iter().rposition(|c| {
                    matches!(c, '往' | '到' | '为' | '是' | '在' | '至' | '：' | ':')
                }) {
                    s += p + 1;
                }
                if s >= e || preceded_by(chars, s, 6, BUSINESS_WORDS) {
                    continue;
                }
                push("pii/address", (s, e), "公开回复里有详细地址");
            }
        }
        // Order numbers next to a name.
        if has_digit && names_a_person(chars) {
            let mut found = false;
            for kw in ["订单号", "订单编号", "订单"] {
                let kw_chars: Vec<char> = kw.chars().collect();
                let mut i = 0;
                while i + kw_chars.len() <= chars.len() {
                    if chars[i..i + kw_chars.len()] != kw_chars[..] {
                        i += 1;
                        continue;
                    }
                    let mut s = i + kw_chars.len();
                    while s < chars.len() && matches!(chars[s], ':' | '：' | ' ' | '#') {
                        s += 1;
                    }
                    let e = s + chars[s..]
                        .iter()
                        .take_while(|c| c.is_ascii_alphanumeric() || digit(**c).is_some())
                        .count();
                    if e - s >= 6 && chars[s..e].iter().any(|c| digit(*c).is_some()) {
                        found = true;
                        push(
                            "pii/order-with-name",
                            (s, e),
                            "订单号和客户姓名一起出现在公开回复里",
                        );
                    }
                    i = e.max(i + 1);
                }
                if found {
                    break;
                }
            }
        }
        crate::sort::sort_by_key(&mut out, |f| (f.start, f.end));
        out.dedup_by(|a, b| a.start < b.end && b.start < a.end);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(text: &str, hotlines: &[&str]) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        let hotlines: Vec<String> = hotlines.iter().map(|s| s.to_string()).collect();
        PiiDetector::new()
            .findings(text, &chars, &hotlines)
            .into_iter()
            .map(|f| format!("{}:{}", f.rule, f.text))
            .collect()
    }

    /// The anchored search finds what the one unanchored address pattern
    /// found, on texts built at random from the pieces of addresses.
    #[test]
    fn anchored_addresses_are_the_unanchored_patterns_matches() {
        let pieces = [
            "北京市",
            "朝阳区",
            "建国路",
            "88号",
            "2单元",
            "301室",
            "18栋",
            "702",
            "1号楼",
            "科技园",
            "寄到",
            "门店",
            "总府路",
            "2号",
            "大道",
            "胡同",
            "弄",
            "巷",
            "街",
            "３",
            "号",
            "楼",
            "室",
            "是",
            "，",
            "A",
            "12345",
            "幢",
            "座",
            "院",
            "层",
            "单元",
            "大",
            "路",
            "在",
            "。",
            "6",
            "中华人民共和国",
            "号楼",
        ];
        let d = PiiDetector::new();
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..20_000 {
            let mut text = String::new();
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            for _ in 0..(seed >> 60) + 2 {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                text.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
            }
            let chars: Vec<char> = text.chars().collect();
            let char_of = |b: usize| text[..b].chars().count();
            let old: Vec<(usize, usize)> = d
                .address
                .find_iter(&text)
                .map(|m| (char_of(m.start()), char_of(m.end())))
                .collect();
            assert_eq!(d.addresses(&text, &chars), old, "{text}");
        }
    }

    #[test]
    fn a_person_is_named_by_an_honorific_or_a_label() {
        let named = |t: &str| names_a_person(&t.chars().collect::<Vec<_>>());
        assert!(named("王先生您好"));
        assert!(named("收件人：张伟"));
        assert!(named("乘客李雷"));
        assert!(!named("先生您好"));
        assert!(!named("客户：A1"));
        assert!(!named("联系人"));
    }

    #[test]
    fn checksums_decide_ids_and_cards() {
        assert!(is_id_card("11010519491231002X"));
        assert!(!is_id_card("110105194912310021"));
        assert!(passes_luhn("6222021234567890128"));
        assert!(!passes_luhn("6222021234567890129"));
    }

    #[test]
    fn numbers_are_found_through_separators_and_width() {
        assert_eq!(
            rules("电话138-1234-5678", &[]),
            ["pii/mobile:138-1234-5678"]
        );
        assert_eq!(rules("手机１３６１２３４５６７８", &[]).len(), 1);
        assert!(rules("手机138****5678", &[]).is_empty());
        assert!(rules("单号SF1234567890123", &[]).is_empty());
        assert!(rules("热线400-820-8820或13812345678", &["13812345678"]).is_empty());
    }

    #[test]
    fn emails_addresses_and_named_orders() {
        assert_eq!(
            rules("发到a.b_1@163.com。", &[]),
            ["pii/email:a.b_1@163.com"]
        );
        assert!(rules("写信到service@x.com", &["service@x.com"]).is_empty());
        assert_eq!(
            rules("已经寄往北京市朝阳区建国路88号2单元301室，请查收", &[]),
            ["pii/address:北京市朝阳区建国路88号2单元301室"]
        );
        assert!(rules("门店地址在总府路2号", &[]).is_empty());
        assert_eq!(
            rules("寄到科技园18栋702", &[]),
            ["pii/address:科技园18栋702"]
        );
        assert!(rules("1号楼中央空调", &[]).is_empty());
        assert_eq!(
            rules("王先生，订单号 20231105123 已发货", &[]),
            ["pii/order-with-name:20231105123"]
        );
        assert!(rules("订单号20231105123已发货", &[]).is_empty());
    }
}
