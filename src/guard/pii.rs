//! Personal data in a public reply (label `pii`, severity block, rule ids
//! `pii/…`). Every finding says in Chinese what it found and suggests moving
//! the matter to 私信.
//!
//! What is found:
//!
//! - `pii/mobile`: a Chinese mobile number, 11 digits starting 13–19
//!   (optionally +86 or 0086), in ASCII, full-width or Chinese numerals
//!   (一三八…, 幺, 壹) or mixed, written whole or in groups split by spaces,
//!   hyphens, dots, emoji, Weibo emoticons ([心]) or a filler word
//!   (138 口 1234 口 5678: then in groups of three or more).
//! - `pii/id-card`: an 18-character resident ID (the last may be X or x)
//!   whose birth date is plausible and whose check character (ISO 7064 MOD
//!   11-2) is right, also in groups; the old 15-digit form (province code
//!   and date checked); an 18-character ID with a wrong check character
//!   right after an ID word (身份证, 证件号, ID).
//! - `pii/bank-card`: 16–19 digits starting 3–6 that pass the Luhn check,
//!   unless an order or tracking word (订单, 单号, 编号 …) stands right before.
//! - `pii/email`: an e-mail address, also obfuscated: `＠`, `[at]`, `(at)`,
//!   ` at `, `#` before a mail provider, dots as `．`, `[dot]`, ` dot `, 点.
//! - `pii/address`: a street address down to the house (路/街/巷 + number +
//!   号) or the building and its unit or room (18栋702, 3号楼2单元; a
//!   building alone, 1号楼, is not an address); a residential compound with
//!   its building and unit or room (阳光小区6栋2单元; 小区 + building alone
//!   beside an address word such as 地址, 寄到, 上门); a village house
//!   (李家村三组15号); a dormitory room (宿舍412); in English, a house
//!   number on a street (No. 18 Jianguo Road, 120 Huaihai Road) and a room,
//!   flat or unit beside one or beside "ship/deliver/mailed to". Not when a
//!   word for a shop or the company (店, 门店, 公司, 服务中心, store, office …)
//!   stands right before: a shop's public address is not personal data.
//! - `pii/passport`, `pii/travel-permit`, `pii/driving-licence`,
//!   `pii/social-security`: the document's number right after its word
//!   (护照 E12345678; 港澳通行证 C…, 台胞证, 回乡证; 驾驶证/驾照; 社保卡,
//!   医保卡, 公积金, SSN).
//! - `pii/wechat-qq`: a private WeChat id or QQ number right after 微信/vx/
//!   QQ, unless the account is the company's (官方, 客服, 公众号, 我们 … before
//!   it, or one of the team's `hotlines`).
//!
//! With a person's name in the same draft (a surname and given name after a
//! label such as 收件人, 乘客, 患者, 户名; a surname and 先生/女士/同学 …; a
//! name greeted at the start; Mr./Ms. + name), these identify the person
//! and are found too:
//!
//! - `pii/order-with-name`: an order or tracking number (订单号, 运单号, 单号
//!   …, or a courier code such as SF1234567890);
//! - `pii/student-number-with-name` (学号, 准考证号), `pii/policy-with-name`
//!   (保单号, 合同编号, 申请编号), `pii/bank-account-with-name` (账号 or 卡号
//!   in a draft about a bank account);
//! - `pii/landline-with-name`: a landline (0 + area code) not introduced by
//!   a shop's or the company's word;
//! - `pii/plate-with-name` (京A·12345, new-energy 粤BD12345),
//!   `pii/vin-with-name` (17 characters without I, O, Q, after 车架号/VIN or
//!   with a right check digit);
//! - `pii/health-with-name`: a diagnosis or medical condition (糖尿病, 乳腺癌,
//!   抑郁症 …; not 防癌险, not a department such as 糖尿病专科);
//! - `pii/seat-with-name`: a seat (12A座) with a flight or train number;
//! - `pii/room-with-name`: a hotel room (1208房间, 房号2306, Room 1203) or a
//!   hospital bed (12床);
//! - `pii/birthday-with-name`: a birthday or birth date with its date;
//! - `pii/salary-debt-with-name`: a salary, income, debt, arrears or loan
//!   with its amount (月薪8000元, 欠款12,000元, 房贷还有35万);
//! - `pii/address-with-name`: a street-level address after an address word
//!   (地址成都市武侯区科华北路, 您家（朝阳区望京西园小区）).
//!
//! Not personal data: masked numbers (138****5678, E1234****: the mask
//! breaks the run), the last digits alone, codes that mix letters and
//! digits where a number is expected (SF1234567890 alone), tracking and
//! order numbers alone, a name alone, a shop's or the company's landline,
//! address, WeChat or QQ, and the company's own public contacts (`hotlines`
//! in the team settings, compared digit by digit, or as e-mail addresses
//! and account ids).
//!
//! Speed: the detector runs on every keystroke. One pass over the chars
//! classifies them (digits, Chinese numerals, Latin letters) and finds the
//! keywords through a bitmap of their first characters; each detector then
//! runs only where its trigger occurred, so a draft with no digit, letter or
//! keyword costs that one pass. The address patterns are anchored and tried
//! only where they can start (see [`PiiDetector`]).

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
    /// The keywords every other detector starts from.
    keywords: Keywords,
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

/// A char as keywords and codes are compared: full-width ASCII as ASCII,
/// Latin letters in lower case.
#[inline(always)]
fn norm(c: char) -> char {
    if c.is_ascii() {
        c.to_ascii_lowercase()
    } else if ('\u{FF01}'..='\u{FF5E}').contains(&c) {
        char::from_u32(c as u32 - 0xFEE0).map_or(c, |c| c.to_ascii_lowercase())
    } else if c == '\u{3000}' {
        ' '
    } else {
        c
    }
}

fn is_latin_or_digit(c: char) -> bool {
    norm(c).is_ascii_alphanumeric()
}

#[inline(always)]
fn digit(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => None,
    }
}

/// A digit as people write one out in a phone number: ASCII, full-width,
/// or a Chinese numeral (幺 for 1, 两 for 2, the financial forms 壹贰叁 …).
fn numeral(c: char) -> Option<u32> {
    if c.is_ascii() || !in_bitmap(&NUMERAL_BITS, c) {
        return digit(c);
    }
    digit(c).or(match c {
        '零' | '〇' => Some(0),
        '一' | '幺' | '壹' => Some(1),
        '二' | '两' | '贰' => Some(2),
        '三' | '叁' => Some(3),
        '四' | '肆' => Some(4),
        '五' | '伍' => Some(5),
        '六' | '陆' => Some(6),
        '七' | '柒' => Some(7),
        '八' | '捌' => Some(8),
        '九' | '玖' => Some(9),
        _ => None,
    })
}

/// The Chinese numerals of [`numeral`], for [`NUMERAL_BITS`].
const NUMERALS: [char; 22] = [
    '零', '〇', '一', '幺', '壹', '二', '两', '贰', '三', '叁', '四', '肆', '五', '伍', '六', '陆',
    '七', '柒', '八', '捌', '九', '玖',
];

/// A 4096-bit set of chars by their low 12 bits: one test rules most chars
/// out before a slower exact test.
const fn bitmap(chars: &[char]) -> [u64; 64] {
    let mut bits = [0u64; 64];
    let mut i = 0;
    while i < chars.len() {
        let b = chars[i] as usize & 4095;
        bits[b / 64] |= 1 << (b % 64);
        i += 1;
    }
    bits
}

const NUMERAL_BITS: [u64; 64] = bitmap(&NUMERALS);

#[inline(always)]
fn in_bitmap(bits: &[u64; 64], c: char) -> bool {
    let b = c as usize & 4095;
    bits[b / 64] >> (b % 64) & 1 == 1
}

fn is_group_separator(c: char) -> bool {
    matches!(
        c,
        ' ' | '-' | '‐' | '－' | '—' | '\u{3000}' | '.' | '．' | '·'
    )
}

fn is_code_char(c: char) -> bool {
    c.is_ascii_alphabetic() || matches!(c, '*' | '＊' | '×' | 'Ｘ' | 'ｘ' | '_')
}

fn is_mask(c: char) -> bool {
    matches!(c, '*' | '＊' | '×')
}

/// Emoji and pictographs that people put between the digits of a number to
/// get it past a filter.
fn is_emoji(c: char) -> bool {
    let u = c as u32;
    u >= 0x1F000
        || (0x2190..=0x2BFF).contains(&u)
        || matches!(
            c,
            '\u{FE0F}' | '\u{200D}' | '\u{20E3}' | '~' | '～' | '|' | '^'
        )
}

// ---------------------------------------------------------------------------
// Keywords

/// What a keyword says.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kw {
    IdCard,
    Passport,
    Permit,
    Licence,
    Social,
    WeChat,
    Qq,
    /// The company's own channel (官方, 客服, 公众号 …).
    Official,
    Student,
    Policy,
    Account,
    Bank,
    Order,
    Vin,
    Health,
    Birthday,
    Money,
    Room,
    Bed,
    Seat,
    AddressCue,
    /// 先生, 女士, 同学 … after a surname.
    Honorific,
    /// 收件人, 乘客, 患者 … before a name.
    NameLabel,
    /// 客户, 会员, 亲爱的 … before a name that a boundary ends (客户付款后
    /// is no name).
    WeakLabel,
    /// Mr, Ms, Mrs … before an English name.
    Title,
    /// 小区, 花园, 公寓 …: a residential compound.
    Compound,
    /// Road, Street, Room, Apt …: the words of an English address.
    EnglishAddress,
    Village,
    Dorm,
}

