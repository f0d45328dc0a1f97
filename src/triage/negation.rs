//! The reach of the modifiers: which cue a negator cancels, which one a
//! degree word strengthens, which clause a hypothesis or a contrast covers.
//!
//! Chinese negation is local: 不 / 没 / 不是 negate what follows within a
//! few characters of the same clause (不太满意, 没让我失望过). Negators chain,
//! and two cancel (不是没有问题 is a problem). A clause ends at , . ! ? ; :
//! in the normal form (`normalize` maps the Chinese marks to these).
//!
//! The words are data (`modifiers.toml`, read by `lexicon`); what a
//! negated cue then votes for is `signals`.

use super::lexicon::{Found, Role};

/// Clause boundaries of a normal-form text: read from the text itself
/// when asked (no allocation: this runs for every cue of every comment).
pub struct Clauses<'t> {
    text: &'t [u8],
}

fn is_break(b: u8) -> bool {
    matches!(b, b',' | b'.' | b'!' | b'?' | b';' | b':' | b'~')
}

impl<'t> Clauses<'t> {
    /// The clauses of `text`.
    pub fn of(text: &'t str) -> Clauses<'t> {
        Clauses {
            text: text.as_bytes(),
        }
    }

    /// Whether bytes `a` and `b` (a ≤ b) are in one clause.
    pub fn same(&self, a: usize, b: usize) -> bool {
        let (a, b) = (a.min(b), a.max(b));
        !self.text[a.min(self.text.len())..b.min(self.text.len())]
            .iter()
            .any(|&c| is_break(c))
    }

    /// Whether bytes `a` and `b` are in one sentence (clauses joined by
    /// commas: a condition and what follows it, 如果…，…).
    pub fn same_sentence(&self, a: usize, b: usize) -> bool {
        let (a, b) = (a.min(b), a.max(b));
        !self.text[a.min(self.text.len())..b.min(self.text.len())]
            .iter()
            .any(|&c| matches!(c, b'.' | b'!' | b'?' | b';'))
    }

    /// The byte where the clause holding byte `at` ends.
    fn end(&self, at: usize) -> usize {
        self.text[at.min(self.text.len())..]
            .iter()
            .position(|&c| is_break(c))
            .map_or(self.text.len(), |p| at + p)
    }
}

/// Characters between two byte offsets.
fn gap(text: &str, from: usize, to: usize) -> usize {
    text.get(from..to).map_or(usize::MAX, |s| s.chars().count())
}

/// Whether the cue `found[i]` is negated: an odd number of negators chained
/// before it, each within `window` characters of what it negates, in the
/// same clause.
pub fn negated(found: &[Found], i: usize, text: &str, clauses: &Clauses, window: usize) -> bool {
    let mut count = 0;
    let mut target = found[i].start;
    // A cue that is a negation itself (不让, 没人管) is negated only by a
    // negator right before it (不是不让), not by one a few words back (不买
    // 东西不让走 is 不让).
    let self_negating = text
        .get(target..)
        .is_some_and(|t| t.starts_with(['不', '没', '无', '未']));
    for f in found[..i].iter().rev() {
        if f.end > target {
            // A negator that shares characters with the cue still negates
            // it (没有问题 is 没有 + 有问题), unless what they share is the
            // cue's own negation (一点都不 + 不好吃 is one negation).
            let shared = text.get(target..f.end).unwrap_or("");
            let own_negation = shared.starts_with(['不', '没', '无', '未']);
            if f.role == Role::Negator && f.start < target {
                if !own_negation {
                    count += 1;
                }
                // 也没 + 没有: one negation, that starts at 也.
                target = f.start;
            }
            continue;
        }
        let g = gap(text, f.end, target);
        // A second negator cancels the first only when it stands right
        // before it (不是没有): 没有漏水也没有漏电 negates both.
        let reach = if count > 0 { 1 } else { window };
        if g > reach || !clauses.same(f.end, target) || (self_negating && g > 0) {
            break;
        }
        match f.role {
            Role::Negator => {
                count += 1;
                target = f.start;
            }
            Role::Rhetorical => {
                if !clause_rest(text, clauses, found[i].end).contains('吗') {
                    count += 1;
                }
                target = f.start;
            }
            // A degree word may sit between: 不太满意, 没有很好.
            Role::Intensifier => target = f.start,
            _ => break,
        }
    }
    count % 2 == 1
}

/// The rest of the clause after byte `at`.
fn clause_rest<'t>(text: &'t str, clauses: &Clauses, at: usize) -> &'t str {
    text.get(at..clauses.end(at)).unwrap_or("")
}

/// Whether a degree word stands just before `found[i]`.
pub fn intensified(found: &[Found], i: usize, text: &str, window: usize) -> bool {
    let start = found[i].start;
    found[..i]
        .iter()
        .rev()
        .take(2)
        .any(|f| f.role == Role::Intensifier && f.end <= start && gap(text, f.end, start) <= window)
}

/// Whether a negator stands within `window` characters before byte `at`,
/// in the same clause (for the halves of a combination: 没有+漏气).
pub fn negated_at(
    found: &[Found],
    at: usize,
    text: &str,
    clauses: &Clauses,
    window: usize,
) -> bool {
    found.iter().any(|f| {
        f.role == Role::Negator
            && f.end <= at
            && gap(text, f.end, at) <= window
            && clauses.same(f.end, at)
    })
}

/// Whether a marker of `role` stands earlier in the same clause as
/// `found[i]`.
pub fn in_clause_after(found: &[Found], i: usize, clauses: &Clauses, role: Role) -> bool {
    let start = found[i].start;
    found[..i]
        .iter()
        .any(|f| f.role == role && f.end <= start && clauses.same(f.end, start))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::triage::lexicon::Lexicon;

    fn negated_cues(text: &str) -> Vec<(String, bool)> {
        let lex = Lexicon::new();
        let (found, _) = lex.find(text);
        let clauses = Clauses::of(text);
        found
            .iter()
            .enumerate()
            .filter(|(_, f)| matches!(f.role, Role::Cue(_)))
            .map(|(i, f)| {
                (
                    lex.phrase(f.phrase).to_string(),
                    negated(&found, i, text, &clauses, lex.knobs.negation_window),
                )
            })
            .collect()
    }

    #[test]
    fn negation_is_local_and_chains() {
        assert_eq!(negated_cues("不是不满意"), [("不满意".into(), true)]);
        assert_eq!(negated_cues("从来没让我失望过"), [("失望".into(), true)]);
        assert_eq!(negated_cues("不太满意"), [("满意".into(), true)]);
        assert_eq!(negated_cues("没有,很失望"), [("失望".into(), false)]);
        assert_eq!(negated_cues("不是没有问题"), [("有问题".into(), false)]);
        assert_eq!(negated_cues("没有问题"), [("有问题".into(), true)]);
        assert_eq!(negated_cues("一点都不好吃"), [("不好吃".into(), false)]);
        assert_eq!(negated_cues("这不是骗人吗")[0], ("骗人".into(), false));
        assert_eq!(negated_cues("这不是骗人,是误会"), [("骗人".into(), true)]);
        // A cue that is a negation is negated only right after a negator.
        assert_eq!(negated_cues("不买东西不让走"), [("不让走".into(), false)]);
        // Negators chain only when adjacent: each of these is negated.
        assert_eq!(
            negated_cues("没有漏电也没有触电"),
            [("漏电".into(), true), ("触电".into(), true)]
        );
    }
}
