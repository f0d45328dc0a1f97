//! Evidence: what the words and the shape of a comment say, as votes for
//! each category with the reasons that an agent reads.
//!
//! Each cue found by the lexicon votes for its signal's category with the
//! signal's weight, adjusted by its modifiers (`negation`): a negated cue
//! is dropped or votes for its `negated` category at half weight; a degree
//! word before it strengthens it; a contrast (但是, 就是) shifts the weight to
//! the clause after it; a safety cue in a hypothetical clause is a worry,
//! not an emergency, and so is one told as a story of long ago (去年 …
//! 摔了一跤); a resolution (找回, 挽回) cancels emergencies and problems; a
//! sarcasm marker turns praise into complaint. Signals read from its shape
//! (`form`) vote too.
//!
//! A repost chain (`//@name:` layers) is still about the company: a danger
//! in it weighs in full, and when the commenter's own layer says nothing
//! of its own (转发, 同样遭遇, +1) the chain is what the comment says, in
//! full; beside words of the commenter's own it weighs less. A complaint or
//! danger inside a #topic# is public already: critical.
//!
//! Choosing a category from the votes is `category`; urgency and score are
//! `urgency`.

use super::form::Form;
use super::lexicon::{Found, Lexicon, Role, Signal};
use super::model::{Model, Verdict};
use super::negation::{self, Clauses};
use super::Category;
use std::borrow::Cow;

/// Number of categories (`Category as usize` indexes the votes).
pub const CATEGORIES: usize = 7;

/// What a comment's words and shape say.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Evidence {
    /// Votes per category (`Category as usize`).
    pub votes: [f32; CATEGORIES],
    /// An emergency or an escalation threat, not negated or hypothetical.
    pub critical: bool,
    /// A problem with the customer's own order, money or service.
    pub problem: bool,
    /// Reasons in Chinese, with the words that triggered them.
    pub reasons: Vec<String>,
    /// The statistical model's log-odds of negative, times its tone factor.
    pub model_tone: f32,
    /// A complaint or danger inside a #topic#: public already.
    pub topic: bool,
    /// A plain question cue in words, not a bare question mark.
    pub asks: bool,
}

impl Evidence {
    /// Negative minus positive evidence: how bad the comment sounds.
    pub fn tone(&self) -> f32 {
        self.votes[Category::Safety as usize] + self.votes[Category::Complaint as usize]
            - self.votes[Category::Praise as usize]
            + self.model_tone
    }

    fn vote(&mut self, c: Category, w: f32) {
        self.votes[c as usize] += w;
    }
}

/// How a hit was read, for grouping reasons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reading {
    Plain,
    Negated,
    Sarcastic,
    Hypothetical,
    Resolved,
    /// Told as a story of long ago.
    Past,
    /// Someone else's story (the news, a film, a game).
    Distant,
    /// What a how-to question asks about (怎么取消): nothing went wrong.
    Asked,
}

struct Hit<'a> {
    signal: usize,
    /// Found inside a #topic#.
    topic: bool,
    /// The words shown: a phrase of the lexicon, or text of the comment.
    words: Cow<'a, str>,
    reading: Reading,
    weight: f32,
}