/// Keywords, written as [`norm`] leaves them (Latin in lower case). A
/// keyword of Latin letters matches only between non-letters.
const KEYWORDS: &[(Kw, &[&str])] = &[
    (
        Kw::IdCard,
        &[
            "身份证",
            "身份證",
            "证件号",
            "證件號",
            "证件号码",
            "身份号码",
            "id",
        ],
    ),
    (Kw::Passport, &["护照", "護照", "passport"]),
    (
        Kw::Permit,
        &[
            "通行证",
            "通行證",
            "台胞证",
            "台胞證",
            "回乡证",
            "回鄉證",
            "旅行证",
        ],
    ),
    (
        Kw::Licence,
        &[
            "驾驶证",
            "駕駛證",
            "驾照",
            "駕照",
            "驾驶执照",
            "驾驶证档案编号",
            "驾照档案编号",
            "driving licence",
            "driving license",
            "driver's license",
            "driver license",
        ],
    ),
    (
        Kw::Social,
        &[
            "社保卡号",
            "社保卡",
            "社保号",
            "社会保障号码",
            "社会保障卡号",
            "社会保障卡",
            "医保卡号",
            "医保卡",
            "医保号",
            "公积金账号",
            "公积金号",
            "公积金",
            "ssn",
            "social security",
        ],
    ),
    (
        Kw::WeChat,
        &[
            "微信号",
            "微信",
            "vx",
            "v信",
            "wx",
            "wechat",
            "weixin",
            "薇信",
            "威信",
        ],
    ),
    (Kw::Qq, &["qq", "扣扣"]),
    (
        Kw::Official,
        &[
            "官方",
            "公众号",
            "客服",
            "服务号",
            "小程序",
            "视频号",
            "官微",
            "企业",
            "我们",
            "本店",
            "店铺",
            "门店",
            "公司",
            "品牌",
            "群",
        ],
    ),
    (
        Kw::Student,
        &[
            "学号",
            "學號",
            "学籍号",
            "准考证号",
            "准考证",
            "考号",
            "学生证号",
            "student id",
            "student no",
        ],
    ),
    (
        Kw::Policy,
        &[
            "保单号",
            "保单",
            "保單",
            "合同号",
            "合同编号",
            "申请号",
            "申请编号",
            "申请单号",
            "投保单号",
            "理赔号",
            "理赔编号",
            "报案号",
            "案件号",
            "policy",
            "contract",
        ],
    ),
    (
        Kw::Account,
        &[
            "账号", "帳號", "帐号", "账户", "帳戶", "帐户", "卡号", "卡號", "account", "acct",
        ],
    ),
    (
        Kw::Bank,
        &[
            "银行",
            "銀行",
            "开户",
            "户名",
            "戶名",
            "储蓄卡",
            "信用卡",
            "借记卡",
            "bank",
        ],
    ),
    (
        Kw::Order,
        &[
            "订单号",
            "订单编号",
            "订单",
            "訂單",
            "单号",
            "單號",
            "运单",
            "快递单",
            "物流单",
            "order",
            "tracking",
        ],
    ),
    (
        Kw::Vin,
        &[
            "车架号",
            "車架號",
            "vin",
            "车辆识别代号",
            "车辆识别码",
            "底盘号",
        ],
    ),
    (
        Kw::Health,
        &[
            "癌",
            "肿瘤",
            "白血病",
            "糖尿病",
            "高血压",
            "心脏病",
            "冠心病",
            "脑梗",
            "中风",
            "抑郁症",
            "焦虑症",
            "精神分裂",
            "双相情感",
            "艾滋",
            "hiv",
            "乙肝",
            "丙肝",
            "肝炎",
            "结核",
            "梅毒",
            "性病",
            "不孕",
            "不育",
            "怀孕",
            "流产",
            "残疾",
            "哮喘",
            "癫痫",
            "阿尔茨海默",
            "老年痴呆",
            "阳性",
            "病史",
            "化疗",
            "透析",
            "痛风",
            "甲亢",
            "尿毒症",
            "帕金森",
            "自闭症",
            "多动症",
            "cancer",
            "diabetes",
            "depression",
            "hepatitis",
            "pregnant",
            "pregnancy",
            "asthma",
            "epilepsy",
            "tumor",
            "tumour",
            "leukemia",
            "dementia",
            "alzheimer",
            "miscarriage",
        ],
    ),
    (
        Kw::Birthday,
        &[
            "生日",
            "出生日期",
            "出生于",
            "出生",
            "生于",
            "birthday",
            "date of birth",
            "dob",
            "born",
        ],
    ),
    (
        Kw::Money,
        &[
            "工资", "月供", "薪资", "薪水", "月薪", "年薪", "收入", "欠款", "欠费", "拖欠", "尚欠",
            "还欠", "负债", "债务", "贷款", "借款", "房贷", "车贷", "逾期", "未还", "待还", "应还",
            "透支", "salary", "debt", "loan", "owes",
        ],
    ),
    (Kw::Room, &["房间号", "房间", "房号", "房號", "room", "rm"]),
    (Kw::Bed, &["床号", "床位", "病床"]),
    (Kw::Seat, &["座位号", "座位", "seat"]),
    (
        Kw::AddressCue,
        &[
            "地址",
            "住址",
            "家住",
            "住在",
            "寄到",
            "寄往",
            "寄至",
            "送到",
            "送至",
            "送往",
            "收货",
            "您家",
            "你家",
            "家在",
            "上门",
            "上門",
            "address",
            "ship to",
            "shipped to",
            "deliver to",
            "delivered to",
            "mailed to",
            "sent to",
            "send to",
        ],
    ),
    (
        Kw::Honorific,
        &[
            "先生", "女士", "小姐", "太太", "同学", "阿姨", "叔叔", "夫人",
        ],
    ),
    (
        Kw::NameLabel,
        &[
            "收件人",
            "收货人",
            "寄件人",
            "联系人",
            "姓名",
            "乘客",
            "旅客",
            "乘机人",
            "乘车人",
            "患者",
            "病人",
            "就诊人",
            "学员",
            "考生",
            "持卡人",
            "户名",
            "开户名",
            "开户人",
            "投保人",
            "被保险人",
            "被保人",
            "受益人",
            "申请人",
            "借款人",
            "车主",
            "业主",
            "住户",
            "房客",
            "入住人",
            "租客",
        ],
    ),
    (
        Kw::WeakLabel,
        &["客户", "用户", "会员", "学生", "家长", "亲爱的", "顾客"],
    ),
    (Kw::Title, &["mr", "mrs", "ms", "miss"]),
    (
        Kw::Compound,
        &[
            "小区", "小區", "花园", "花園", "家园", "公寓", "新村", "苑", "大院", "公馆", "社区",
        ],
    ),
    (Kw::Village, &["村"]),
    (Kw::EnglishAddress, STREET_TYPES),
    (Kw::EnglishAddress, UNIT_WORDS),
    (Kw::Dorm, &["宿舍", "寝室"]),
];

/// A keyword found: what it says and its char span.
#[derive(Clone, Copy, Debug)]
struct Hit {
    kw: Kw,
    start: usize,
    end: usize,
}

/// The keywords, ready to be found in one pass.
struct Keywords {
    /// Every keyword as chars, sorted by the low 12 bits of its first char.
    words: Vec<(Vec<char>, Kw)>,
    /// Where the keywords whose first char has low bits `b` are in `words`:
    /// `from[b]..from[b + 1]`. Most chars of a draft find an empty range.
    from: Vec<u16>,
}

impl Keywords {
    fn new() -> Keywords {
        let mut words: Vec<(Vec<char>, Kw)> = KEYWORDS
            .iter()
            .flat_map(|(kw, ws)| ws.iter().map(move |w| (w.chars().collect::<Vec<_>>(), *kw)))
            .collect();
        crate::sort::sort_by_key(&mut words, |(w, _)| w[0] as usize & 4095);
        let mut from = vec![0u16; 4097];
        for (w, _) in &words {
            from[(w[0] as usize & 4095) + 1] += 1;
        }
        for b in 0..4096 {
            from[b + 1] += from[b];
        }
        Keywords { words, from }
    }

    /// Every keyword in `folded` (the draft's chars through [`norm`]), in
    /// order of start (overlapping ones too: 订单号 gives 订单号, 订单 and
    /// 单号).
    fn find(&self, folded: &[char]) -> Vec<Hit> {
        let mut out = Vec::new();
        let from = self.from.as_slice();
        for (i, &c) in folded.iter().enumerate() {
            let b = c as usize & 4095;
            let range = from[b] as usize..from[b + 1] as usize;
            if range.is_empty() {
                continue;
            }
            for (w, kw) in &self.words[range] {
                let end = i + w.len();
                if w[0] != c || end > folded.len() || folded[i..end] != w[..] {
                    continue;
                }
                // A Latin keyword stands between non-letters ("id" is not
                // in "valid"); digits may follow it (QQ123456).
                if c.is_ascii_alphabetic() {
                    let letter = |p: Option<&char>| p.is_some_and(|c| c.is_ascii_alphabetic());
                    if (i > 0 && letter(folded.get(i - 1))) || letter(folded.get(end)) {
                        continue;
                    }
                }
                out.push(Hit {
                    kw: *kw,
                    start: i,
                    end,
                });
            }
        }
        out
    }
}

/// Whether a hit of one of `kinds` ends at most `window` chars before `at`.
/// The hits are in order of start, and no keyword is longer than
/// [`KEYWORD_MAX`] chars: only the hits that start in the window's reach
/// are read, so a long draft full of keywords stays linear.
fn hit_before(hits: &[Hit], kinds: &[Kw], at: usize, window: usize) -> Option<Hit> {
    let lo = hits.partition_point(|h| h.start + KEYWORD_MAX + window < at);
    let hi = hits.partition_point(|h| h.start < at);
    hits[lo..hi.max(lo)]
        .iter()
        .rev()
        .find(|h| kinds.contains(&h.kw) && h.end <= at && at - h.end <= window)
        .copied()
}

/// The longest keyword, in chars (checked by a test).
const KEYWORD_MAX: usize = 16;

fn has_hit(hits: &[Hit], kw: Kw) -> bool {
    hits.iter().any(|h| h.kw == kw)
}

/// Where the number after a keyword starts: past spaces, colons and the
/// words between a keyword and its value (号码, 是, No., number …).
/// What may stand between a keyword and its value (after [`norm`]: full-width
/// colons and brackets are ASCII by then).
const LINK_CHARS: &str = ":#是为為号號码碼(的.改成更新";

fn skip_link(chars: &[char], mut j: usize) -> usize {
    let limit = (j + 12).min(chars.len());
    while j < limit {
        let c = norm(chars[j]);
        if c.is_whitespace() || LINK_CHARS.contains(c) {
            j += 1;
            continue;
        }
        if !c.is_ascii_alphabetic() {
            break;
        }
        let word = ["number", "num", "no", "id", "card", "is", "to", "was", "of"]
            .iter()
            .find(|w| {
                j + w.len() <= chars.len()
                    && w.bytes()
                        .zip(&chars[j..])
                        .all(|(a, &b)| a as char == norm(b))
                    && !chars
                        .get(j + w.len())
                        .is_some_and(|&c| norm(c).is_ascii_alphabetic())
            })
            .map(|w| w.len());
        match word {
            Some(n) => j += n,
            None => break,
        }
    }
    j
}

/// Whether one of `words` ends within `window` chars before `at`.
fn preceded_by(chars: &[char], at: usize, window: usize, words: &[&str]) -> bool {
    let from = at.saturating_sub(window);
    (from..at).any(|s| {
        let c = chars[s];
        is_word_start(c)
            && words.iter().any(|w| {
                let mut k = s;
                w.chars().all(|x| {
                    k += 1;
                    k <= at && chars[k - 1] == x
                })
            })
    })
}

/// Whether `c` can start a word of the lists that [`preceded_by`] looks
/// for: most chars before a number are ruled out by one bit.
fn is_word_start(c: char) -> bool {
    static BITS: std::sync::OnceLock<[u64; 64]> = std::sync::OnceLock::new();
    let bits = BITS.get_or_init(|| {
        let firsts: Vec<char> = [
            ORDER_WORDS,
            BUSINESS_WORDS,
            STAFF_WORDS,
            HEALTH_BEFORE,
            INVITATIONS,
        ]
        .iter()
        .flat_map(|l| l.iter().filter_map(|w| w.chars().next()))
        .collect();
        bitmap(&firsts)
    });
    in_bitmap(bits, c)
}

/// Before a condition: cover, prevention, a department (重疾险保障包括癌症).
const HEALTH_BEFORE: &[&str] = &[
    "险种",
    "险保障",
    "重疾险",
    "医疗险",
    "保障",
    "包括",
    "涵盖",
    "预防",
    "筛查",
    "科普",
    "专科",
    "门诊",
    "挂",
    "治疗",
    "科室",
];
/// After an address: an invitation to a shop.
const INVITATIONS: &[&str] = &["欢迎", "营业", "光临", "到店", "来办理", "歡迎", "營業"];

