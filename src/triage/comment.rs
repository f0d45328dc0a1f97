//! A comment as triage reads it, from Weibo's own comment JSON or from flat
//! JSON Lines (SPEC `kefu triage`).

use serde_json::Value;

/// One comment, with what triage needs of it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Comment {
    /// Echoed in the result (Weibo's `id`, or the line number).
    pub id: Value,
    /// Plain text: `text_raw`, else `text` with its HTML removed.
    pub text: String,
    /// Seconds since the Unix epoch, when known.
    pub created_at: Option<i64>,
    pub followers: u64,
    pub verified: bool,
    /// Likes the comment has (`like_counts`): many likes, many who agree.
    pub likes: u64,
    pub is_mblog_author: bool,
    pub user_id: Option<String>,
    pub user_name: Option<String>,
}

impl Comment {
    /// A comment with text only.
    pub fn from_text(text: &str) -> Comment {
        Comment {
            text: text.to_string(),
            ..Comment::default()
        }
    }

    /// Reads a comment from JSON; `fallback_id` is used when it has no `id`.
    /// Errors when the value is not an object or has no text.
    pub fn from_json(v: &Value, fallback_id: Value) -> Result<Comment, String> {
        let obj = v.as_object().ok_or("a comment must be a JSON object")?;
        // One pass over the fields (Weibo's objects have dozens) instead of
        // a lookup per name: this runs for every comment of a batch.
        let mut f = Fields::default();
        for (k, v) in obj {
            f.take(k, v);
        }
        let mut u = Fields::default();
        if let Some(user) = f.user.and_then(Value::as_object) {
            for (k, v) in user {
                u.take(k, v);
            }
        }
        Comment::from_fields(&f, &u, fallback_id)
    }

    /// A comment from the fields read of it and of its `user`.
    fn from_fields(f: &Fields, u: &Fields, fallback_id: Value) -> Result<Comment, String> {
        let text = match (f.text_raw, f.text) {
            (Some(Value::String(raw)), _) => raw.clone(),
            (_, Some(Value::String(html))) => strip_html(html),
            _ => return Err("a comment needs `text` or `text_raw` (a string)".into()),
        };
        let as_string = |v: &Value| match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        };
        Ok(Comment {
            id: f.id.cloned().unwrap_or(fallback_id),
            text,
            created_at: f
                .created_at
                .and_then(Value::as_str)
                .and_then(super::time::parse_any),
            followers: f.followers.or(u.followers_count).map_or(0, count),
            verified: f
                .verified
                .or(u.verified)
                .and_then(Value::as_bool)
                .unwrap_or(false),
            likes: f.likes.map_or(0, count),
            is_mblog_author: f.is_mblog_author.and_then(Value::as_bool).unwrap_or(false),
            user_id: u.idstr.or(u.id).or(f.uid).and_then(as_string),
            user_name: f.screen_name.or(u.screen_name).and_then(as_string),
        })
    }
}

/// The fields of a comment (or of its `user`) that triage reads.
#[derive(Default)]
struct Fields<'a> {
    id: Option<&'a Value>,
    idstr: Option<&'a Value>,
    uid: Option<&'a Value>,
    text: Option<&'a Value>,
    text_raw: Option<&'a Value>,
    created_at: Option<&'a Value>,
    followers: Option<&'a Value>,
    followers_count: Option<&'a Value>,
    verified: Option<&'a Value>,
    /// `like_counts`, else `like_count`, else `likes`, in that order.
    likes: Option<&'a Value>,
    likes_rank: u8,
    is_mblog_author: Option<&'a Value>,
    screen_name: Option<&'a Value>,
    user: Option<&'a Value>,
}

impl<'a> Fields<'a> {
    fn take(&mut self, key: &str, v: &'a Value) {
        let slot = match key {
            "id" => &mut self.id,
            "idstr" => &mut self.idstr,
            "uid" => &mut self.uid,
            "text" => &mut self.text,
            "text_raw" => &mut self.text_raw,
            "created_at" => &mut self.created_at,
            "followers" => &mut self.followers,
            "followers_count" => &mut self.followers_count,
            "verified" => &mut self.verified,
            "is_mblog_author" => &mut self.is_mblog_author,
            "screen_name" => &mut self.screen_name,
            "user" => &mut self.user,
            "like_counts" | "like_count" | "likes" => {
                let rank = match key {
                    "like_counts" => 3,
                    "like_count" => 2,
                    _ => 1,
                };
                if rank > self.likes_rank {
                    self.likes_rank = rank;
                    self.likes = Some(v);
                }
                return;
            }
            _ => return,
        };
        *slot = Some(v);
    }
}

