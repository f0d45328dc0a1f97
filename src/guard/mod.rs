//! The reply guard: checks a draft reply and says whether it may be posted.
//!
//! A [`Guard`] holds the phrase lists in force and the built-in detectors,
//! and [`Guard::check`] returns a [`Report`] in the shape of the SPEC's
//! `kefu check` JSON. One check reads the draft once with one matcher (the
//! phrase lists and the tone lexicons compiled together), then each detector
//! reads the result:
//!
//! - [`lexicon`]: the built-in lexicons (`data/tone/`, in the list format)
//!   and the signals they name;
//! - [`words`]: what a word and a sentence are;
//! - [`draft`]: a draft read once (chars, sentences, signals);
//! - [`score`]: the human-touch score (Flesch's Human Interest, adapted);
//! - [`tone`]: tone labels (blame, buck_passing, bureaucratic, sarcasm,
//!   ad_tone, overpromise, cold);
//! - [`context`]: no_empathy and no_next_step, from the category of the
//!   comment replied to (`crate::triage`);
//! - [`offensive`]: the offensive-language model (`insult` where no list
//!   has the words);
//! - [`pii`]: personal data;
//! - [`weibo`]: Weibo's length limit and repeated replies;
//! - [`report`]: the report's types.
//!
//! Loading lists is atomic: a list with an error is rejected whole and the
//! guard keeps the lists it had ([`Guard::with_lists`] returns a new guard or
//! the errors). A loaded list whose id is a lexicon's (`tone`,
//! `tone-signals`, `tone-words`) replaces that lexicon.
//!
//! The same label from a phrase list and from a tone cue or the model over
//! overlapping text is reported once, as the phrase list's finding.

pub mod context;
pub mod draft;
pub mod lexicon;
pub mod offensive;
pub mod pii;
pub mod report;
pub mod score;
pub mod tone;
pub mod weibo;
pub mod words;

pub use report::{Finding, Report, ScoreItem, Tone, Verdict};

use crate::lists::PhraseList;
#[cfg(feature = "authoring")]
use crate::lists::{self, Diagnostic};
use crate::matcher::Matcher;
use crate::triage::{Category, Comment, Triager, Urgency};
use draft::Draft;
use lexicon::{Lexicons, Signal};
use offensive::Offensive;
use pii::PiiDetector;
use std::sync::{Mutex, OnceLock};
use words::Segmenter;

/// What the draft answers and what the page knows, when known.
#[derive(Debug, Clone, Copy, Default)]
pub struct Context<'a> {
    /// The comment the draft replies to.
    pub reply_to: Option<&'a str>,
    /// Its category, when the caller has triaged it already; otherwise the
    /// guard triages `reply_to`.
    pub reply_category: Option<Category>,
    /// The agent's recent replies, newest first or last (order is unused),
    /// for `repeated`.
    pub recent: &'a [String],
    /// The company's public contacts (team settings `hotlines`): not
    /// personal data.
    pub hotlines: &'a [String],
}

/// The lists that ship with Kefu, by file name.
pub const DEFAULT_LISTS: [&str; 4] = [
    "insults.toml",
    "ad-law.toml",
    "service-taboo.toml",
    "overpromise.toml",
];

/// The lists that ship with Kefu, as (file name, contents) (`crate::data`).
pub fn default_lists() -> Vec<(&'static str, &'static str)> {
    DEFAULT_LISTS
        .into_iter()
        .map(|name| (name, crate::data::get(&format!("lists/{name}"))))
        .collect()
}

/// The default lists, read (`crate::data::list`).
pub fn default_phrase_lists() -> Vec<PhraseList> {
    DEFAULT_LISTS
        .iter()
        .map(|name| crate::data::list(&format!("lists/{name}")))
        .collect()
}