const ORDER_WORDS: &[&str] = &[
    "订单",
    "单号",
    "编号",
    "运单",
    "流水号",
    "会员号",
    "工单",
    "批次",
    "快递",
    "物流",
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
    "中心",
    "服务站",
    "驿站",
    "维修点",
    "售后",
    "医院",
    "诊所",
    "学校",
    "银行",
    "支行",
    "分行",
    "营业部",
    "我们的",
    "我司",
];
/// Before a landline: the shop's, the company's or a member of staff's.
const STAFF_WORDS: &[&str] = &[
    "店",
    "公司",
    "酒店",
    "前台",
    "总机",
    "热线",
    "客服",
    "办公",
    "经理",
    "中心",
    "部",
    "医院",
    "学校",
    "门诊",
    "网点",
    "营业厅",
    "总部",
    "服务台",
    "值班",
];

// ---------------------------------------------------------------------------
// Names

/// Common surnames. A name after a label (收件人张伟) or greeted at the
/// start must start with one; a char here that is also an everyday word
/// (马上, 高兴) is caught by [`NOT_NAMES`].
const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵钱严覃武戴莫孔汤康施牛樊葛邢齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕裴霍涂苗谷盛曲翁冉骆蓝游辛靳柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤穆农卓缪项芦麦褚娄窦戚岑景费卜冷晏席卫米柏宗瞿桂佟臧闵苟邬卞姬仇栾隋刁荣寇桑郎甄丛仲虞敖巩佘迟邝匡鞠惠荆冀郁胥栗燕楚鄢谌奚粟冼蔺厉仝郜阚帅屠朴禹祖漆巴卿狄晁芮扈阙浦戈伏鹿邸雍辜裘亓邰赫杭况逯隆茹诸慕亢嵇湛戎勾茅";
const COMPOUND_SURNAMES: &[&str] = &[
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
    "夏侯", "令狐", "端木", "南宫", "西门",
];
/// Words that start with a surname but are not names.
const NOT_NAMES: &[&str] = &[
    "马上", "高兴", "高级", "高铁", "高速", "方便", "方面", "方式", "方法", "方案", "周末", "周年",
    "周边", "周围", "周一", "周二", "周三", "周四", "周五", "周六", "周日", "白天", "金额", "石头",
    "江湖", "关于", "关注", "关系", "关心", "毛病", "钱款", "任何", "任务", "黄金", "程序", "华为",
    "包裹", "包装", "包括", "包邮", "宁可", "余额", "曾经", "许多", "许可", "邮件", "严重", "何时",
    "孔明", "康复", "施工", "章程", "鲁莽", "管理", "蒙牛", "苗条", "卫生", "米饭", "宗旨", "景点",
    "费用", "冷气", "席位", "卢布", "武汉", "戴上", "温度", "潘多", "沈阳", "贺卡", "祝您", "祝你",
    "申请", "屈臣", "柏林", "房间", "房号", "房费", "房卡", "房东", "游戏", "游客", "车主", "甘肃",
    "宋体", "谢谢", "谢意", "杨梅", "董事", "梁子", "龙虾", "骆驼", "雷电", "熊猫", "凌晨", "时间",
    "成都", "于是", "段时", "姜汁", "齐全", "易于", "乔迁", "邵阳", "汪汪", "卜卦", "顾客", "顾问",
    "付款", "付费", "付钱", "陆续", "范围", "夏天", "夏季", "史上", "莫名", "牛奶", "杜绝", "罗列",
    "郑州", "胡说", "陈列", "解决", "解释", "解答", "解除", "尚未", "符合", "舒服", "舒适", "童装",
    "毕业", "毕竟", "蓝牙", "蓝色", "尤其", "农村", "项目", "荣幸", "巩固", "迟到", "迟迟", "惠顾",
    "厉害", "帅气", "巴士", "祖国", "辜负", "杭州", "况且", "隆重", "诸位", "颜色", "焦虑", "左右",
    "纪念", "辛苦", "易碎", "钱包", "韩国", "欧洲", "黄色", "白色", "金色", "高度", "高端", "方向",
    "程度", "章节", "庞大", "殷勤", "申报", "申诉", "焦点", "左边", "甘心", "祝贺", "宁愿", "符号",
    "涂抹", "盛情", "华丽", "房子", "房屋", "房源", "房型", "房价", "房租", "卓越", "景区", "景色",
    "刁难", "荣誉", "鞠躬", "郁闷", "燕麦", "朴素", "钟点", "任意", "田地", "梅雨", "纪律", "苗头",
    "曲线", "欧美", "伍佰", "顾及", "岳父", "岳母", "贾宝",
];
/// Chars that do not stand in a given name: pronouns, particles, verbs of
/// a sentence around it.
const NOT_GIVEN: &str = "的了是在和与及或您你我他她它们这那有为被把给向对从到就也都还又很太更最不没个位些么吗呢吧啊呀哦哈嘿请让将已经会能可要说其等各每某该此本贵先女同阿叔夫士老";

/// Common surnames in pinyin (not those that are English words: He, Ma, Yu).
const PINYIN_SURNAMES: &[&str] = &[
    "wang", "li", "zhang", "liu", "chen", "yang", "huang", "zhao", "wu", "zhou", "xu", "sun",
    "zhu", "guo", "gao", "lin", "luo", "zheng", "liang", "xie", "song", "tang", "han", "feng",
    "deng", "cao", "peng", "zeng", "xiao", "tian", "dong", "yuan", "pan", "jiang", "cai", "du",
    "ye", "cheng", "su", "wei", "ding", "ren", "shen", "yao", "lu", "cui", "zhong", "tan", "jin",
    "shi", "liao", "jia", "xia", "fu", "fang", "bai", "zou", "meng", "xiong", "qin", "qiu", "yin",
    "xue", "yan", "duan", "lei", "hou", "long", "tao", "mao", "hao", "gong", "shao", "qian",
];
/// Capitalized words beside a pinyin surname that are no given name.
const NOT_PINYIN: &[&str] = &[
    "dear",
    "hi",
    "hello",
    "sorry",
    "thanks",
    "thank",
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "the",
    "road",
    "street",
    "lane",
    "avenue",
    "district",
    "city",
    "village",
    "hotel",
    "store",
    "shop",
    "bank",
    "group",
    "company",
    "team",
    "service",
    "china",
    "chinese",
    "kong",
    "hong",
    "tower",
    "plaza",
    "park",
    "mall",
    "center",
    "centre",
    "airlines",
    "airport",
    "station",
    "university",
    "school",
    "hospital",
    "clinic",
    "we",
    "our",
    "your",
    "you",
    "is",
    "are",
    "and",
    "for",
    "to",
    "ltd",
    "inc",
    "co",
];

/// [`SURNAMES`] and [`NOT_GIVEN`] as sorted chars, for a binary search.
struct NameChars {
    surnames: Vec<char>,
    not_given: Vec<char>,
    /// [`NOT_NAMES`] as pairs of chars.
    not_names: Vec<(char, char)>,
}

fn name_chars() -> &'static NameChars {
    static CHARS: std::sync::OnceLock<NameChars> = std::sync::OnceLock::new();
    CHARS.get_or_init(|| {
        let sorted = |s: &str| {
            let mut v: Vec<char> = s.chars().collect();
            crate::sort::sort_unstable_by(&mut v, |a, b| a.cmp(b));
            v
        };
        let mut not_names: Vec<(char, char)> = NOT_NAMES
            .iter()
            .filter_map(|w| {
                let mut c = w.chars();
                Some((c.next()?, c.next()?))
            })
            .collect();
        crate::sort::sort_unstable_by(&mut not_names, |a, b| a.cmp(b));
        NameChars {
            surnames: sorted(SURNAMES),
            not_given: sorted(NOT_GIVEN),
            not_names,
        }
    })
}

fn is_surname(c: char) -> bool {
    is_cjk(c) && name_chars().surnames.binary_search(&c).is_ok()
}

fn is_given(c: char) -> bool {
    is_cjk(c) && name_chars().not_given.binary_search(&c).is_err()
}

/// A name starting at `j` (surname + one or two given chars, not an
/// everyday word): its end.
fn name_at(chars: &[char], j: usize) -> Option<usize> {
    let s = chars.get(j)?;
    let surname = if "欧司诸上东皇尉公慕长宇夏令端南西".contains(*s)
        && COMPOUND_SURNAMES.iter().any(|w| {
            w.chars()
                .eq(chars[j..chars.len().min(j + 2)].iter().copied())
        }) {
        2
    } else if is_surname(*s) {
        1
    } else {
        return None;
    };
    let g = j + surname;
    if !chars.get(g).is_some_and(|&c| is_given(c)) {
        return None;
    }
    if name_chars()
        .not_names
        .binary_search(&(chars[j], chars[g]))
        .is_ok()
    {
        return None;
    }
    let end = if chars.get(g + 1).is_some_and(|&c| is_given(c)) {
        g + 2
    } else {
        g + 1
    };
    Some(end)
}

/// The surname and given name before an honorific at `at` (王先生, 李娜女士,
/// 王小明同学): where the name starts.
fn name_before(chars: &[char], at: usize) -> Option<usize> {
    if at >= 1 && is_surname(chars[at - 1]) {
        return Some(at - 1);
    }
    (2..=3).find_map(|k| {
        let s = at.checked_sub(k)?;
        (chars[s + 1..at].iter().all(|&c| is_given(c))
            && (is_surname(chars[s])
                || (s >= 1
                    && COMPOUND_SURNAMES
                        .iter()
                        .any(|w| w.chars().eq(chars[s - 1..=s].iter().copied())))))
        .then_some(s)
    })
}

