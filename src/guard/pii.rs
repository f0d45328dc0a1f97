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
pub struct PiiDetector {
    address: Regex,
    name: Regex,
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
        let han = "\\u{4E00}-\\u{9FFF}";
        let number = "[0-9０-９]{1,5}";
        PiiDetector {
            address: Regex::new(&format!(
                "[{han}]{{0,12}}(?:路|街|大道|巷|弄|胡同){number}号(?:院|楼)?(?:[0-9０-９A-Za-z]{{1,4}}(?:栋|幢|座|号楼|单元|层|楼|室)?)*\
                 |[{han}]{{0,12}}{number}(?:栋|幢|号楼)[0-9０-９A-Za-z]{{0,4}}(?:单元[0-9０-９]{{0,5}}室?|[0-9０-９]{{2,5}}室?|室)"
            ))
            .expect("the address pattern compiles"),
            name: Regex::new(
                "[\u{4E00}-\u{9FFF}]{1,2}(?:先生|女士|小姐)|(?:收件人|收货人|联系人|姓名|乘客|客户)[:：]?[\u{4E00}-\u{9FFF}]{2,3}",
            )
            .expect("the name pattern compiles"),
        }
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
            let char_of = |b: usize| text[..b].chars().count();
            for m in self.address.find_iter(text) {
                let (mut s, e) = (char_of(m.start()), char_of(m.end()));
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
        if has_digit && self.name.is_match(text) {
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
