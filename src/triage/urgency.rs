//! How soon a comment needs an answer, and its score.
//!
//! The category sets the base urgency: safety and escalation threats are
//! `critical`, complaints `high`, questions `normal` (`high` when they
//! report a problem with the customer's own order, money or service),
//! suggestions `normal`, praise `low`, chatter and spam `noise`. Then each
//! of these raises it one step (noise stays noise): an influential author
//! (followers, verified, a media account, or a repost chain through a media
//! account — `Settings::influence_followers`, `Settings::media_markers`),
//! many likes (`Settings::influence_likes`: many agree, and it shows first),
//! a watch word, a VIP account. A comment that waits for an answer (an
//! emergency, a complaint, a question) and is older than the team's
//! response target for its urgency (`Settings::targets`) is raised one step
//! too, but never by age alone to `critical` (nor above `high`); praise,
//! suggestions and chatter do not age. The company's own comments are
//! `noise`.
//!
//! The score orders comments for the agent: each urgency has a band
//! (critical 85–100, high 65–84, normal 45–64, low 20–44, noise 0–19), and
//! within it a comment sits higher the worse it sounds (the evidence's
//! tone) and the more reasons raised it.

use super::comment::Comment;
use super::signals::Evidence;
use super::{Category, Urgency};
use crate::settings::Settings;

impl Urgency {
    /// One step more urgent; noise stays noise.
    pub fn raised(self) -> Urgency {
        match self {
            Urgency::Critical | Urgency::High => Urgency::Critical,
            Urgency::Normal => Urgency::High,
            Urgency::Low => Urgency::Normal,
            Urgency::Noise => Urgency::Noise,
        }
    }

    /// The score band `[low, high]`.
    pub fn band(self) -> (f32, f32) {
        match self {
            Urgency::Critical => (85.0, 100.0),
            Urgency::High => (65.0, 84.0),
            Urgency::Normal => (45.0, 64.0),
            Urgency::Low => (20.0, 44.0),
            Urgency::Noise => (0.0, 19.0),
        }
    }
}

/// What is known of the comment beyond its words.
pub struct Context<'a> {
    pub comment: &'a Comment,
    /// Accounts the comment's repost chain passed through.
    pub chain_names: &'a [String],
    pub settings: &'a Settings,
    /// Watch words found in the comment.
    pub watched: Vec<String>,
    pub now: Option<i64>,
}

/// The urgency and score of a comment of `category`, with the reasons
/// that raised it appended to `reasons`.
pub fn assess(
    category: Category,
    unrecognised: bool,
    ev: &Evidence,
    cx: &Context,
    reasons: &mut Vec<String>,
) -> (Urgency, u32) {
    let c = cx.comment;
    let s = cx.settings;
    if c.is_mblog_author {
        reasons.push("本账号（博主）自己的评论".into());
        return (Urgency::Noise, 0);
    }
    let mut urgency = match category {
        Category::Safety => Urgency::Critical,
        _ if ev.critical && category != Category::Spam => Urgency::Critical,
        Category::Complaint => Urgency::High,
        Category::Question if ev.problem => Urgency::High,
        Category::Question | Category::Suggestion => Urgency::Normal,
        Category::Praise => Urgency::Low,
        Category::Chatter if unrecognised => {
            reasons.push("没有识别出明确诉求（内容较长，建议看一眼）".into());
            Urgency::Low
        }
        Category::Chatter | Category::Spam => Urgency::Noise,
    };
    if category == Category::Question {
        reasons.push(if ev.problem {
            "订单/服务状态的问题".into()
        } else {
            "售前/使用咨询".into()
        });
    }
    let mut raises = 0;
    if urgency != Urgency::Noise {
        if let Some(why) = influence(c, cx.chain_names, s) {
            urgency = urgency.raised();
            raises += 1;
            reasons.push(why);
        }
        if c.likes >= s.influence_likes {
            urgency = urgency.raised();
            raises += 1;
            reasons.push(format!("很多人点赞（{}）", c.likes));
        }
        if !cx.watched.is_empty() {
            urgency = urgency.raised();
            raises += 1;
            reasons.push(format!("关注词：{}", cx.watched.join("、")));
        }
        if let Some(v) = s.vip_accounts.iter().find(|v| {
            Some(v.as_str()) == c.user_id.as_deref() || Some(v.as_str()) == c.user_name.as_deref()
        }) {
            urgency = urgency.raised();
            raises += 1;
            reasons.push(format!("重点客户：{v}"));
        }
        // Age counts only for comments that wait for an answer: praise or a
        // suggestion a day old is no more urgent than a fresh one.
        let waits = matches!(
            category,
            Category::Safety | Category::Complaint | Category::Question
        );
        if let (Some(now), Some(at), true) = (cx.now, c.created_at, waits) {
            let minutes = (now - at).max(0) / 60;
            let target = i64::from(target_minutes(urgency, s));
            if minutes > target {
                raises += 1;
                reasons.push(format!(
                    "已等待 {}，超过目标 {}",
                    duration(minutes),
                    duration(target)
                ));
                if urgency != Urgency::Critical && urgency != Urgency::High {
                    urgency = urgency.raised();
                }
            }
        }
    }
    (urgency, score(urgency, ev.tone(), raises))
}