/// The people a draft names, as char spans.
fn persons(chars: &[char], hits: &[Hit], latin: bool) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for h in hits {
        match h.kw {
            Kw::Honorific => {
                // 小姐姐 is how customers praise an agent.
                if chars[h.start] == '小' && chars.get(h.end) == Some(&'姐') {
                    continue;
                }
                if let Some(s) = name_before(chars, h.start) {
                    out.push((s, h.end));
                }
            }
            Kw::NameLabel | Kw::WeakLabel => {
                let mut j = h.end;
                while j < chars.len() && matches!(chars[j], ':' | '：' | ' ' | '是' | '为') {
                    j += 1;
                }
                let Some(e) = name_at(chars, j) else {
                    continue;
                };
                let bounded = chars.get(e).is_none_or(|&c| {
                    !is_cjk(c) || matches!(c, '的' | '您' | '你' | '先' | '女' | '同' | '在' | '已')
                });
                if h.kw == Kw::NameLabel || bounded {
                    out.push((j, e));
                }
            }
            Kw::Title => {
                let mut j = h.end;
                if chars.get(j) == Some(&'.') {
                    j += 1;
                }
                let spaces = chars[j..].iter().take_while(|c| **c == ' ').count();
                j += spaces;
                let word = chars[j..]
                    .iter()
                    .take_while(|c| c.is_ascii_alphabetic())
                    .count();
                if spaces > 0 && word >= 2 && chars[j].is_ascii_uppercase() {
                    out.push((h.start, j + word));
                }
            }
            _ => {}
        }
    }
    // A name in pinyin: Li Ming, Ming Li, Zhang Wei.
    let mut words: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while latin && i < chars.len() {
        let n = chars[i..]
            .iter()
            .take_while(|c| c.is_ascii_alphabetic())
            .count();
        if n > 0 {
            words.push((i, i + n));
            i += n;
        } else {
            i += 1;
        }
    }
    for w in words.windows(2) {
        let ((a, b), (c, d)) = (w[0], w[1]);
        let lower =
            |s: usize, e: usize| chars[s..e].iter().collect::<String>().to_ascii_lowercase();
        let capitalized = |s: usize, e: usize| {
            chars[s].is_ascii_uppercase() && chars[s + 1..e].iter().all(|c| c.is_ascii_lowercase())
        };
        if c == b + 1
            && chars[b] == ' '
            && capitalized(a, b)
            && capitalized(c, d)
            && (PINYIN_SURNAMES.contains(&lower(a, b).as_str())
                || PINYIN_SURNAMES.contains(&lower(c, d).as_str()))
            && !NOT_PINYIN.contains(&lower(a, b).as_str())
            && !NOT_PINYIN.contains(&lower(c, d).as_str())
        {
            out.push((a, d));
        }
    }
    // A name greeted at the start: 张伟您好, 张伟，您的…
    let mut j = 0;
    while j < chars.len() && chars[j].is_whitespace() {
        j += 1;
    }
    if let Some(e) = name_at(chars, j) {
        let next = |k: usize| chars.get(e + k).copied();
        if matches!(next(0), Some('您' | '你'))
            || (matches!(next(0), Some('，' | ',' | '：' | ':' | '！' | '!'))
                && matches!(next(1), Some('您' | '你')))
        {
            out.push((j, e));
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Numbers

/// A run of digits (with separators between groups), as char span and
/// digits, the last possibly `X` (ID cards).
struct Run {
    start: usize,
    end: usize,
    digits: String,
    /// The digits of the first group (before the first separator).
    first_group: usize,
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
        let mut first_group = 0;
        while i < chars.len() {
            if let Some(d) = digit(chars[i]) {
                digits.push(char::from_digit(d, 10).expect("a digit"));
                i += 1;
                end = i;
            } else if is_group_separator(chars[i])
                && chars.get(i + 1).and_then(|c| digit(*c)).is_some()
            {
                if first_group == 0 {
                    first_group = digits.len();
                }
                i += 1;
            } else {
                break;
            }
        }
        if first_group == 0 {
            first_group = digits.len();
        }
        if digits.len() == 17 {
            let x = |k: usize| matches!(chars.get(k), Some('X' | 'x' | 'Ｘ' | 'ｘ'));
            let at = if x(end) {
                Some(end)
            } else if chars.get(end).is_some_and(|&c| is_group_separator(c)) && x(end + 1) {
                Some(end + 1)
            } else {
                None
            };
            if let Some(at) = at {
                digits.push('X');
                end = at + 1;
                i = end;
            }
        }
        // A run inside a code (SF123…, 138****5678) is not a number.
        let before = start.checked_sub(1).map(|p| chars[p]);
        let after = chars.get(end).copied();
        if !before.is_some_and(is_code_char) && !after.is_some_and(is_code_char) {
            runs.push(Run {
                start,
                end,
                digits,
                first_group,
            });
        }
    }
    runs
}

fn is_mobile(d: &str) -> bool {
    let d = d
        .strip_prefix("0086")
        .or_else(|| d.strip_prefix("86"))
        .filter(|r| r.len() == 11)
        .unwrap_or(d);
    d.len() == 11 && d.starts_with('1') && matches!(d.as_bytes()[1], b'3'..=b'9')
}

/// 18 characters whose birth date (characters 7–14) is plausible.
fn looks_like_id(d: &str) -> bool {
    let b = d.as_bytes();
    if b.len() != 18 || !b[..17].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let num = |r: std::ops::Range<usize>| d[r].parse::<u32>().unwrap_or(0);
    let (year, month, day) = (num(6..10), num(10..12), num(12..14));
    (1900..=2100).contains(&year) && (1..=12).contains(&month) && (1..=31).contains(&day)
}

fn is_id_card(d: &str) -> bool {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    if !looks_like_id(d) {
        return false;
    }
    let b = d.as_bytes();
    let sum: u32 = b[..17]
        .iter()
        .zip(WEIGHTS)
        .map(|(c, w)| (c - b'0') as u32 * w)
        .sum();
    CHECK[(sum % 11) as usize] == b[17].to_ascii_uppercase()
}

/// The first-generation ID of 15 digits: a province code, then the birth
/// date as YYMMDD.
fn is_old_id_card(d: &str) -> bool {
    let b = d.as_bytes();
    if b.len() != 15 || !b.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let num = |r: std::ops::Range<usize>| d[r].parse::<u32>().unwrap_or(0);
    let province = num(0..2);
    let province_ok = matches!(province, 11..=15 | 21..=23 | 31..=37 | 41..=46 | 50..=54 | 61..=65);
    province_ok && (1..=12).contains(&num(8..10)) && (1..=31).contains(&num(10..12))
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

/// A landline: 0, an area code of two or three more digits, and a local
/// number of seven or eight (010-62345678, 0755 2678 1234).
fn is_landline(run: &Run) -> bool {
    let d = run.digits.as_bytes();
    d.first() == Some(&b'0')
        && d.get(1) != Some(&b'0')
        && (10..=12).contains(&d.len())
        && (run.first_group == d.len() || (3..=4).contains(&run.first_group))
}

/// A run of numerals with nothing between them.
struct Group {
    start: usize,
    end: usize,
    digits: String,
    /// Next to a Latin letter or a mask: part of a code.
    in_code: bool,
}

fn numeral_groups(chars: &[char]) -> Vec<Group> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if numeral(chars[i]).is_none() {
            i += 1;
            continue;
        }
        let start = i;
        let mut digits = String::new();
        while let Some(d) = chars.get(i).and_then(|&c| numeral(c)) {
            digits.push(char::from_digit(d, 10).expect("a digit"));
            i += 1;
        }
        let code = |p: Option<&char>| p.is_some_and(|&c| is_code_char(c));
        let in_code = (start > 0 && code(chars.get(start - 1))) || code(chars.get(i));
        out.push(Group {
            start,
            end: i,
            digits,
            in_code,
        });
    }
    out
}

/// What stands between two groups of a number split to get past a filter.
#[derive(PartialEq, Eq, PartialOrd, Ord, Clone, Copy)]
enum Gap {
    /// Spaces, hyphens, dots.
    Separator,
    /// Emoji, pictographs, Weibo emoticons ([心]).
    Emoji,
    /// One or two Chinese characters, or a comma.
    Word,
}

fn gap(between: &[char]) -> Option<Gap> {
    if between.is_empty() || between.len() > 8 {
        return None;
    }
    let (mut kind, mut words, mut i) = (Gap::Separator, 0, 0);
    while i < between.len() {
        let c = between[i];
        if is_group_separator(c) {
            i += 1;
        } else if c == '[' {
            let close = between[i..].iter().position(|&c| c == ']')?;
            if close > 5 {
                return None;
            }
            kind = kind.max(Gap::Emoji);
            i += close + 1;
        } else if is_emoji(c) {
            kind = kind.max(Gap::Emoji);
            i += 1;
        } else if (is_cjk(c) && numeral(c).is_none()) || matches!(c, '，' | ',' | '、') {
            kind = Gap::Word;
            words += 1;
            i += 1;
        } else {
            return None;
        }
    }
    (words <= 2).then_some(kind)
}

/// Mobile numbers written out in numerals or split by emoji or words, as
/// char spans: groups joined across gaps until they make 11 digits (after
/// +86). Groups split by words must be of three digits or more (so that
/// 13号15点到17点 is no number).
fn split_mobiles(chars: &[char]) -> Vec<(usize, usize, String)> {
    let groups = numeral_groups(chars);
    let mut out = Vec::new();
    let mut i = 0;
    while i < groups.len() {
        let mut digits = String::new();
        let (mut worded, mut shortest) = (false, usize::MAX);
        let mut found = None;
        for j in i..groups.len() {
            if groups[j].in_code {
                break;
            }
            if j > i {
                match gap(&chars[groups[j - 1].end..groups[j].start]) {
                    None => break,
                    Some(Gap::Word) => worded = true,
                    Some(_) => {}
                }
            }
            digits.push_str(&groups[j].digits);
            shortest = shortest.min(groups[j].digits.len());
            if digits.len() > 15 {
                break;
            }
            if is_mobile(&digits) && (!worded || (shortest >= 3 && j - i <= 2)) {
                found = Some(j);
                break;
            }
        }
        match found {
            Some(j) => {
                out.push((groups[i].start, groups[j].end, digits));
                i = j + 1;
            }
            None => i += 1,
        }
    }
    out
}

/// The end of a date at `i` (1990-05-12, 1995年3月8日, 3月8日), or None.
fn date_at(chars: &[char], i: usize) -> Option<usize> {
    let number = |j: usize, max: usize| -> Option<(u32, usize)> {
        let n = chars[j.min(chars.len())..]
            .iter()
            .take_while(|&&c| digit(c).is_some())
            .count();
        if n == 0 || n > max {
            return None;
        }
        let v = chars[j..j + n]
            .iter()
            .fold(0, |v, &c| v * 10 + digit(c).unwrap_or(0));
        Some((v, j + n))
    };
    let (a, j) = number(i, 4)?;
    let sep = |j: usize| chars.get(j).copied();
    let (month, day, end);
    if j - i >= 2 && matches!(sep(j), Some('年' | '-' | '/' | '.' | '－')) {
        let (m, k) = number(j + 1, 2)?;
        if !matches!(sep(k), Some('月' | '-' | '/' | '.' | '－')) {
            return None;
        }
        let (d, e) = number(k + 1, 2)?;
        (month, day, end) = (m, d, e);
    } else if j - i <= 2 && sep(j) == Some('月') {
        let (d, e) = number(j + 1, 2)?;
        (month, day, end) = (a, d, e);
    } else {
        return None;
    }
    let end = if matches!(sep(end), Some('日' | '号')) {
        end + 1
    } else {
        end
    };
    ((1..=12).contains(&month) && (1..=31).contains(&day)).then_some(end)
}

/// An amount of money at `i` (8000元, ¥1,299, 35万, 12k): its end.
fn amount_at(chars: &[char], i: usize) -> Option<usize> {
    let mut j = i;
    let sign = matches!(chars.get(j), Some('¥' | '￥' | '$'));
    if sign {
        j += 1;
    }
    let start = j;
    while j < chars.len()
        && (digit(chars[j]).is_some() || (j > start && matches!(chars[j], ',' | '.')))
    {
        j += 1;
    }
    if j == start {
        return None;
    }
    let unit = |j: usize| match chars.get(j).map(|&c| norm(c)) {
        Some('元' | '块' | '万' | '千' | 'w' | 'k') => Some(j + 1),
        Some('美') if chars.get(j + 1) == Some(&'元') => Some(j + 2),
        _ => None,
    };
    match unit(j) {
        Some(e) => Some(unit(e).unwrap_or(e)),
        None => sign.then_some(j),
    }
}