/// Gathers the evidence of a comment: its own words `own` and reposted
/// words `chain`, both in normal form, and its shape.
pub fn gather(
    lex: &Lexicon,
    own: &str,
    chain: &str,
    form: &Form,
    verdict: Option<(&Model, &Verdict)>,
) -> Evidence {
    let mut hits = Vec::new();
    let mut resolutions = Vec::new();
    let letters = form.letters;
    scan(lex, own, 1.0, letters, &mut hits, &mut resolutions);
    if !chain.is_empty() {
        // Own words that say something of their own (not chatter, not a
        // word that needs company such as 扩散) make the chain background.
        let says = hits.iter().any(|h| {
            let s = &lex.signals[h.signal];
            s.category != Category::Chatter && s.needs.is_empty() && s.alone
        });
        let factor = if says {
            lex.knobs.form.chain_factor
        } else {
            1.0
        };
        scan(lex, chain, factor, letters, &mut hits, &mut resolutions);
    }
    let resolved = !resolutions.is_empty();
    // Signals that count only beside a cue of certain categories ([微笑]
    // beside a complaint), of a signal without such a condition itself.
    let unconditional = |si: usize| lex.signals[si].needs.is_empty();
    let unmet: Vec<usize> = hits
        .iter()
        .map(|h| h.signal)
        .filter(|&si| {
            let needs = &lex.signals[si].needs;
            !needs.is_empty()
                && !hits.iter().any(|o| {
                    o.reading == Reading::Plain
                        && unconditional(o.signal)
                        && needs.contains(&lex.signals[o.signal].category)
                })
        })
        .collect();
    hits.retain(|h| !unmet.contains(&h.signal));
    let sarcastic = hits
        .iter()
        .any(|h| lex.signals[h.signal].sarcasm && h.reading == Reading::Plain);

    // Signals that say nothing alone need another signal's hit beside them.
    let company = |si: usize| {
        hits.iter().any(|o| {
            o.signal != si
                && o.reading == Reading::Plain
                && lex.signals[o.signal].category != Category::Chatter
        })
    };
    let lonely: Vec<usize> = (0..lex.signals.len())
        .filter(|&si| !lex.signals[si].alone && !company(si))
        .collect();
    hits.retain(|h| !lonely.contains(&h.signal));

    let mut ev = Evidence::default();
    // Diminishing returns: a signal's n-th phrase counts 1/2^n.
    for i in 0..hits.len() {
        let before = hits[..i]
            .iter()
            .filter(|o| o.signal == hits[i].signal)
            .count();
        let h = &mut hits[i];
        let s = &lex.signals[h.signal];
        for _ in 0..before {
            h.weight *= 0.5;
        }
        if h.reading == Reading::Plain {
            if resolved && (s.category == Category::Safety || s.problem) {
                h.reading = Reading::Resolved;
            } else if sarcastic && s.category == Category::Praise {
                h.reading = Reading::Sarcastic;
            }
        }
        match h.reading {
            Reading::Plain => {
                ev.vote(s.category, h.weight);
                ev.asks |= s.category == Category::Question
                    && h.words.chars().any(|c| !c.is_ascii_punctuation());
                ev.critical |= s.critical;
                ev.problem |= s.problem;
                if h.topic && matches!(s.category, Category::Safety | Category::Complaint) {
                    ev.critical = true;
                    ev.topic = true;
                }
            }
            Reading::Negated => {
                if let Some(c) = s.negated {
                    ev.vote(c, h.weight * 0.5);
                }
            }
            Reading::Sarcastic => ev.vote(Category::Complaint, h.weight),
            // A worry: a complaint, not an emergency. A problem that did
            // not happen (还以为丢了) is none.
            Reading::Hypothetical => {
                if s.category == Category::Safety {
                    ev.vote(Category::Complaint, h.weight * 0.2);
                }
            }
            Reading::Distant | Reading::Asked => {}
            // A story: a complaint about what happened.
            Reading::Past => ev.vote(Category::Complaint, h.weight * 0.5),
            Reading::Resolved => {}
        }
    }
    ev.reasons = reasons(lex, &hits, &resolutions);
    if ev.topic {
        ev.reasons
            .push("微博话题中的投诉/险情（已公开发酵）".into());
    }
    shape(lex, form, &mut ev);
    if let Some((m, v)) = verdict.filter(|_| form.letters >= lex.knobs.model.min_letters) {
        model(lex, m, v, &mut ev);
    }
    ev
}