/// Lists read together: the phrase lists, and the lexicons with any list
/// that bears a lexicon's id in its place. Errors on a repeated id.
fn split_lexicons(lists: Vec<PhraseList>) -> Result<(Vec<PhraseList>, Lexicons), String> {
    let mut phrase_lists: Vec<PhraseList> = Vec::new();
    let mut lexicons = Lexicons::builtin();
    for list in lists {
        if Lexicons::is_reserved(&list.id) {
            lexicons.replace(list);
        } else if phrase_lists.iter().any(|l| l.id == list.id) {
            return Err(format!("two lists have the id `{}`", list.id));
        } else {
            phrase_lists.push(list);
        }
    }
    Ok((phrase_lists, lexicons))
}

/// Lists in force plus the built-in detectors.
pub struct Guard {
    lists: Vec<PhraseList>,
    lexicons: Lexicons,
    /// The phrase lists, then the tone cue list, then the signal list.
    matcher: Matcher,
    segmenter: Segmenter,
    triager: Triager,
    pii: PiiDetector,
    /// The offensive-language model (off only to measure the lists alone).
    offensive: Option<&'static Offensive>,
    /// The last comment replied to and its category: the page checks the
    /// draft on every keystroke against the same comment, and triaging it
    /// is a third of a check.
    last_reply: Mutex<Option<(String, Option<Category>, bool)>>,
    /// The phrase lists alone, compiled on the first [`Guard::scan_utf16`]:
    /// a long text need not go through the tone lexicons' patterns.
    lists_only: OnceLock<Matcher>,
}

impl Guard {
    /// A guard with the given lists (already parsed without errors) and the
    /// built-in lexicons.
    pub fn new(lists: Vec<PhraseList>) -> Guard {
        Guard::with_lexicons(lists, Lexicons::builtin())
    }

    fn with_lexicons(lists: Vec<PhraseList>, lexicons: Lexicons) -> Guard {
        let matcher = Matcher::new(&Guard::matched(&lists, &lexicons));
        Guard::from_parts(lists, lexicons, matcher)
    }

    /// What the matcher matches: the phrase lists, the tone cues, the signals.
    fn matched(lists: &[PhraseList], lexicons: &Lexicons) -> Vec<PhraseList> {
        let mut all = lists.to_vec();
        all.push(lexicons.tone.clone());
        all.push(lexicons.signals.clone());
        all
    }

    fn from_parts(lists: Vec<PhraseList>, lexicons: Lexicons, matcher: Matcher) -> Guard {
        Guard {
            matcher,
            segmenter: Segmenter::new(&lexicons.words),
            lists,
            lexicons,
            triager: Triager::new(),
            pii: PiiDetector::new(),
            offensive: Some(Offensive::shipped()),
            last_reply: Mutex::new(None),
            lists_only: OnceLock::new(),
        }
    }

    /// A guard with the default lists.
    pub fn with_default_lists() -> Guard {
        Guard::new(default_phrase_lists())
    }

    /// The same guard without the offensive-language model: the phrase
    /// lists and the other detectors alone (the keyword baseline that
    /// QUALITY.md compares the model with).
    pub fn without_offensive_model(mut self) -> Guard {
        self.offensive = None;
        self
    }

    /// The phrase lists in force (not the lexicons).
    pub fn lists(&self) -> &[PhraseList] {
        &self.lists
    }

    /// The tone lexicons in force.
    pub fn lexicons(&self) -> &Lexicons {
        &self.lexicons
    }

    /// A new guard with the given lists (read and linted already: the JSON
    /// form of [`PhraseList`]) in force beside the built-in lexicons; a list
    /// with a lexicon's id replaces that lexicon. Errors if two lists share
    /// an id.
    pub fn with_read_lists(lists: Vec<PhraseList>) -> Result<Guard, String> {
        let (lists, lexicons) = split_lexicons(lists)?;
        Ok(Guard::with_lexicons(lists, lexicons))
    }