// ---------------------------------------------------------------------------
// Codes: runs of Latin letters and digits

/// A run of Latin letters and digits (full-width folded), with `-` or `_`
/// inside, as written (`text` folded by [`norm`]).
struct Token {
    start: usize,
    end: usize,
    text: String,
    /// Next to a mask (E1234****): not a whole number.
    masked: bool,
}

impl Token {
    fn digits(&self) -> usize {
        self.text.bytes().filter(u8::is_ascii_digit).count()
    }
    fn letters(&self) -> usize {
        self.text.bytes().filter(u8::is_ascii_alphabetic).count()
    }
    fn alnum(&self) -> bool {
        self.text.bytes().all(|b| b.is_ascii_alphanumeric())
    }
}

fn tokens(chars: &[char]) -> Vec<Token> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !is_latin_or_digit(chars[i]) {
            i += 1;
            continue;
        }
        let start = i;
        let mut text = String::new();
        while i < chars.len() {
            let c = norm(chars[i]);
            // `-` and `_` only inside: lily_0909, HT2023-0815.
            let inside =
                matches!(c, '-' | '_') && chars.get(i + 1).is_some_and(|&c| is_latin_or_digit(c));
            if !c.is_ascii_alphanumeric() && !inside {
                break;
            }
            text.push(c);
            i += 1;
        }
        let masked =
            (start > 0 && is_mask(chars[start - 1])) || chars.get(i).is_some_and(|&c| is_mask(c));
        out.push(Token {
            start,
            end: i,
            text,
            masked,
        });
    }
    out
}

/// The token that starts at `j`.
fn token_at(tokens: &[Token], j: usize) -> Option<&Token> {
    let k = tokens.binary_search_by_key(&j, |t| t.start).ok()?;
    Some(&tokens[k]).filter(|t| !t.masked)
}

/// Letters, then digits: `[a-z]{letters}` + `\d{digits}` by counts.
fn shape(
    t: &str,
    letters: std::ops::RangeInclusive<usize>,
    digits: std::ops::RangeInclusive<usize>,
) -> bool {
    let l = t.bytes().take_while(u8::is_ascii_alphabetic).count();
    let d = t.len() - l;
    letters.contains(&l) && digits.contains(&d) && t[l..].bytes().all(|b| b.is_ascii_digit())
}

fn is_passport(t: &str) -> bool {
    shape(t, 1..=2, 7..=8) || shape(t, 0..=0, 9..=9)
}

fn is_travel_permit(t: &str) -> bool {
    shape(t, 0..=2, 7..=10)
}

/// A VIN: 17 characters of `[A-HJ-NPR-Z0-9]` with letters and digits.
fn is_vin_shape(t: &str) -> bool {
    t.len() == 17
        && t.bytes().all(|b| {
            b.is_ascii_digit() || (b.is_ascii_lowercase() && !matches!(b, b'i' | b'o' | b'q'))
        })
        && t.bytes().any(|b| b.is_ascii_digit())
        && t.bytes().any(|b| b.is_ascii_lowercase())
}

/// The check digit of ISO 3779, required on Chinese VINs (GB 16735).
fn vin_check_ok(t: &str) -> bool {
    const WEIGHTS: [u32; 17] = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
    let value = |b: u8| -> u32 {
        match b {
            b'0'..=b'9' => (b - b'0') as u32,
            b'a'..=b'h' => (b - b'a') as u32 + 1,
            b'j'..=b'n' => (b - b'j') as u32 + 1,
            b'p' => 7,
            b'r' => 9,
            b's'..=b'z' => (b - b's') as u32 + 2,
            _ => 0,
        }
    };
    let sum: u32 = t.bytes().zip(WEIGHTS).map(|(b, w)| value(b) * w).sum();
    let check = match sum % 11 {
        10 => b'x',
        n => b'0' + n as u8,
    };
    t.as_bytes()[8] == check
}

/// A flight number (CA1234, 3U8888) or a train number (G1234, K56).
fn is_trip(t: &str) -> bool {
    let b = t.as_bytes();
    let flight = b.len() >= 5
        && b.len() <= 6
        && b[..2].iter().all(u8::is_ascii_alphanumeric)
        && b[..2].iter().any(u8::is_ascii_alphabetic)
        && b[2..].iter().all(u8::is_ascii_digit);
    let train = shape(t, 1..=1, 1..=4)
        && matches!(
            b[0],
            b'g' | b'd' | b'c' | b'z' | b't' | b'k' | b'y' | b'l' | b's'
        );
    flight || train
}

/// A seat: 12A, 5F.
fn is_seat(t: &str) -> bool {
    let b = t.as_bytes();
    (2..=3).contains(&b.len())
        && b[..b.len() - 1].iter().all(u8::is_ascii_digit)
        && matches!(b[b.len() - 1], b'a'..=b'k')
}

/// The provinces' one-character names that start a licence plate.
const PLATE_PROVINCES: &str = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";

/// A licence plate at `i` (京A·12345, 粤BD12345): its end.
fn plate_at(chars: &[char], i: usize) -> Option<usize> {
    if !PLATE_PROVINCES.contains(chars[i]) {
        return None;
    }
    let letter = norm(*chars.get(i + 1)?);
    if !letter.is_ascii_lowercase() {
        return None;
    }
    let mut j = i + 2;
    if chars
        .get(j)
        .is_some_and(|&c| matches!(c, '·' | '•' | '・' | '.' | '-' | ' ' | '\u{3000}'))
    {
        j += 1;
    }
    let n = chars[j.min(chars.len())..]
        .iter()
        .take_while(|&&c| is_latin_or_digit(c))
        .count();
    let body: String = chars[j..j + n].iter().map(|&c| norm(c)).collect();
    let ok_chars = body
        .bytes()
        .all(|b| b.is_ascii_digit() || (b.is_ascii_lowercase() && !matches!(b, b'i' | b'o')));
    let digits = body.bytes().filter(u8::is_ascii_digit).count();
    let b = body.as_bytes();
    let new_energy = n == 6 && (matches!(b[0], b'd' | b'f') || matches!(b[5], b'd' | b'f'));
    (ok_chars && digits >= 3 && (n == 5 || new_energy)).then_some(j + n)
}

// ---------------------------------------------------------------------------
// Addresses

/// A part of a Chinese address after a number.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Part {
    Building,
    Unit,
    Floor,
    Room,
    /// 组, 队, 社 of a village.
    Group,
    /// 号: a house, or a building in a compound.
    House,
}

/// A building, unit or room number at `j`: 1–4 digits or Chinese numerals,
/// or a letter and up to three digits (A座, B302). Its end.
fn part_number(chars: &[char], j: usize) -> Option<usize> {
    let n = chars[j.min(chars.len())..]
        .iter()
        .take_while(|&&c| numeral(c).is_some() || c == '十')
        .take(5)
        .count();
    if (1..=4).contains(&n) {
        return Some(j + n);
    }
    if n == 0 && chars.get(j).is_some_and(|&c| norm(c).is_ascii_alphabetic()) {
        let d = chars[j + 1..]
            .iter()
            .take_while(|&&c| digit(c).is_some())
            .count();
        if d <= 3 && !chars.get(j + 1 + d).is_some_and(|&c| is_latin_or_digit(c)) {
            return Some(j + 1 + d);
        }
    }
    None
}

fn part_suffix(chars: &[char], j: usize) -> Option<(Part, usize)> {
    let at = |k: usize| chars.get(j + k).copied();
    Some(match (at(0)?, at(1)) {
        ('号' | '號', Some('楼' | '樓' | '院')) => (Part::Building, j + 2),
        ('单' | '單', Some('元')) => (Part::Unit, j + 2),
        ('栋' | '棟' | '幢' | '座', _) => (Part::Building, j + 1),
        ('楼' | '樓' | '层' | '層', _) => (Part::Floor, j + 1),
        ('室' | '房' | '户' | '寝', _) => (Part::Room, j + 1),
        ('组' | '队' | '社', _) => (Part::Group, j + 1),
        ('号' | '號', next) if !matches!(next, Some('门' | '口' | '线' | '店' | '窗' | '机')) => {
            (Part::House, j + 1)
        }
        _ => return None,
    })
}

/// The numbered parts of an address from `j` (6栋2单元502室, 三组15号,
/// 18-2-301, 412): their end and kinds.
fn address_parts(chars: &[char], mut j: usize, bare_first: bool) -> (usize, Vec<Part>) {
    let mut parts = Vec::new();
    while let Some(e) = part_number(chars, j) {
        if let Some((part, after)) = part_suffix(chars, e) {
            parts.push(part);
            j = after;
            continue;
        }
        // 18-2-301: building, unit, room.
        if matches!(chars.get(e), Some('-' | '－')) {
            if let Some(e2) = part_number(chars, e + 1) {
                parts.extend([Part::Building, Part::Room]);
                j = e2;
                if matches!(chars.get(j), Some('-' | '－')) {
                    if let Some(e3) = part_number(chars, j + 1) {
                        j = e3;
                    }
                }
                continue;
            }
        }
        // A bare room number after a building or unit (6栋502), or first
        // where a room is what follows (宿舍412).
        let bare = e - j;
        if (3..=4).contains(&bare)
            && (bare_first || !parts.is_empty())
            && chars[j..e].iter().all(|&c| digit(c).is_some())
        {
            parts.push(Part::Room);
            j = e;
        }
        break;
    }
    (j, parts)
}

/// Where the place name before `at` starts: up to 12 Chinese characters,
/// not before `floor`.
fn place_start(chars: &[char], at: usize, floor: usize) -> usize {
    let mut start = at;
    while start > floor && at - start < PLACE_MAX && is_cjk(chars[start - 1]) {
        start -= 1;
    }
    start
}

/// Whether the address at `s` is a shop's or the company's: a business word
/// right before it, or before the 地址 that introduces it.
fn business_before(chars: &[char], s: usize) -> bool {
    if preceded_by(chars, s, 6, BUSINESS_WORDS) {
        return true;
    }
    // 门店地址是…, 支行电话 010-…，地址…: the sentence before 地址.
    (s.saturating_sub(5)..s)
        .filter(|&k| matches!(chars[k], '地' | '住') && chars.get(k + 1) == Some(&'址'))
        .any(|k| {
            let mut from = k;
            while from > 0 && k - from < 20 && !"。！？!?\n".contains(chars[from - 1]) {
                from -= 1;
            }
            preceded_by(chars, k, k - from, BUSINESS_WORDS)
        })
}

/// Whether the sentence after an address invites people to it (欢迎光临,
/// 营业时间 …): a shop's address.
fn invited_after(chars: &[char], e: usize) -> bool {
    let mut to = e;
    while to < chars.len() && to - e < 16 && !"。！？!?\n".contains(chars[to]) {
        to += 1;
    }
    preceded_by(chars, to, to - e, INVITATIONS)
}