/// The statistical model's vote, when it is confident.
fn model(lex: &Lexicon, m: &Model, v: &Verdict, ev: &mut Evidence) {
    let k = &lex.knobs.model;
    let p = v.negative();
    ev.model_tone = v.logit * k.tone_factor;
    let strength =
        ((p - 0.5).abs() * 2.0 - (k.confident - 0.5) * 2.0) / ((1.0 - k.confident) * 2.0);
    // A question stays a question: the model's tone moves its score, and
    // a problem in it already makes it urgent.
    let question = ev.votes[Category::Question as usize];
    let asking = question > 0.0
        && question >= ev.votes[Category::Complaint as usize]
        && question >= ev.votes[Category::Praise as usize];
    if strength <= 0.0 || asking {
        return;
    }
    let (category, side) = if p >= 0.5 {
        (Category::Complaint, "负面")
    } else {
        (Category::Praise, "正面")
    };
    ev.vote(category, k.weight * strength.min(1.0));
    // Hundredths by integer arithmetic: float formatting would add its
    // tables to the checker's code for this one line.
    let c = (p.clamp(0.0, 1.0) * 100.0).round() as u32;
    ev.reasons.push(format!(
        "统计模型：语气{side}（负面概率 {}.{:02}）：{}",
        c / 100,
        c % 100,
        m.names(&v.top)
    ));
}

/// Finds the cues of one part of a comment and reads their modifiers.
fn scan<'a>(
    lex: &'a Lexicon,
    text: &'a str,
    part: f32,
    letters: usize,
    hits: &mut Vec<Hit<'a>>,
    resolutions: &mut Vec<&'a str>,
) {
    let (found, halves) = lex.find(text);
    let clauses = Clauses::of(text);
    let k = &lex.knobs;
    // The last contrast word splits the comment into a weaker part before
    // and a stronger part after.
    let contrast = found
        .iter()
        .rev()
        .find(|f| f.role == Role::Contrast)
        .map(|f| f.end);
    // #topic# spans: the text between the first # and the next one, and so
    // on (most comments have none).
    let hashes = text.bytes().filter(|&b| b == b'#').count();
    let in_topic = |at: usize| {
        hashes >= 2
            && text.as_bytes()[..at].iter().filter(|&&b| b == b'#').count() % 2 == 1
            && text.as_bytes()[at..].contains(&b'#')
    };
    for (i, f) in found.iter().enumerate() {
        if f.role == Role::Resolved {
            resolutions.push(lex.phrase(f.phrase));
        }
        let Role::Cue(si) = f.role else { continue };
        let s = &lex.signals[si];
        if s.max_letters.is_some_and(|m| letters > m) {
            continue;
        }
        // A #topic# is a title, not a question asked (#周末去哪儿#).
        if s.category == Category::Question && in_topic(f.start) {
            continue;
        }
        // A danger is one wherever it is told, in a reposted layer too.
        let mut weight = if s.category == Category::Safety {
            s.weight
        } else {
            s.weight * part
        };
        if let Some(c) = contrast {
            weight *= if f.start >= c {
                k.contrast_after
            } else {
                k.contrast_before
            };
        }
        if negation::in_clause_after(&found, i, &clauses, Role::Concession) {
            weight *= k.contrast_before;
        }
        if negation::intensified(&found, i, text, k.intensifier_window) {
            weight *= k.intensifier_factor;
        }
        let mut words = Cow::Borrowed(lex.phrase(f.phrase));
        let reading =
            if s.negatable && negation::negated(&found, i, text, &clauses, k.negation_window) {
                // Show the negation with the cue: 不是不满意.
                let from = found[..i]
                    .iter()
                    .rev()
                    .find(|n| matches!(n.role, Role::Negator | Role::Rhetorical))
                    .map_or(f.start, |n| n.start);
                words = Cow::Borrowed(&text[from..f.end]);
                Reading::Negated
            } else if s.problem && !s.critical && asked(&found, f.start, text, &clauses) {
                Reading::Asked
            } else {
                context(&found, f.start, &clauses, s)
            };
        // A phrase counts once however often it is repeated (???).
        if hits.iter().any(|h| h.signal == si && h.words == words) {
            continue;
        }
        hits.push(Hit {
            signal: si,
            topic: in_topic(f.start),
            words,
            reading,
            weight,
        });
    }
    // Combinations: a first half and a second half close together.
    for a in halves.iter().filter(|f| matches!(f.role, Role::First(_))) {
        let Role::First(si) = a.role else { continue };
        let within = lex.signals[si].within.unwrap_or(0);
        let with_first = lex.signals[si].with_first;
        let close = |b: &&Found| {
            let (lo, hi) = if b.start >= a.end && !with_first {
                (a.end, b.start)
            } else if b.end <= a.start {
                (b.end, a.start)
            } else {
                return false;
            };
            text[lo..hi].chars().count() <= within
        };
        let partner = halves
            .iter()
            .find(|b| b.role == Role::Second(si) && close(b));
        if let Some(b) = partner {
            if hits.iter().any(|h| h.signal == si) {
                continue;
            }
            let first = a.start.min(b.start);
            // 没有漏气: either half negated is no hazard.
            let window = k.negation_window;
            let negated = lex.signals[si].negatable
                && (negation::negated_at(&found, a.start, text, &clauses, window)
                    || negation::negated_at(&found, b.start, text, &clauses, window));
            let s = &lex.signals[si];
            hits.push(Hit {
                signal: si,
                topic: in_topic(a.start.min(b.start)),
                words: Cow::Owned(format!("{}+{}", lex.phrase(a.phrase), lex.phrase(b.phrase))),
                reading: if negated {
                    Reading::Negated
                } else {
                    context(&found, first, &clauses, s)
                },
                weight: if s.category == Category::Safety {
                    s.weight
                } else {
                    s.weight * part
                },
            });
        }
    }
}

