//! Timestamps: Weibo's `created_at` ("Tue Jan 23 16:44:41 +0800 2018") and
//! RFC 3339 (`--now`), to seconds since the Unix epoch. Small on purpose: no
//! date library in the wasm.

/// Parses either format.
pub fn parse_any(s: &str) -> Option<i64> {
    // RFC 3339 starts with the year, Weibo's form with the weekday.
    if s.trim_start().starts_with(|c: char| c.is_ascii_digit()) {
        parse_rfc3339(s)
    } else {
        parse_weibo(s)
    }
}

/// `2026-11-28T10:00:00+08:00`, `2026-11-28T02:00:00Z`.
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    let s = s.trim();
    if s.len() < 19 || !s.is_char_boundary(19) {
        return None;
    }
    let (date, rest) = s.split_at(10);
    let mut d = date.split('-');
    let (y, mo, da) = (
        d.next()?.parse().ok()?,
        d.next()?.parse().ok()?,
        d.next()?.parse().ok()?,
    );
    let rest = rest.strip_prefix(['T', 't', ' '])?;
    let (hms, mut zone) = rest.split_at(8);
    let secs = hms_seconds(hms)?;
    if let Some(frac) = zone.strip_prefix('.') {
        zone = frac.trim_start_matches(|c: char| c.is_ascii_digit());
    }
    let offset = match zone {
        "Z" | "z" => 0,
        z => offset_seconds(&z.replace(':', ""))?,
    };
    Some(days_from_civil(y, mo, da)? * 86_400 + secs - offset)
}

/// `Tue Jan 23 16:44:41 +0800 2018`.
pub fn parse_weibo(s: &str) -> Option<i64> {
    // Weibo always writes it at fixed places: read them without splitting.
    let b = s.as_bytes();
    if b.len() == 30 && [3, 7, 10, 19, 25].iter().all(|&i| b[i] == b' ') {
        return weibo_fields(&s[4..7], &s[8..10], &s[11..19], &s[20..25], &s[26..]);
    }
    let mut parts = s.split_whitespace();
    let (_, mon, day, hms, zone, year) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    if parts.next().is_some() {
        return None;
    }
    weibo_fields(mon, day, hms, zone, year)
}

fn weibo_fields(mon: &str, day: &str, hms: &str, zone: &str, year: &str) -> Option<i64> {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let mo = MONTHS.iter().position(|&m| m == mon)? as u32 + 1;
    let days = days_from_civil(number(year)?, mo, number(day)? as u32)?;
    Some(days * 86_400 + hms_seconds(hms)? - offset_seconds(zone)?)
}

fn hms_seconds(hms: &str) -> Option<i64> {
    let mut p = hms.split(':');
    let (h, m, s) = (number(p.next()?)?, number(p.next()?)?, number(p.next()?)?);
    (h < 24 && m < 60 && s < 61 && p.next().is_none()).then_some(h * 3600 + m * 60 + s)
}

/// A number of one to nine ASCII digits (cheaper than `str::parse`, which
/// runs for every comment's date).
fn number(s: &str) -> Option<i64> {
    if s.is_empty() || s.len() > 9 {
        return None;
    }
    s.bytes().try_fold(0i64, |n, b| {
        b.is_ascii_digit().then(|| n * 10 + i64::from(b - b'0'))
    })
}

/// `+0800` → 28800.
fn offset_seconds(z: &str) -> Option<i64> {
    let (sign, digits) = match z.as_bytes().first()? {
        b'+' => (1, &z[1..]),
        b'-' => (-1, &z[1..]),
        _ => return None,
    };
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m) = (number(&digits[..2])?, number(&digits[2..])?);
    Some(sign * (h * 3600 + m * 60))
}

/// Days since 1970-01-01 (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> Option<i64> {
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_formats_agree() {
        assert_eq!(
            parse_weibo("Tue Jan 23 16:44:41 +0800 2018"),
            parse_rfc3339("2018-01-23T16:44:41+08:00")
        );
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_rfc3339("garbage"), None);
        // Off the fixed layout: read by splitting; odd text at the fixed
        // places: an answer of None, no panic.
        assert_eq!(
            parse_weibo("Tue Jan 3 16:44:41 +0800 2018"),
            parse_rfc3339("2018-01-03T16:44:41+08:00")
        );
        assert_eq!(parse_weibo("Tue 一a 23 16:44:41 +0800 2018"), None);
        assert_eq!(parse_weibo("Tue Jan 23 16:44:41 +0800 20x8"), None);
    }
}