const STREET_TYPES: &[&str] = &[
    "road",
    "rd",
    "street",
    "st",
    "avenue",
    "ave",
    "lane",
    "ln",
    "boulevard",
    "blvd",
    "drive",
    "way",
    "lu",
    "jie",
    "dajie",
    "hutong",
    "alley",
    "highway",
    "hwy",
    "place",
    "court",
];
const UNIT_WORDS: &[&str] = &[
    "room",
    "rm",
    "apt",
    "apartment",
    "unit",
    "flat",
    "suite",
    "ste",
    "building",
    "bldg",
    "block",
    "blk",
];
const EN_BUSINESS: &[&str] = &[
    "store",
    "shop",
    "office",
    "branch",
    "hotel",
    "restaurant",
    "mall",
    "headquarters",
    "hq",
    "outlet",
    "showroom",
    "center",
    "centre",
    "clinic",
    "hospital",
    "campus",
    "located",
    "bank",
];

/// English addresses: a house number on a street (No. 18 Jianguo Road, 120
/// Huaihai Road) and a room, flat or unit (Room 1203, Apt 5B) beside one
/// or after "ship/deliver/mailed to".
fn english_addresses(chars: &[char], toks: &[Token], hits: &[Hit]) -> Vec<(usize, usize)> {
    let only =
        |a: usize, b: usize, allowed: &[char]| chars[a..b].iter().all(|c| allowed.contains(c));
    let is_number =
        |t: &Token| t.digits() >= 1 && t.text.len() <= 5 && t.text.as_bytes()[0].is_ascii_digit();
    let mut streets = Vec::new();
    let mut units = Vec::new();
    for (k, t) in toks.iter().enumerate() {
        if is_number(t) {
            let mut start = t.start;
            if k >= 1
                && toks[k - 1].text == "no"
                && only(toks[k - 1].end, t.start, &['.', ' ', '#'])
            {
                start = toks[k - 1].start;
            }
            let mut m = k + 1;
            while m < toks.len()
                && m - k <= 4
                && only(toks[m - 1].end, toks[m].start, &[' ', ','])
                && toks[m].letters() == toks[m].text.len()
            {
                let capital = chars[toks[m].start].is_ascii_uppercase();
                if STREET_TYPES.contains(&toks[m].text.as_str()) && m > k + 1 {
                    streets.push((start, toks[m].end));
                    break;
                }
                if !capital {
                    break;
                }
                m += 1;
            }
        } else if UNIT_WORDS.contains(&t.text.as_str()) {
            if let Some(n) = toks.get(k + 1) {
                if n.digits() >= 1
                    && n.text.len() <= 5
                    && only(t.end, n.start, &['.', ' ', '#'])
                    && n.start - t.end <= 3
                {
                    units.push((t.start, n.end));
                }
            }
        }
    }
    let business = |s: usize| {
        let lo = toks.partition_point(|t| t.start + 60 < s);
        toks[lo..]
            .iter()
            .take_while(|t| t.end <= s)
            .any(|t| s - t.end <= 40 && EN_BUSINESS.contains(&t.text.as_str()))
    };
    let mut out: Vec<(usize, usize)> = streets
        .iter()
        .copied()
        .filter(|&(s, _)| !business(s))
        .collect();
    for &(s, e) in &units {
        let lo = streets.partition_point(|&(_, b)| b + 40 < s);
        let near_street = streets[lo..]
            .iter()
            .take_while(|&&(a, _)| a <= e + 40)
            .any(|&(a, b)| a.abs_diff(e) <= 40 || s.abs_diff(b) <= 40);
        let cue = hit_before(hits, &[Kw::AddressCue], s, 30).is_some();
        if (near_street || cue) && !business(s) {
            out.push((s, e));
        }
    }
    crate::sort::sort_by_key(&mut out, |&(s, e)| (s, e));
    // Room 1203, No. 18 Jianguo Road: one address.
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (s, e) in out {
        match merged.last_mut() {
            Some(last) if s <= last.1 || (s - last.1 <= 2 && only(last.1, s, &[',', ' '])) => {
                last.1 = last.1.max(e);
            }
            _ => merged.push((s, e)),
        }
    }
    merged
}

// ---------------------------------------------------------------------------
// E-mail

const MAIL_TLDS: &[&str] = &[
    "com", "cn", "net", "org", "edu", "gov", "io", "me", "co", "hk", "tw", "uk", "jp", "info",
    "biz", "cc", "top",
];
const MAIL_PROVIDERS: &[&str] = &[
    "qq", "163", "126", "gmail", "outlook", "hotmail", "sina", "sohu", "foxmail", "yahoo",
    "icloud", "139", "aliyun", "yeah", "live", "msn",
];

fn is_local_char(c: char) -> bool {
    let c = norm(c);
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-')
}

/// How an e-mail address's @ is written.
#[derive(PartialEq, Eq, Clone, Copy)]
enum At {
    /// @ or ＠.
    Plain,
    /// [at], (at), ` at `, 艾特.
    Spelled,
    /// #, used for @ to dodge filters; trusted only before a mail provider.
    Hash,
}

/// An @ at `i`: how it is written and where the domain starts.
fn at_sign(chars: &[char], i: usize) -> Option<(At, usize)> {
    let at = |k: usize| chars.get(i + k).map(|&c| norm(c));
    match at(0)? {
        '@' => Some((At::Plain, i + 1)),
        '#' => Some((At::Hash, i + 1)),
        '艾' if at(1) == Some('特') => Some((At::Spelled, i + 2)),
        '[' | '(' | '（' | '{' | '<' | ' '
            if at(1) == Some('a')
                && at(2) == Some('t')
                && matches!(at(3), Some(']' | ')' | '）' | '}' | '>' | ' ')) =>
        {
            let open = at(0) == Some(' ');
            (open == (at(3) == Some(' '))).then_some((At::Spelled, i + 4))
        }
        _ => None,
    }
}

/// A dot of a domain at `i`, written . ． 点 [dot] (dot) or ` dot `: its end.
fn dot_at(chars: &[char], i: usize) -> Option<usize> {
    let at = |k: usize| chars.get(i + k).map(|&c| norm(c));
    match at(0)? {
        '.' | '点' => Some(i + 1),
        '[' | '(' | '（' | ' '
            if at(1) == Some('d')
                && at(2) == Some('o')
                && at(3) == Some('t')
                && matches!(at(4), Some(']' | ')' | '）' | ' ')) =>
        {
            Some(i + 5)
        }
        _ => None,
    }
}

/// E-mail addresses, plain or obfuscated, as (start, end, the address
/// written plainly).
fn emails(chars: &[char]) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let maybe = matches!(
            chars[i],
            '@' | '＠' | '#' | '＃' | '艾' | '[' | '(' | '（' | '{' | '<' | ' '
        );
        let Some((how, mut j)) = maybe.then(|| at_sign(chars, i)).flatten() else {
            i += 1;
            continue;
        };
        // The local part, right before (a space before a spelled @).
        let mut end_local = i;
        if how == At::Spelled && end_local > 0 && chars[end_local - 1] == ' ' && chars[i] != ' ' {
            end_local -= 1;
        }
        let start = end_local
            - chars[..end_local]
                .iter()
                .rev()
                .take_while(|&&c| is_local_char(c))
                .count();
        let local: String = chars[start..end_local].iter().map(|&c| norm(c)).collect();
        let local = local.trim_start_matches('.');
        let start = end_local - local.chars().count();
        if how == At::Spelled && j < chars.len() && chars[j] == ' ' && chars[i] != ' ' {
            j += 1;
        }
        // The domain: labels joined by dots.
        let mut labels: Vec<String> = Vec::new();
        let mut end = j;
        loop {
            let n = chars[end.min(chars.len())..]
                .iter()
                .take_while(|&&c| norm(c).is_ascii_alphanumeric() || norm(c) == '-')
                .count();
            if n == 0 {
                break;
            }
            labels.push(chars[end..end + n].iter().map(|&c| norm(c)).collect());
            let after = end + n;
            end = after;
            match dot_at(chars, after) {
                Some(next)
                    if chars
                        .get(next)
                        .is_some_and(|&c| norm(c).is_ascii_alphanumeric()) =>
                {
                    end = next;
                }
                _ => break,
            }
        }
        // `end` is past the last label.
        let tld_ok = labels.len() >= 2
            && labels
                .last()
                .is_some_and(|t| t.len() >= 2 && t.bytes().all(|b| b.is_ascii_alphabetic()));
        let known_tld = labels
            .last()
            .is_some_and(|t| MAIL_TLDS.contains(&t.as_str()));
        let ok = !local.is_empty()
            && tld_ok
            && match how {
                At::Plain => true,
                At::Spelled => known_tld && local.len() >= 2,
                At::Hash => known_tld && MAIL_PROVIDERS.contains(&labels[0].as_str()),
            };
        if ok {
            out.push((start, end, format!("{local}@{}", labels.join("."))));
            i = end;
        } else {
            i += 1;
        }
    }
    out
}

// ---------------------------------------------------------------------------
// The detector

/// The company's public contacts (team settings `hotlines`).
struct Hotlines {
    /// Each contact's digits (five or more), compared digit by digit.
    digits: Vec<String>,
    /// Each contact as written, in lower case (e-mail, WeChat, QQ).
    words: Vec<String>,
}

impl Hotlines {
    fn new(hotlines: &[String]) -> Hotlines {
        Hotlines {
            digits: hotlines
                .iter()
                .map(|h| {
                    h.chars()
                        .filter_map(digit)
                        .filter_map(|d| char::from_digit(d, 10))
                        .collect::<String>()
                })
                .filter(|d| d.len() >= 5)
                .collect(),
            words: hotlines
                .iter()
                .map(|h| h.trim().chars().map(norm).collect())
                .collect(),
        }
    }
    fn has_digits(&self, d: &str) -> bool {
        self.digits.iter().any(|h| d.contains(h.as_str()))
    }
    fn is(&self, word: &str) -> bool {
        self.words.iter().any(|w| w == word)
    }
}

/// A health word that is no one's condition: 防癌险, 糖尿病专科, 乙肝疫苗,
/// 重疾险保障包括癌症等100种疾病, the diabetes clinic.
fn health_word_is_general(chars: &[char], h: &Hit) -> bool {
    const AFTER: &[&str] = &[
        "专",
        "门诊",
        "科",
        "险",
        "保险",
        "筛",
        "讲座",
        "率",
        "疫苗",
        "药物研",
        "等",
        "症等",
        " clinic",
        " department",
        " centre",
        " center",
        " insurance",
        " screening",
        " awareness",
        " ward",
        " prevention",
    ];
    if chars[h.start] == '癌' && h.start > 0 && matches!(chars[h.start - 1], '防' | '抗' | '致')
    {
        return true;
    }
    let after: String = chars[h.end..(h.end + 12).min(chars.len())]
        .iter()
        .map(|&c| norm(c))
        .collect();
    if AFTER.iter().any(|w| after.starts_with(w)) {
        return true;
    }
    // What comes before it in the same clause.
    let mut from = h.start;
    while from > 0 && h.start - from < 8 && !"，。！？；,!?;\n".contains(chars[from - 1]) {
        from -= 1;
    }
    preceded_by(chars, h.start, h.start - from, HEALTH_BEFORE)
}

