//! Choosing a comment's category from the votes of its evidence.
//!
//! An emergency (safety votes of one plain cue or more) wins outright: the
//! complaint words around it must not hide it. Otherwise the category with
//! the most votes wins; a tie goes to the category that
//! costs more to miss (safety, then complaint, …). A comment with no vote at
//! all is chatter — but if it has something to say (`substantive_letters`
//! or more letters) it is flagged so that `urgency` keeps it out of `noise`:
//! an unrecognised complaint must not be dimmed.

use super::signals::Evidence;
use super::Category;

/// Ties go to the first of these.
const PRIORITY: [Category; 7] = [
    Category::Safety,
    Category::Complaint,
    Category::Spam,
    Category::Question,
    Category::Suggestion,
    Category::Praise,
    Category::Chatter,
];

/// Safety votes at least this strong (one plain safety cue) decide the
/// category whatever else the comment says.
pub const SAFETY_FLOOR: f32 = 50.0;

/// A comment with at least this many letters says something even when no
/// cue is found.
pub const SUBSTANTIVE_LETTERS: usize = 5;

/// The category, and whether it is a guess for a substantive comment that
/// no cue explained.
pub fn decide(ev: &Evidence, letters: usize) -> (Category, bool) {
    // An emergency is never outvoted: complaints around it are what it is.
    if ev.votes[Category::Safety as usize] >= SAFETY_FLOOR {
        return (Category::Safety, false);
    }
    let mut best = Category::Chatter;
    let mut best_votes = 0.0f32;
    for c in PRIORITY {
        let v = ev.votes[c as usize];
        if v > best_votes {
            best = c;
            best_votes = v;
        }
    }
    if best_votes > 0.0 {
        (best, false)
    } else {
        (Category::Chatter, letters >= SUBSTANTIVE_LETTERS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_go_to_the_costlier_category() {
        let mut ev = Evidence::default();
        ev.votes[Category::Praise as usize] = 30.0;
        ev.votes[Category::Complaint as usize] = 30.0;
        assert_eq!(decide(&ev, 10), (Category::Complaint, false));
    }

    #[test]
    fn no_votes_is_chatter_flagged_when_long() {
        let ev = Evidence::default();
        assert_eq!(decide(&ev, 2), (Category::Chatter, false));
        assert_eq!(decide(&ev, 20), (Category::Chatter, true));
    }
}