/// How the place of a cue of `s` that starts at byte `at` reads: after a
/// condition (to the end of its sentence) or a near miss (of its clause) a
/// danger or a problem is a worry; after someone else's story (in its
/// sentence) a danger is not the commenter's; after a time long past (in
/// its clause, with no word of now) it is a story. Single cues and the
/// halves of combinations read alike (小时候被困在电梯里 is a story whichever
/// matched it).
fn context(found: &[Found], at: usize, clauses: &Clauses, s: &Signal) -> Reading {
    let before = |role: Role, sentence: bool| {
        found.iter().any(|f| {
            f.role == role
                && f.end <= at
                && if sentence {
                    clauses.same_sentence(f.end, at)
                } else {
                    clauses.same(f.end, at)
                }
        })
    };
    let safety = s.category == Category::Safety;
    if (safety || s.problem) && (before(Role::Hypothetical, true) || before(Role::NearMiss, false))
    {
        Reading::Hypothetical
    } else if safety && before(Role::Distant, true) {
        Reading::Distant
    } else if safety
        && before(Role::Past, false)
        && !found
            .iter()
            .any(|n| n.role == Role::Now && clauses.same(n.start, at))
    {
        Reading::Past
    } else {
        Reading::Plain
    }
}

/// Whether a how-to word (怎么, 如何, how to) stands right before byte `at`
/// (or with 去/才/来/再 between: 怎么去退款). A cue that is itself a
/// negation or a "still/again" (怎么还没到, 怎么又取消了) makes the word a
/// "why": that is a problem reported.
fn asked(found: &[Found], at: usize, text: &str, clauses: &Clauses) -> bool {
    let why = text
        .get(at..)
        .is_some_and(|t| t.starts_with(['还', '不', '没', '又', '老', '总']));
    !why && found.iter().any(|f| {
        f.role == Role::Asked
            && f.end <= at
            && text
                .get(f.end..at)
                .is_some_and(|g| g.is_empty() || matches!(g, "去" | "才" | "来" | "再" | " "))
            && clauses.same(f.end, at)
    })
}