/// An amount right after a money word (月薪8000元, 房贷还有35万) or right
/// before it (35万未还): its span.
fn amount_near(chars: &[char], h: &Hit) -> Option<(usize, usize)> {
    for k in h.end..(h.end + 6).min(chars.len()) {
        if let Some(e) = amount_at(chars, k) {
            return Some((k, e));
        }
        if !"：: 是为有还约共达了欠近差剩余".contains(chars[k]) {
            break;
        }
    }
    (h.start.saturating_sub(12)..h.start)
        .find(|&k| amount_at(chars, k).is_some_and(|e| e == h.start))
        .map(|k| (k, h.start))
}

/// A date right after a birthday word, or right before it (1990年5月12日出生).
fn date_near(chars: &[char], h: &Hit) -> Option<(usize, usize)> {
    let j = skip_link(chars, h.end);
    let j = if chars.get(j..j + 2) == Some(&['o', 'n'][..]) {
        skip_link(chars, j + 2)
    } else {
        j
    };
    if let Some(e) = date_at(chars, j) {
        return Some((j, e));
    }
    (h.start.saturating_sub(12)..h.start)
        .find(|&k| {
            date_at(chars, k).is_some_and(|e| e == h.start || (e + 1 == h.start && chars[e] == ' '))
        })
        .map(|k| (k, h.start))
}

/// A place after an address word, down to its street, compound or village
/// (地址成都市武侯区科华北路, 您家（朝阳区望京西园小区）).
fn place_after(chars: &[char], h: &Hit) -> Option<(usize, usize)> {
    let mut j = h.end;
    while j < chars.len() && matches!(chars[j], '：' | ':' | '是' | '为' | '在' | '（' | '(' | ' ')
    {
        j += 1;
    }
    let run = chars[j.min(chars.len())..]
        .iter()
        .take_while(|&&c| is_cjk(c))
        .take(24)
        .count();
    let place = &chars[j..j + run];
    let street = (0..run).rev().find(|&k| {
        "路街巷弄村园苑厦寓".contains(place[k])
            || (place[k] == '区' && k > 0 && place[k - 1] == '小')
    })?;
    let admin = place[..street].iter().any(|&c| "省市区县镇乡".contains(c));
    (admin && street >= 3).then_some((j, j + street + 1))
}

/// What was found, before it becomes a [`Finding`].
struct Found {
    rule: &'static str,
    start: usize,
    end: usize,
    message: &'static str,
}

/// Whether a span of `found` (in order, not overlapping each other)
/// overlaps `s..e`.
fn overlaps(found: &[Found], s: usize, e: usize) -> bool {
    let k = found.partition_point(|f| f.end <= s);
    found.get(k).is_some_and(|f| f.start < e)
}

impl Default for PiiDetector {
    fn default() -> Self {
        PiiDetector::new()
    }
}