    /// The same guard as [`Guard::with_read_lists`], its matcher loaded from
    /// the bytes of [`Guard::matcher_bytes`] instead of compiled: what the
    /// extension keeps so that a browser restart does not recompile. Errors
    /// if the bytes are damaged, from another engine version, or were not
    /// built from these lists.
    pub fn from_matcher_bytes(lists: Vec<PhraseList>, bytes: &[u8]) -> Result<Guard, String> {
        let (lists, lexicons) = split_lexicons(lists)?;
        let matcher = Matcher::from_bytes_for(bytes, &Guard::matched(&lists, &lexicons))
            .map_err(|e| e.to_string())?;
        Ok(Guard::from_parts(lists, lexicons, matcher))
    }

    /// Every hit of the phrase lists in force (not the tone lexicons) in a
    /// long text given as UTF-16 code units, as JavaScript holds it: for
    /// trying lists on many past replies at once. Each is `(list index,
    /// rule index, start, end)`, offsets in code units (a JavaScript
    /// string's indices).
    pub fn scan_utf16(&self, text: &[u16]) -> Vec<(usize, usize, usize, usize)> {
        self.lists_only
            .get_or_init(|| Matcher::new(&self.lists))
            .find_utf16(text)
            .into_iter()
            .map(|h| (h.list, h.rule, h.start, h.end))
            .collect()
    }

    /// The compiled matcher (phrase lists and lexicons), serialized.
    pub fn matcher_bytes(&self) -> Vec<u8> {
        self.matcher.to_bytes()
    }

    /// A new guard with `extra` lists added to the ones in force (a list
    /// with a lexicon's id replaces that lexicon), or every diagnostic if
    /// any of them fails; `self` is untouched either way.
    #[cfg(feature = "authoring")]
    pub fn with_lists(&self, extra: &[(String, Vec<u8>)]) -> Result<Guard, Vec<Diagnostic>> {
        let mut lists = self.lists.clone();
        let mut lexicons = self.lexicons.clone();
        let mut errors = Vec::new();
        for (name, bytes) in extra {
            let parsed = lists::parse(name, bytes);
            if parsed.has_errors() {
                errors.extend(parsed.diagnostics);
            } else if let Some(list) = parsed.list {
                if Lexicons::is_reserved(&list.id) {
                    lexicons.replace(list);
                } else if lists.iter().any(|l| l.id == list.id) {
                    errors.push(Diagnostic {
                        file: name.clone(),
                        line: 1,
                        col: 1,
                        level: lists::Level::Error,
                        message: format!("a list with id `{}` is already loaded", list.id),
                        source_line: String::new(),
                    });
                } else {
                    lists.push(list);
                }
            }
        }
        if errors.is_empty() {
            Ok(Guard::with_lexicons(lists, lexicons))
        } else {
            Err(errors)
        }
    }

    /// The category of the comment replied to, if known, and whether it is
    /// unclear: a comment with something to say that triage could not place
    /// (it calls it chatter, but not noise). An unclear comment has no
    /// category here; the draft may still show it is a complaint (see
    /// [`Guard::check`]).
    fn reply_category(&self, context: &Context<'_>) -> (Option<Category>, bool) {
        if let Some(c) = context.reply_category {
            return (Some(c), false);
        }
        let Some(text) = context.reply_to.map(str::trim).filter(|t| !t.is_empty()) else {
            return (None, false);
        };
        // A poisoned lock only means a panic elsewhere mid-update: the
        // cache is then just not used.
        let mut last = self.last_reply.lock().ok();
        if let Some(Some((t, c, unclear))) = last.as_deref() {
            if t == text {
                return (*c, *unclear);
            }
        }
        let triaged = self.triager.triage(
            &[Comment::from_text(text)],
            &crate::settings::Settings::default(),
            None,
        );
        let (category, unclear) = match triaged.first() {
            Some(t) if t.category == Category::Chatter && t.urgency != Urgency::Noise => {
                (None, true)
            }
            Some(t) => (Some(t.category), false),
            None => (None, false),
        };
        if let Some(last) = last.as_deref_mut() {
            *last = Some((text.to_string(), category, unclear));
        }
        (category, unclear)
    }