/// One reason per signal and reading, in order of first appearance.
fn reasons(lex: &Lexicon, hits: &[Hit], resolutions: &[&str]) -> Vec<String> {
    // Built straight into the output strings: this runs for every comment,
    // and small allocations are what a batch spends its time on in wasm.
    let mut out: Vec<String> = Vec::new();
    for (i, h) in hits.iter().enumerate() {
        let same = |o: &Hit| o.signal == h.signal && o.reading == h.reading;
        if hits[..i].iter().any(same) {
            continue; // written with the first of its group
        }
        let reason = lex.signals[h.signal].reason.as_str();
        let (reason, note) = match h.reading {
            Reading::Plain => (reason, ""),
            Reading::Negated => (reason, "（被否定，不算）"),
            Reading::Sarcastic => ("", "反讽，称赞读作不满"),
            Reading::Hypothetical => (reason, "（假设/担心，不算紧急）"),
            Reading::Resolved => (reason, "（已解决）"),
            Reading::Past => (reason, "（过去的事，不算紧急）"),
            Reading::Distant => (reason, "（别处的事，不算紧急）"),
            Reading::Asked => (reason, "（问的是怎么办，不算出了问题）"),
        };
        let mut line = String::with_capacity(reason.len() + note.len() + 32);
        line.push_str(reason);
        line.push_str(note);
        line.push('：');
        for (j, o) in hits.iter().enumerate().skip(i) {
            if same(o) && !hits[i..j].iter().any(|p| same(p) && p.words == o.words) {
                if j > i {
                    line.push('、');
                }
                line.push_str(&o.words);
            }
        }
        out.push(line);
    }
    if !resolutions.is_empty() {
        let mut line = "已解决：".to_string();
        for (i, r) in resolutions.iter().enumerate() {
            if !resolutions[..i].contains(r) {
                if i > 0 {
                    line.push('、');
                }
                line.push_str(r);
            }
        }
        out.push(line);
    }
    out
}

/// Votes from the comment's shape.
fn shape(lex: &Lexicon, form: &Form, ev: &mut Evidence) {
    let k = &lex.knobs.form;
    // Shouting turns a question into an angry one and strengthens a
    // complaint; alone (哈哈!!!!) it says nothing.
    let asks_or_complains =
        ev.votes[Category::Question as usize] > 0.0 || ev.votes[Category::Complaint as usize] > 0.0;
    if (form.bangs >= k.shout_bangs || form.questions >= k.shout_questions) && asks_or_complains {
        ev.vote(Category::Complaint, k.shout_weight);
        ev.reasons.push("连续感叹号/问号（情绪激动）".into());
    }
    if form.stutter && asks_or_complains {
        ev.vote(Category::Complaint, k.shout_weight * 0.5);
        ev.reasons.push("重复字词（情绪激动）".into());
    }
    if form.link {
        ev.vote(Category::Spam, k.link_weight);
        ev.reasons.push("站外链接".into());
    }
    if form.repeated {
        ev.vote(Category::Spam, k.repeated_weight);
        ev.reasons.push("同一句话重复（疑似机器发布）".into());
    }
    if form.handle {
        ev.vote(Category::Spam, k.handle_weight);
        ev.reasons.push("联系账号/号码".into());
    }
    if form.letters == 0 {
        ev.vote(Category::Chatter, k.emoticons_only_weight);
        ev.reasons.push("只有表情/@好友".into());
    }
    // A question after a tag, with no word of chat (@某某 红包怎么用): asked
    // of the tagged account, whatever its name. A friend is joked with
    // (哈哈: chatter cues) or asked for an opinion (@阿花 这家好吃吗: praise
    // words in the question).
    let asks_account = form.to_friend
        && ev.asks
        && ev.votes[Category::Chatter as usize] <= 0.0
        && ev.votes[Category::Praise as usize] <= 0.0;
    if asks_account {
        ev.reasons
            .push("@账号提问（问的是服务，不是好友闲聊）".into());
    } else if form.to_friend {
        // Talking to a friend: questions, praise and suggestions are for
        // them, not for the company. Complaints and emergencies still count,
        // and so does a question about the asker's own order or service
        // (@某某 我的退款呢？ asks whoever can answer it).
        for c in [Category::Question, Category::Suggestion, Category::Praise] {
            if c != Category::Question || !ev.problem {
                ev.votes[c as usize] = 0.0;
            }
        }
        ev.vote(Category::Chatter, k.friend_weight);
        ev.reasons.push("@好友聊天（不是对我们说的）".into());
    }
}