impl PiiDetector {
    pub fn new() -> PiiDetector {
        // Not the Han script property: the crate's regex features leave the
        // script tables out (they would weigh on the wasm build).
        let number = "[0-9０-９]{1,5}";
        let street = format!(
            "(?:路|街|大道|巷|弄|胡同){number}[号號](?:院|[楼樓])?(?:[0-9０-９A-Za-z]{{1,4}}(?:[栋棟幢座]|[号號][楼樓]|[单單]元|[层層楼樓]|室)?)*"
        );
        let building = format!(
            "{number}(?:[栋棟幢]|[号號][楼樓])[0-9０-９A-Za-z]{{0,4}}(?:[单單]元[0-9０-９]{{0,5}}室?|[0-9０-９]{{2,5}}室?|室)"
        );
        let anchored =
            |p: &str| Regex::new(&format!("^(?:{p})")).expect("the address patterns compile");
        PiiDetector {
            street: anchored(&street),
            building: anchored(&building),
            keywords: Keywords::new(),
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
                run <= 5 && matches!(chars.get(i + run), Some('栋' | '棟' | '幢' | '号' | '號'))
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
        // 998 号 5 幢, 1988 年 6 月, 30 万元: a space between a number and
        // its Chinese word is read as none (the spans are mapped back).
        let space = |c: char| c == ' ' || c == '\u{3000}';
        let squeeze = chars.iter().any(|&c| space(c))
            && chars.windows(3).any(|w| {
                space(w[1])
                    && ((digit(w[0]).is_some() && is_cjk(w[2]))
                        || (is_cjk(w[0]) && digit(w[2]).is_some()))
            });
        let found = if squeeze {
            let mut kept: Vec<usize> = Vec::with_capacity(chars.len());
            for (i, &c) in chars.iter().enumerate() {
                let between = i > 0
                    && i + 1 < chars.len()
                    && space(c)
                    && ((digit(chars[i - 1]).is_some() && is_cjk(chars[i + 1]))
                        || (is_cjk(chars[i - 1]) && digit(chars[i + 1]).is_some()));
                if !between {
                    kept.push(i);
                }
            }
            let squeezed: Vec<char> = kept.iter().map(|&i| chars[i]).collect();
            let squeezed_text: String = squeezed.iter().collect();
            let mut found = self.found(&squeezed_text, &squeezed, hotlines);
            for f in &mut found {
                (f.start, f.end) = (kept[f.start], kept[f.end - 1] + 1);
            }
            found
        } else {
            self.found(text, chars, hotlines)
        };
        found
            .into_iter()
            .map(|f| {
                Finding::builtin(
                    f.rule,
                    "pii",
                    Severity::Block,
                    chars,
                    (f.start, f.end),
                    f.message,
                    MESSAGE_SUGGESTION,
                )
            })
            .collect()
    }

    /// What [`PiiDetector::findings`] reports, as spans, sorted, without
    /// overlaps.
    fn found(&self, text: &str, chars: &[char], hotlines: &[String]) -> Vec<Found> {
        let mut found: Vec<Found> = Vec::new();
        fn push(
            found: &mut Vec<Found>,
            rule: &'static str,
            span: (usize, usize),
            message: &'static str,
        ) {
            found.push(Found {
                rule,
                start: span.0,
                end: span.1,
                message,
            });
        }
        // One pass over the chars: what kinds of data the draft can hold.
        let folded: Vec<char> = chars.iter().map(|&c| norm(c)).collect();
        let digits = folded.iter().filter(|c| c.is_ascii_digit()).count();
        let latin = folded.iter().any(|c| c.is_ascii_alphabetic());
        let numerals = folded
            .iter()
            .filter(|&&c| in_bitmap(&NUMERAL_BITS, c) && !c.is_ascii() && numeral(c).is_some())
            .count();
        let hits = self.keywords.find(&folded);
        if digits == 0 && numerals < 11 && !latin && hits.is_empty() {
            return found;
        }
        let hot = Hotlines::new(hotlines);
        let named = !persons(chars, &hits, latin).is_empty();
        // Runs of letters and digits, read only where something needs them.
        let streets = hits.iter().any(|h| h.kw == Kw::EnglishAddress);
        let need_tokens = (latin || digits > 0)
            && (named
                || streets
                || hits.iter().any(|h| {
                    matches!(
                        h.kw,
                        Kw::Passport | Kw::Permit | Kw::Licence | Kw::Social | Kw::WeChat | Kw::Qq
                    )
                }));
        let toks = if need_tokens {
            tokens(&folded)
        } else {
            Vec::new()
        };

        // Numbers: mobiles, ID cards, bank cards, and with a name landlines
        // and bank accounts.
        if digits > 0 {
            for run in digit_runs(chars) {
                let d = run.digits.as_str();
                if hot.has_digits(d) {
                    continue;
                }
                let span = (run.start, run.end);
                let order = preceded_by(chars, run.start, 6, ORDER_WORDS);
                let document =
                    hit_before(&hits, &[Kw::IdCard, Kw::Licence, Kw::Social], run.start, 10);
                if is_mobile(d) {
                    push(&mut found, "pii/mobile", span, "公开回复里有手机号");
                } else if looks_like_id(d) && (document.is_some() || (!order && is_id_card(d))) {
                    match document.map(|h| h.kw) {
                        Some(Kw::Licence) => push(
                            &mut found,
                            "pii/driving-licence",
                            span,
                            "公开回复里有驾驶证号",
                        ),
                        Some(Kw::Social) => push(
                            &mut found,
                            "pii/social-security",
                            span,
                            "公开回复里有社保、医保或公积金号",
                        ),
                        _ => push(&mut found, "pii/id-card", span, "公开回复里有身份证号"),
                    }
                } else if !order
                    && (16..=19).contains(&d.len())
                    && matches!(d.as_bytes()[0], b'3'..=b'6')
                    && passes_luhn(d)
                {
                    push(&mut found, "pii/bank-card", span, "公开回复里有银行卡号");
                } else if !order && is_old_id_card(d) {
                    push(&mut found, "pii/id-card", span, "公开回复里有身份证号");
                } else if named
                    && is_landline(&run)
                    && !preceded_by(chars, run.start, 12, STAFF_WORDS)
                {
                    push(
                        &mut found,
                        "pii/landline-with-name",
                        span,
                        "公开回复里有私人座机号和姓名",
                    );
                } else if named
                    && (10..=25).contains(&d.len())
                    && hit_before(&hits, &[Kw::Account], run.start, 8).is_some()
                    && has_hit(&hits, Kw::Bank)
                {
                    push(
                        &mut found,
                        "pii/bank-account-with-name",
                        span,
                        "公开回复里有银行账号和户名",
                    );
                }
            }
        }
        if digits + numerals >= 11 {
            for (s, e, d) in split_mobiles(chars) {
                if !hot.has_digits(&d) && !overlaps(&found, s, e) {
                    push(&mut found, "pii/mobile", (s, e), "公开回复里有手机号");
                }
            }
        }

        // Numbers and codes after their word: documents, private accounts,
        // and with a name the numbers that identify the person.
        for h in &hits {
            let next = || token_at(&toks, skip_link(chars, h.end));
            let span = |t: &Token| (t.start, t.end);
            match h.kw {
                Kw::Passport => {
                    if let Some(t) = next().filter(|t| is_passport(&t.text)) {
                        push(&mut found, "pii/passport", span(t), "公开回复里有护照号");
                    }
                }
                Kw::Permit => {
                    if let Some(t) = next().filter(|t| is_travel_permit(&t.text)) {
                        push(
                            &mut found,
                            "pii/travel-permit",
                            span(t),
                            "公开回复里有港澳台通行证或台胞证号",
                        );
                    }
                }
                Kw::Licence => {
                    if let Some(t) = next().filter(|t| {
                        t.alnum() && (10..=18).contains(&t.text.len()) && t.digits() >= 10
                    }) {
                        push(
                            &mut found,
                            "pii/driving-licence",
                            span(t),
                            "公开回复里有驾驶证号",
                        );
                    }
                }
                Kw::Social => {
                    let ssn = |t: &str| {
                        let b = t.as_bytes();
                        b.len() == 11
                            && b[3] == b'-'
                            && b[6] == b'-'
                            && t.bytes().filter(u8::is_ascii_digit).count() == 9
                    };
                    if let Some(t) = next().filter(|t| {
                        ssn(&t.text)
                            || (t.alnum()
                                && (8..=20).contains(&t.text.len())
                                && t.digits() >= 6
                                && t.letters() <= 2)
                    }) {
                        push(
                            &mut found,
                            "pii/social-security",
                            span(t),
                            "公开回复里有社保、医保或公积金号",
                        );
                    }
                }
                Kw::WeChat | Kw::Qq => {
                    let official = hit_before(&hits, &[Kw::Official], h.start, 8).is_some();
                    if let Some(t) = next().filter(|t| {
                        let b = t.text.as_bytes();
                        let qq = b.iter().all(u8::is_ascii_digit)
                            && (5..=11).contains(&b.len())
                            && b[0] != b'0';
                        let wechat = h.kw == Kw::WeChat
                            && (6..=20).contains(&b.len())
                            && b[0].is_ascii_alphabetic();
                        (qq || wechat) && !official && !hot.is(&t.text)
                    }) {
                        push(
                            &mut found,
                            "pii/wechat-qq",
                            span(t),
                            "公开回复里有私人微信号或QQ号",
                        );
                    }
                }
                Kw::Student if named => {
                    if let Some(t) = next().filter(|t| t.text.len() >= 6 && t.digits() >= 6) {
                        push(
                            &mut found,
                            "pii/student-number-with-name",
                            span(t),
                            "公开回复里有学号和学生姓名",
                        );
                    }
                }
                Kw::Policy if named => {
                    if let Some(t) = next().filter(|t| t.text.len() >= 6 && t.digits() >= 4) {
                        push(
                            &mut found,
                            "pii/policy-with-name",
                            span(t),
                            "公开回复里有保单号、合同号或申请编号和客户姓名",
                        );
                    }
                }
                Kw::Order if named => {
                    if let Some(t) = next().filter(|t| t.text.len() >= 6 && t.digits() >= 1) {
                        push(
                            &mut found,
                            "pii/order-with-name",
                            span(t),
                            "订单号和客户姓名一起出现在公开回复里",
                        );
                    }
                }
                Kw::Vin if named => {
                    if let Some(t) = next().filter(|t| is_vin_shape(&t.text)) {
                        push(
                            &mut found,
                            "pii/vin-with-name",
                            span(t),
                            "公开回复里有车架号和车主姓名",
                        );
                    }
                }
                Kw::Room | Kw::Bed if named => {
                    let max = if h.kw == Kw::Room { 5 } else { 3 };
                    let min = if h.kw == Kw::Room { 3 } else { 1 };
                    if let Some(t) = next().filter(|t| {
                        t.alnum()
                            && t.digits() == t.text.len()
                            && (min..=max).contains(&t.text.len())
                    }) {
                        push(
                            &mut found,
                            "pii/room-with-name",
                            span(t),
                            "公开回复里有房间号或床号和客人姓名",
                        );
                    }
                }
                Kw::Birthday if named => {
                    if let Some(span) = date_near(chars, h) {
                        push(
                            &mut found,
                            "pii/birthday-with-name",
                            span,
                            "公开回复里有生日和姓名",
                        );
                    }
                }
                Kw::Money if named => {
                    if let Some(span) = amount_near(chars, h) {
                        push(
                            &mut found,
                            "pii/salary-debt-with-name",
                            span,
                            "公开回复里有收入、欠款或贷款金额和姓名",
                        );
                    }
                }
                Kw::Health if named && !health_word_is_general(chars, h) => {
                    push(
                        &mut found,
                        "pii/health-with-name",
                        (h.start, h.end),
                        "公开回复里有病情和患者姓名",
                    );
                }
                Kw::AddressCue if named && is_cjk(chars[h.start]) => {
                    if let Some(span) = place_after(chars, h)
                        .filter(|_| !preceded_by(chars, h.start, 6, BUSINESS_WORDS))
                    {
                        push(
                            &mut found,
                            "pii/address-with-name",
                            span,
                            "公开回复里有地址和姓名",
                        );
                    }
                }
                _ => {}
            }
        }

        // Codes that identify a person with a name: a courier's tracking
        // code, a plate, a VIN, a seat on a flight or train, a room or bed.
        if named && (latin || digits > 0) {
            let trip = toks.iter().any(|t| is_trip(&t.text));
            for t in &toks {
                let after = |k: usize| chars.get(t.end + k).copied();
                if shape(&t.text, 2..=3, 10..=15) && !t.masked {
                    push(
                        &mut found,
                        "pii/order-with-name",
                        (t.start, t.end),
                        "订单号和客户姓名一起出现在公开回复里",
                    );
                } else if is_vin_shape(&t.text) && vin_check_ok(&t.text) {
                    push(
                        &mut found,
                        "pii/vin-with-name",
                        (t.start, t.end),
                        "公开回复里有车架号和车主姓名",
                    );
                } else if trip
                    && is_seat(&t.text)
                    && (after(0) == Some('座')
                        || hit_before(&hits, &[Kw::Seat], t.start, 4).is_some())
                {
                    push(
                        &mut found,
                        "pii/seat-with-name",
                        (t.start, t.end),
                        "公开回复里有航班或车次座位和乘客姓名",
                    );
                } else if t.digits() == t.text.len() && t.alnum() {
                    let n = t.text.len();
                    let room = (3..=5).contains(&n)
                        && ((after(0) == Some('房')
                            && !matches!(
                                after(1),
                                Some(
                                    '价' | '费'
                                        | '租'
                                        | '源'
                                        | '型'
                                        | '贷'
                                        | '产'
                                        | '东'
                                        | '屋'
                                        | '子'
                                )
                            ))
                            || (after(0) == Some('号') && after(1) == Some('房')));
                    let bed = (1..=3).contains(&n)
                        && ((after(0) == Some('床')
                            && !matches!(
                                after(1),
                                Some('被' | '单' | '垫' | '褥' | '品' | '头' | '上' | '位')
                            ))
                            || (after(0) == Some('号') && after(1) == Some('床')));
                    if room || bed {
                        push(
                            &mut found,
                            "pii/room-with-name",
                            (t.start, t.end),
                            "公开回复里有房间号或床号和客人姓名",
                        );
                    }
                }
            }
            for i in 0..chars.len().saturating_sub(1) {
                if folded[i + 1].is_ascii_alphabetic() && !folded[i].is_ascii() {
                    if let Some(e) = plate_at(chars, i) {
                        push(
                            &mut found,
                            "pii/plate-with-name",
                            (i, e),
                            "公开回复里有车牌号和车主姓名",
                        );
                    }
                }
            }
        }

        // E-mail addresses.
        if latin || digits > 0 {
            for (s, e, email) in emails(chars) {
                if !hot.is(&email) {
                    push(&mut found, "pii/email", (s, e), "公开回复里有电子邮箱");
                }
            }
        }

        // Addresses: streets and buildings (the anchored patterns),
        // compounds, villages and dormitories, and English addresses.
        let mut places: Vec<(usize, usize)> = if digits > 0 {
            self.addresses(text, chars)
        } else {
            Vec::new()
        };
        if digits + numerals > 0 {
            let cue = has_hit(&hits, Kw::AddressCue);
            for h in &hits {
                let mut j = h.end;
                match h.kw {
                    Kw::Compound => {
                        // 东区, A区, 二期 before the building.
                        if matches!(chars.get(j), Some('东' | '西' | '南' | '北' | '中'))
                            && chars.get(j + 1) == Some(&'区')
                        {
                            j += 2;
                        } else if let Some(e) = part_number(chars, j)
                            .filter(|&e| matches!(chars.get(e), Some('区' | '期')))
                        {
                            j = e + 1;
                        }
                    }
                    Kw::Dorm => {
                        if chars.get(j) == Some(&'楼') {
                            j += 1;
                        }
                    }
                    Kw::Village => {}
                    _ => continue,
                }
                let (end, parts) = address_parts(chars, j, h.kw == Kw::Dorm);
                let has = |p: Part| parts.contains(&p);
                let building = has(Part::Building) || has(Part::House);
                let ok = match h.kw {
                    Kw::Compound => {
                        has(Part::Unit) || has(Part::Room) || (building && (cue || named))
                    }
                    Kw::Village => has(Part::House) || (has(Part::Group) && (cue || named)),
                    _ => has(Part::Room),
                };
                if ok {
                    places.push((place_start(chars, h.start, 0), end));
                }
            }
        }
        for (mut s, e) in places {
            // Start after the last verb-like word before the place name.
            if let Some(p) = chars[s..e].iter().rposition(|c| {
                matches!(
                    c,
                    '往' | '到' | '为' | '是' | '在' | '至' | '：' | ':' | '址'
                )
            }) {
                s += p + 1;
            }
            if s >= e || business_before(chars, s) || invited_after(chars, e) {
                continue;
            }
            push(&mut found, "pii/address", (s, e), "公开回复里有详细地址");
        }
        if streets && digits > 0 {
            for span in english_addresses(chars, &toks, &hits) {
                push(&mut found, "pii/address", span, "公开回复里有详细地址");
            }
        }

        crate::sort::sort_by_key(&mut found, |f| (f.start, f.end));
        found.dedup_by(|a, b| a.start < b.end && b.start < a.end);
        found
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
    fn a_person_is_named_by_an_honorific_a_label_or_a_greeting() {
        let d = PiiDetector::new();
        let named = |t: &str| {
            let chars: Vec<char> = t.chars().collect();
            let folded: Vec<char> = chars.iter().map(|&c| norm(c)).collect();
            !persons(&chars, &d.keywords.find(&folded), true).is_empty()
        };
        assert!(named("王先生您好"));
        assert!(named("李娜女士"));
        assert!(named("收件人：张伟"));
        assert!(named("乘客李雷"));
        assert!(named("张伟您好"));
        assert!(named("Dear Mr. Smith"));
        assert!(named("会员张丽（"));
        assert!(!named("先生您好"));
        assert!(!named("各位先生女士"));
        assert!(!named("客服小姐姐"));
        assert!(!named("客户：A1"));
        assert!(!named("联系人"));
        assert!(!named("客户付款后"));
        assert!(!named("马上为您处理"));
    }

    /// A long draft made of nothing but personal data and keywords: every
    /// search is bounded by a window, so twice the text costs about twice
    /// the time (a quadratic search took minutes here).
    #[test]
    fn a_long_draft_full_of_personal_data_stays_linear() {
        let piece = "收件人张伟，身份证号330106198603151235，护照E12345678，微信号 zhang_wei88，QQ 12345678，\
                     王先生京A·12345，车架号LSVAU218XN2183294，1208房间，月薪8000元，生日1990-05-12，\
                     寄到阳光小区6栋2单元502室，138 口 1234 口 5678，li[at]qq.com，Room 12, No. 8 Renmin Road；";
        let d = PiiDetector::new();
        let time = |n: usize| {
            let text = piece.repeat(n);
            let chars: Vec<char> = text.chars().collect();
            let start = std::time::Instant::now();
            let found = d.findings(&text, &chars, &[]);
            assert!(found.len() >= n * 10, "{}", found.len());
            start.elapsed()
        };
        time(50);
        let (small, large) = (time(500), time(2000));
        assert!(
            large < small * 12,
            "500 pieces {small:?}, 2000 pieces {large:?}"
        );
    }

    #[test]
    fn no_keyword_is_longer_than_the_window_reach() {
        let longest = KEYWORDS
            .iter()
            .flat_map(|(_, ws)| ws.iter())
            .map(|w| w.chars().count())
            .max();
        assert!(longest <= Some(KEYWORD_MAX), "{longest:?}");
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