/// The response target for an urgency, in minutes.
/// A duration for people: 「45 分钟」「3 小时」「2 天」 (whole units, rounded
/// down), never 「13731 分钟」.
pub fn duration(minutes: i64) -> String {
    match minutes {
        m if m < 60 => format!("{m} 分钟"),
        m if m < 1440 => format!("{} 小时", m / 60),
        m => format!("{} 天", m / 1440),
    }
}

pub fn target_minutes(u: Urgency, s: &Settings) -> u32 {
    match u {
        Urgency::Critical => s.targets.critical,
        Urgency::High => s.targets.high,
        Urgency::Normal => s.targets.normal,
        Urgency::Low | Urgency::Noise => s.targets.low,
    }
}

/// Why the author is influential, if they are.
fn influence(c: &Comment, chain: &[String], s: &Settings) -> Option<String> {
    let media = |name: &str| {
        s.media_markers
            .iter()
            .find(|m| !m.is_empty() && contains(name, m))
            .cloned()
    };
    if let Some(name) = &c.user_name {
        if let Some(m) = media(name) {
            return Some(format!("媒体账号：{name}（{m}）"));
        }
    }
    // Reposted through a media account: it is already spreading.
    if let Some((name, m)) = chain.iter().find_map(|n| media(n).map(|m| (n, m))) {
        return Some(format!("经媒体账号转发：{name}（{m}）"));
    }
    if c.followers >= s.influence_followers {
        return Some(format!("有影响力的账号（粉丝 {}）", followers(c.followers)));
    }
    if c.verified {
        return Some("认证账号".into());
    }
    None
}

/// Whether `needle` occurs in `hay`: a plain byte search, as `str::contains`
/// sets up a two-way searcher, costly for short names in every comment.
pub fn contains(hay: &str, needle: &str) -> bool {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    let Some((&first, rest)) = n.split_first() else {
        return true;
    };
    (0..(h.len() + 1).saturating_sub(n.len()))
        .any(|i| h[i] == first && &h[i + 1..i + n.len()] == rest)
}

fn followers(n: u64) -> String {
    if n >= 10_000 {
        // Tenths of 万, rounded, by integer arithmetic (no float formatting
        // in the checker's code).
        let tenths = (n + 500) / 1_000;
        format!("{}.{}万", tenths / 10, tenths % 10)
    } else {
        n.to_string()
    }
}

/// A score inside the urgency's band: higher the worse the comment sounds
/// and the more reasons raised it.
pub fn score(u: Urgency, tone: f32, raises: u32) -> u32 {
    let (lo, hi) = u.band();
    let x = (tone + 15.0 * raises as f32) / 40.0;
    let position = 1.0 / (1.0 + (-x).exp());
    (lo + (hi - lo) * position).round().clamp(0.0, 100.0) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_stay_in_their_bands_and_follow_tone() {
        for u in [
            Urgency::Critical,
            Urgency::High,
            Urgency::Normal,
            Urgency::Low,
            Urgency::Noise,
        ] {
            let (lo, hi) = u.band();
            for tone in [-1000.0, -30.0, 0.0, 30.0, 1000.0] {
                let s = score(u, tone, 0) as f32;
                assert!(s >= lo && s <= hi, "{u:?} {tone} {s}");
            }
            assert!(score(u, -60.0, 0) <= score(u, 60.0, 0));
        }
    }

    #[test]
    fn raising_stops_at_critical_and_noise_stays() {
        assert_eq!(Urgency::Low.raised(), Urgency::Normal);
        assert_eq!(Urgency::High.raised(), Urgency::Critical);
        assert_eq!(Urgency::Critical.raised(), Urgency::Critical);
        assert_eq!(Urgency::Noise.raised(), Urgency::Noise);
    }
}