/// A comment read straight from JSON text: only the fields triage reads
/// are kept (the others are skipped without building them), which makes a
/// batch of Weibo's comment objects, dozens of fields each, much cheaper to
/// read than as `serde_json::Value`s. Any JSON value reads; one that is not
/// an object becomes an error in its place ([`Incoming::comment`]).
#[derive(Debug, Default)]
pub struct Incoming {
    object: bool,
    fields: Vec<(&'static str, Value)>,
    user: Option<Box<Incoming>>,
}

impl Incoming {
    /// The comment; `fallback_id` is used when it has no `id`. The errors
    /// of [`Comment::from_json`].
    pub fn comment(&self, fallback_id: Value) -> Result<Comment, String> {
        if !self.object {
            return Err("a comment must be a JSON object".into());
        }
        let mut f = Fields::default();
        for (k, v) in &self.fields {
            f.take(k, v);
        }
        let mut u = Fields::default();
        if let Some(user) = self.user.as_deref().filter(|u| u.object) {
            for (k, v) in &user.fields {
                u.take(k, v);
            }
        }
        Comment::from_fields(&f, &u, fallback_id)
    }
}

impl<'de> serde::Deserialize<'de> for Incoming {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Incoming, D::Error> {
        d.deserialize_any(IncomingVisitor)
    }
}

struct IncomingVisitor;

/// The field names [`Fields::take`] reads, as static strings.
fn known(key: &str) -> Option<&'static str> {
    Some(match key {
        "id" => "id",
        "idstr" => "idstr",
        "uid" => "uid",
        "text" => "text",
        "text_raw" => "text_raw",
        "created_at" => "created_at",
        "followers" => "followers",
        "followers_count" => "followers_count",
        "verified" => "verified",
        "is_mblog_author" => "is_mblog_author",
        "screen_name" => "screen_name",
        "like_counts" => "like_counts",
        "like_count" => "like_count",
        "likes" => "likes",
        "user" => "user",
        _ => return None,
    })
}

/// A key: one that [`known`] knows, or another (`None`), read without
/// allocating.
struct Key;

impl<'de> serde::de::DeserializeSeed<'de> for Key {
    type Value = Option<&'static str>;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl serde::de::Visitor<'_> for Key {
    type Value = Option<&'static str>;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a field name")
    }
    fn visit_str<E>(self, k: &str) -> Result<Self::Value, E> {
        Ok(known(k))
    }
}

impl<'de> serde::de::Visitor<'de> for IncomingVisitor {
    type Value = Incoming;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Incoming, A::Error> {
        let mut c = Incoming {
            object: true,
            ..Incoming::default()
        };
        while let Some(key) = map.next_key_seed(Key)? {
            match key {
                Some("user") => c.user = Some(Box::new(map.next_value()?)),
                Some(name) => c.fields.push((name, map.next_value()?)),
                None => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
        }
        Ok(c)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Incoming, A::Error> {
        while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
        Ok(Incoming::default())
    }
    fn visit_bool<E>(self, _: bool) -> Result<Incoming, E> {
        Ok(Incoming::default())
    }
    fn visit_i64<E>(self, _: i64) -> Result<Incoming, E> {
        Ok(Incoming::default())
    }
    fn visit_u64<E>(self, _: u64) -> Result<Incoming, E> {
        Ok(Incoming::default())
    }
    fn visit_f64<E>(self, _: f64) -> Result<Incoming, E> {
        Ok(Incoming::default())
    }
    fn visit_str<E>(self, _: &str) -> Result<Incoming, E> {
        Ok(Incoming::default())
    }
    fn visit_unit<E>(self) -> Result<Incoming, E> {
        Ok(Incoming::default())
    }
}

/// Weibo writes large counts as strings, sometimes as "1.2万" or "3亿".
fn count(v: &Value) -> u64 {
    match v {
        Value::Number(n) => n.as_u64().unwrap_or(0),
        Value::String(s) => {
            let s = s.trim();
            let (num, mult) = if let Some(n) = s.strip_suffix('万') {
                (n, 10_000.0)
            } else if let Some(n) = s.strip_suffix('亿') {
                (n, 100_000_000.0)
            } else {
                (s, 1.0)
            };
            num.parse::<f64>().map_or(0, |n| (n * mult) as u64)
        }
        _ => 0,
    }
}

/// Removes HTML tags, reading an emoticon `<img alt="[怒]">` as `[怒]`, and
/// decodes the few entities Weibo uses.
pub fn strip_html(html: &str) -> String {
    // Most comments are plain text: no tag, no entity, nothing to do.
    if !html.bytes().any(|b| b == b'<' || b == b'&') {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        let Some(gt) = rest[lt..].find('>') else {
            out.push_str(&rest[lt..]);
            rest = "";
            break;
        };
        let tag = &rest[lt..lt + gt + 1];
        if tag.starts_with("<img") {
            if let Some(alt) = attribute(tag, "alt") {
                out.push_str(&alt);
            }
        } else if tag.starts_with("<br") {
            out.push('\n');
        }
        rest = &rest[lt + gt + 1..];
    }
    out.push_str(rest);
    if !out.contains('&') {
        return out;
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let at = tag.find(&format!("{name}="))? + name.len() + 1;
    let rest = &tag[at..];
    let quote = rest.chars().next()?;
    if quote == '"' || quote == '\'' {
        let end = rest[1..].find(quote)?;
        Some(rest[1..1 + end].to_string())
    } else {
        Some(rest.split([' ', '>', '/']).next()?.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emoticons_are_read_from_alt() {
        assert_eq!(
            strip_html(r#"等了三天<img alt="[怒]" src="x.png" />还没到"#),
            "等了三天[怒]还没到"
        );
    }

    #[test]
    fn weibo_json_is_read() {
        let v: Value = serde_json::json!({
            "id": 5012, "text": "好<img alt=\"[心]\">",
            "created_at": "Tue Jan 23 16:44:41 +0800 2018", "like_counts": "1.5万",
            "user": {"id": 17, "followers_count": "1.2万", "verified": true}
        });
        let c = Comment::from_json(&v, Value::Null).unwrap();
        assert_eq!(c.text, "好[心]");
        assert_eq!(c.followers, 12_000);
        assert_eq!(c.likes, 15_000);
        assert!(c.verified);
        assert_eq!(c.user_id.as_deref(), Some("17"));
        assert_eq!(c.created_at, Some(1_516_697_081));
    }
}