    /// Checks one draft.
    pub fn check(&self, text: &str, context: &Context<'_>) -> Report {
        let mut draft = Draft::new(text);
        let n = self.lists.len();
        let (tone_list, signal_list) = (n, n + 1);
        let mut findings: Vec<Finding> = Vec::new();
        let mut cues = Vec::new();
        for h in self.matcher.find(text) {
            let span = (h.start, h.end);
            if h.list < n {
                let list = &self.lists[h.list];
                let rule = &list.rules[h.rule];
                findings.push(Finding {
                    rule: format!("{}/{}", list.id, rule.id),
                    label: rule.label.clone(),
                    severity: rule.severity,
                    start: h.start,
                    end: h.end,
                    text: draft.slice(span),
                    message: rule.message.clone(),
                    suggestion: rule.suggest.clone(),
                });
            } else if h.list == tone_list {
                cues.push((h.rule, span));
            } else if h.list == signal_list {
                let label = &self.lexicons.signals.rules[h.rule].label;
                if let Some(signal) = Signal::from_label(label) {
                    // 不是我们的责任 owns nothing: a negated
                    // acknowledgement is none.
                    if signal == Signal::Empathy && draft.negated_before(h.start) {
                        continue;
                    }
                    draft.signals.push(signal, span);
                }
            }
        }
        let (mut category, unclear) = self.reply_category(context);
        let formulas: Vec<(usize, usize)> = cues
            .iter()
            .filter(|(r, _)| self.lexicons.tone.rules[*r].label == "bureaucratic")
            .map(|&(_, span)| span)
            .collect();
        let mut tone = tone::findings(&draft, &self.lexicons.tone, &cues, category, &findings);
        // A comment triage could not place is a complaint when the reply
        // treats it as one: it apologises, or it blames, mocks, insults or
        // sends the customer elsewhere.
        if unclear
            && (draft.signals.has(Signal::Empathy)
                || tone.iter().chain(&findings).any(|f| {
                    matches!(
                        f.label.as_str(),
                        "blame" | "buck_passing" | "sarcasm" | "insult"
                    )
                }))
        {
            category = Some(Category::Complaint);
            tone = tone::findings(&draft, &self.lexicons.tone, &cues, category, &findings);
        }
        let phrase_findings = findings.len();
        findings.extend(tone);
        if let Some(model) = self.offensive {
            findings.extend(model.finding(text, &draft.chars));
        }
        dedupe_builtin(&mut findings, phrase_findings);
        let context_findings =
            context::findings(&draft, context.reply_to, category, &findings, &formulas);
        findings.extend(context_findings);
        findings.extend(self.pii.findings(text, &draft.chars, context.hotlines));
        findings.extend(weibo::too_long(&draft.chars));
        findings.extend(weibo::repeated(text, &draft.chars, context.recent));
        crate::sort::sort_by_key(&mut findings, |f| (f.start, f.end));

        let words = self.segmenter.words(text, &draft.chars).len();
        let hostile: Vec<(usize, usize)> = findings
            .iter()
            .filter(|f| matches!(f.label.as_str(), "insult" | "blame" | "sarcasm"))
            .map(|f| (f.start, f.end))
            .collect();
        let score = score::score(&draft, words, &hostile);
        let verdict = findings
            .iter()
            .map(|f| Verdict::of(f.severity))
            .max()
            .unwrap_or(Verdict::Ok);
        let mut labels: Vec<String> = Vec::new();
        for f in &findings {
            if !labels.contains(&f.label) {
                labels.push(f.label.clone());
            }
        }
        Report {
            verdict,
            findings,
            tone: Tone {
                score: score.score,
                band: score.band.to_string(),
                labels,
                raised: score.raised,
                lowered: score.lowered,
            },
        }
    }
}

/// Drops a built-in finding (index `from` on) whose label a phrase-list
/// finding, or an earlier built-in one, already gives over overlapping text.
/// The chars that kept findings cover are marked per label, so a draft with
/// thousands of findings is not compared pair by pair.
fn dedupe_builtin(findings: &mut Vec<Finding>, from: usize) {
    /// What is kept for one label: a bit per covered char, and the spans
    /// (read only for an empty span, which covers no char).
    #[derive(Default)]
    struct Kept {
        bits: Vec<u64>,
        spans: Vec<(usize, usize)>,
        points: Vec<usize>,
    }
    impl Kept {
        /// Whether some kept span overlaps `start..end` (the pairwise test
        /// `g.start < end && start < g.end`).
        fn overlaps(&self, start: usize, end: usize) -> bool {
            if start == end {
                return self.spans.iter().any(|&(s, e)| s < start && start < e);
            }
            let covered = |i: usize| {
                self.bits
                    .get(i / 64)
                    .is_some_and(|w| w >> (i % 64) & 1 == 1)
            };
            (start..end).any(covered) || self.points.iter().any(|&p| start < p && p < end)
        }
        fn add(&mut self, start: usize, end: usize) {
            if start == end {
                self.points.push(start);
                return;
            }
            self.spans.push((start, end));
            if self.bits.len() < end.div_ceil(64) {
                self.bits.resize(end.div_ceil(64), 0);
            }
            for i in start..end {
                self.bits[i / 64] |= 1 << (i % 64);
            }
        }
    }
    let mut builtin: Vec<Finding> = findings.split_off(from);
    // By label (a handful of them).
    let mut kept: Vec<(String, Kept)> = Vec::new();
    fn of<'k>(kept: &'k mut Vec<(String, Kept)>, label: &str) -> &'k mut Kept {
        let i = match kept.iter().position(|(l, _)| l == label) {
            Some(i) => i,
            None => {
                kept.push((label.to_string(), Kept::default()));
                kept.len() - 1
            }
        };
        &mut kept[i].1
    }
    for g in findings.iter() {
        of(&mut kept, &g.label).add(g.start, g.end);
    }
    // Longer spans first, so a cue inside a longer cue of its label goes.
    crate::sort::sort_by_key(&mut builtin, |f| {
        (std::cmp::Reverse(f.end - f.start), f.start)
    });
    for f in builtin {
        let k = of(&mut kept, &f.label);
        if !k.overlaps(f.start, f.end) {
            k.add(f.start, f.end);
            findings.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(draft: &str, reply_to: Option<&str>) -> Report {
        Guard::with_default_lists().check(
            draft,
            &Context {
                reply_to,
                ..Context::default()
            },
        )
    }

    #[test]
    fn insult_blocks_and_clean_reply_passes() {
        let r = check("你这个蠢驴", None);
        assert_eq!(r.verdict, Verdict::Block);
        assert_eq!(r.findings[0].label, "insult");
        let r = check("亲，您好，我们马上为您处理哦", None);
        assert_eq!(r.verdict, Verdict::Ok, "{r:?}");
    }

    #[test]
    fn a_broken_list_leaves_the_guard_as_it_was() {
        let g = Guard::with_default_lists();
        let n = g.lists().len();
        let bad = vec![("bad.toml".to_string(), b"[list\n".to_vec())];
        assert!(g.with_lists(&bad).is_err());
        assert_eq!(g.lists().len(), n);
    }

    #[test]
    fn a_list_with_a_lexicon_id_replaces_the_lexicon() {
        let g = Guard::with_default_lists();
        let mine = "[list]\nid = \"tone\"\nversion = \"1\"\n[[rule]]\nid = \"x\"\nlabel = \"blame\"\nseverity = \"warn\"\nmessage = \"m\"\nphrases = [\"怪您\"]\n";
        let g2 = g.with_lists(&[("t.toml".into(), mine.into())]).unwrap();
        assert_eq!(g2.lists().len(), g.lists().len());
        let r = g2.check("这要怪您", &Context::default());
        assert!(r.findings.iter().any(|f| f.rule == "tone/x"), "{r:?}");
        assert!(!g2
            .check("您自己弄坏的", &Context::default())
            .findings
            .iter()
            .any(|f| f.label == "blame"));
    }

    #[test]
    fn every_label_is_a_finding_and_missing_ones_span_the_draft() {
        let draft = "已反馈至相关部门。";
        let r = check(draft, Some("快递一个星期了还没到，太差了，投诉"));
        for l in ["bureaucratic", "cold", "no_empathy", "no_next_step"] {
            assert!(r.tone.labels.iter().any(|x| x == l), "{l}: {r:?}");
        }
        let n = draft.chars().count();
        for f in &r.findings {
            assert!(r.tone.labels.contains(&f.label));
            if matches!(f.label.as_str(), "cold" | "no_empathy" | "no_next_step") {
                assert_eq!((f.start, f.end), (0, n));
            }
        }
    }

    fn rules(r: &Report, label: &str) -> Vec<String> {
        r.findings
            .iter()
            .filter(|f| f.label == label)
            .map(|f| f.rule.clone())
            .collect()
    }

    #[test]
    fn a_negated_cue_is_no_blame_and_our_own_fault_or_errand_is_not_the_customers() {
        let complaint = Some("充电器用了两天就坏了，太差了");
        for (draft, label, want) in [
            ("是您自己弄坏的吧", "blame", true),
            ("不是您的原因，也不用您自己跑，我们来换", "blame", false),
            ("是我们工作人员操作失误，真的抱歉", "blame", false),
            ("是您操作失误造成的", "blame", true),
            ("这个您联系快递吧", "buck_passing", true),
            (
                "我们已经帮您联系快递了，今天给您回复",
                "buck_passing",
                false,
            ),
            ("无需联系快递，我们直接补发", "buck_passing", false),
        ] {
            let r = check(draft, complaint);
            assert_eq!(!rules(&r, label).is_empty(), want, "{draft}: {r:?}");
        }
    }

    #[test]
    fn a_reply_that_flatly_contradicts_the_complaint_is_blame_unless_it_apologises() {
        let comment = Some("空调没有暖气，也没有宽带，太差了");
        let r = check("房间含暖气，免费宽带。", comment);
        assert!(
            rules(&r, "blame").contains(&"tone/contradicts".to_string()),
            "{r:?}"
        );
        let r = check("抱歉让您冻着了！房间含暖气，师傅马上去看。", comment);
        assert!(rules(&r, "blame").is_empty(), "{r:?}");
        // Saying the same lack back is no contradiction.
        let r = check("房间没有暖气，今天就修。", comment);
        assert!(rules(&r, "blame").is_empty(), "{r:?}");
        let r = check("我们的前台并没有态度恶劣。", Some("前台态度恶劣，投诉！"));
        assert!(
            rules(&r, "blame").contains(&"tone/contradicts".to_string()),
            "{r:?}"
        );
    }

    #[test]
    fn a_superlative_said_of_the_shop_blocks_and_effort_does_not() {
        assert_eq!(
            check("我们是本市最大的旗舰店", None).verdict,
            Verdict::Block
        );
        assert_eq!(
            check("我们会尽最大努力，最快明天送到", None).verdict,
            Verdict::Ok
        );
    }

    #[test]
    fn the_remembered_comment_is_used_only_for_the_same_comment() {
        let g = Guard::with_default_lists();
        let labels = |reply_to: &str| {
            g.check(
                "好的，已为您登记。",
                &Context {
                    reply_to: Some(reply_to),
                    ..Context::default()
                },
            )
            .tone
            .labels
        };
        let complaint = "快递丢了，太差了，我要投诉";
        let praise = "客服小姐姐态度超好，点赞！";
        let empathy = |l: Vec<String>| l.iter().any(|x| x == "no_empathy");
        assert!(empathy(labels(complaint)));
        assert!(empathy(labels(complaint)));
        assert!(!empathy(labels(praise)));
        assert!(empathy(labels(complaint)));
    }

    fn has(r: &Report, label: &str) -> bool {
        r.tone.labels.iter().any(|l| l == label)
    }

    #[test]
    fn an_empty_draft_has_no_score() {
        for draft in ["", "   ", "\n"] {
            let r = check(draft, Some("快递丢了，太差了"));
            assert_eq!((r.tone.score, r.tone.band.as_str()), (0, "none"), "{r:?}");
            assert!(r.findings.is_empty(), "{r:?}");
        }
    }

    #[test]
    fn an_insult_blame_or_sarcasm_keeps_the_score_dull() {
        let complaint = Some("东西坏了，太差了");
        let warm = check("亲，您好呀！您放心，我们马上帮您换新哦[心]", complaint);
        assert!(warm.tone.score >= 40, "{warm:?}");
        for hostile in [
            "你这个蠢驴，你自己不会看说明书吗？",
            "亲，您好呀！这是您自己弄坏的哦[心]",
            "是是是，您说什么都对呀[微笑]",
        ] {
            let r = check(hostile, complaint);
            assert!(r.tone.score <= 9, "{hostile}: {r:?}");
            assert_eq!(r.tone.band, "dull", "{hostile}");
            assert!(r.tone.lowered.iter().any(|i| i.reason.contains("指责")));
        }
    }

    #[test]
    fn cold_needs_no_personal_word_and_is_not_said_of_an_answer() {
        let question = Some("这款洗衣机支持分期吗？");
        let complaint = Some("杯子收到就是碎的，太失望了");
        assert!(!has(&check("支持分期。", question), "cold"));
        assert!(has(&check("已记录。", question), "cold"));
        assert!(has(&check("以官方公告为准。", question), "cold"));
        assert!(has(&check("已补发。", complaint), "cold"));
        let r = check("我们已安排补发，明天送到。", complaint);
        assert!(!has(&r, "cold") && has(&r, "no_empathy"), "{r:?}");
        assert!(!has(
            &check(
                "Yes, we are open on Sundays. See you!",
                Some("Open on Sunday?")
            ),
            "cold"
        ));
    }

    #[test]
    fn empathy_is_owed_to_a_complaint_and_a_mock_or_negated_one_is_none() {
        assert!(!has(
            &check("支持分期。", Some("这款洗衣机支持分期吗？")),
            "no_empathy"
        ));
        let complaint = Some("航班延误三个小时没人解释，太不负责了");
        for (draft, owed) in [
            ("让您白跑一趟机场，我们改签到明早的航班。", false),
            ("给您的行程造成了影响，改签已办好。", false),
            ("延误不是我们的责任，请问机场。", true),
            ("是是是，都是我们的错[微笑]", true),
            (
                "Sorry for the delay, we rebooked you on the 8am flight.",
                false,
            ),
        ] {
            assert_eq!(has(&check(draft, complaint), "no_empathy"), owed, "{draft}");
        }
    }

    #[test]
    fn telling_the_reader_what_to_do_is_a_next_step_and_a_lecture_is_not() {
        let complaint = Some("APP一直闪退，登不上去");
        let r = check("抱歉！请更新到最新版本后重新登录。", complaint);
        assert!(!has(&r, "no_next_step"), "{r:?}");
        let r = check("抱歉！已为您重置账号。", complaint);
        assert!(!has(&r, "no_next_step"), "{r:?}");
        let r = check(
            "闪退是因为您的手机太旧了，建议您自己换一个手机。",
            complaint,
        );
        assert!(has(&r, "blame") && has(&r, "no_next_step"), "{r:?}");
    }

    #[test]
    fn agency_and_conditions_decide_blame_and_buck_passing() {
        let complaint = Some("快递放驿站不送上门，还不打电话");
        for (draft, label, want) in [
            ("您下单时没备注清楚，下次记得。", "blame", true),
            ("如果您没收到取件码，我们马上重发。", "blame", false),
            (
                "抱歉，是快递员没按要求派送，我们来处理，今天送到。",
                "blame",
                false,
            ),
            (
                "抱歉，是快递员没按要求派送，我们来处理，今天送到。",
                "buck_passing",
                false,
            ),
            (
                "快递的问题，我们已为您处理，今天送到。",
                "buck_passing",
                false,
            ),
            (
                "派送是快递公司负责的，请您联系快递员。",
                "buck_passing",
                true,
            ),
            ("师傅说您自己同意放驿站的。", "blame", true),
        ] {
            assert_eq!(
                has(&check(draft, complaint), label),
                want,
                "{draft}: {label}"
            );
        }
    }

    #[test]
    fn buck_passing_reaches_the_third_parties_of_every_industry() {
        let complaint = Some("出了问题一直没人管，太差了");
        for draft in [
            "押金的事您找房东吧。",
            "售后问题请找购车的4S店处理。",
            "井盖归市政管，请拨打市政热线。",
            "行李破损请联系机场地服。",
            "扣款是支付通道那边的问题，请您咨询发卡银行。",
            "Please contact the manufacturer, not our problem.",
            "那家是加盟店，退款您去找加盟商。",
        ] {
            assert!(has(&check(draft, complaint), "buck_passing"), "{draft}");
        }
        for draft in [
            "抱歉！我们已经帮您联系房东，明天上午给您答复。",
            "非常抱歉，我们来联系4S店，今天给您回电。",
        ] {
            assert!(!has(&check(draft, complaint), "buck_passing"), "{draft}");
        }
    }

    #[test]
    fn an_own_branch_is_an_answer_to_a_question_and_buck_passing_to_a_complaint() {
        let r = check(
            "带身份证到就近的营业厅办理就行。",
            Some("手机卡丢了怎么补办？"),
        );
        assert!(!has(&r, "buck_passing"), "{r:?}");
        let r = check(
            "年费问题请您到开户网点柜台咨询。",
            Some("信用卡乱扣年费，太坑了"),
        );
        assert!(has(&r, "buck_passing"), "{r:?}");
    }

    #[test]
    fn selling_in_a_complaint_is_ad_tone_and_compensation_is_not() {
        let complaint = Some("衣服洗了一次就掉色，太差了");
        assert!(has(
            &check("抱歉！新款限时八折，欢迎抢购。", complaint),
            "ad_tone"
        ));
        assert!(has(
            &check("Sorry! Our new collection is on sale, buy now!", complaint),
            "ad_tone"
        ));
        assert!(!has(
            &check("抱歉！给您补偿一张新品体验券，今天到账。", complaint),
            "ad_tone"
        ));
        assert!(!has(
            &check("谢谢！新款限时八折哦～", Some("衣服很好看，好评")),
            "ad_tone"
        ));
    }

    #[test]
    fn rhetorical_questions_and_mockery_are_found_by_their_form() {
        let complaint = Some("等了半小时咖啡还没做好");
        for (draft, label) in [
            ("这么简单的道理都不懂吗？", "blame"),
            ("您难道不知道高峰期要排队？", "blame"),
            ("谁让您高峰期来的？", "blame"),
            ("别人都没催，就您急。", "blame"),
            ("请不要夸大其词。", "blame"),
            ("才半小时就等不了？", "sarcasm"),
            ("等半小时至于这么生气吗", "sarcasm"),
            ("是是是，您说得都对", "sarcasm"),
            ("马上好[doge]", "sarcasm"),
        ] {
            assert!(has(&check(draft, complaint), label), "{draft}: {label}");
        }
        // Among friends a playful emoticon is play.
        assert!(!has(
            &check("谢谢夸奖[doge]", Some("咖啡超好喝，点赞")),
            "sarcasm"
        ));
    }

    #[test]
    fn warm_beats_bureaucratic_on_the_score() {
        let warm = check("亲，您好呀！我们马上帮您查一下订单哦[心]", None);
        let dull = check("根据相关规定，该客户的订单按流程处理。", None);
        assert!(warm.tone.score > dull.tone.score);
        assert!(!warm.tone.raised.is_empty());
        assert!(dull.tone.lowered.iter().any(|i| i.text == "该客户"));
        assert_eq!(dull.tone.band, "dull");
    }
}
