//! Reading a plain-text list: one phrase a line, `#` comments, lines that
//! start with `!` are allow contexts. The whole file is one `warn` rule
//! (`phrases`) of a list whose id is the file name without extension.

use super::{Diagnostic, Level, PhraseList, Places, Rule, RulePlaces, Severity, Source};

/// The list id of a plain-text file: its name without folders or extension.
pub(super) fn list_id(file: &str) -> String {
    std::path::Path::new(file)
        .file_stem()
        .map_or_else(|| file.to_string(), |s| s.to_string_lossy().into_owned())
}

pub(super) fn read(src: &Source, diags: &mut Vec<Diagnostic>) -> (PhraseList, Places) {
    let id = list_id(src.file);
    let mut rule = Rule {
        id: "phrases".into(),
        label: id.clone(),
        severity: Severity::Warn,
        message: format!("列表「{id}」中的词语"),
        phrases: Vec::new(),
        patterns: Vec::new(),
        allow: Vec::new(),
        suggest: None,
        fold_digits: false,
        examples_hit: Vec::new(),
        examples_ok: Vec::new(),
    };
    let mut places = RulePlaces::default();
    let mut offset = 0;
    for raw in src.text.split_inclusive('\n') {
        let start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let lead = line.len() - line.trim_start().len();
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(a) = line.strip_prefix('!') {
            let a = a.trim();
            if a.is_empty() {
                diags.push(src.diagnostic(
                    start + lead,
                    Level::Error,
                    "`!` needs an allow context after it".into(),
                ));
                continue;
            }
            rule.allow.push(a.to_string());
            places.allow.push(start + lead);
        } else {
            rule.phrases.push(line.to_string());
            places.phrases.push(start + lead);
        }
    }
    if rule.phrases.is_empty() {
        diags.push(src.diagnostic(
            0,
            Level::Warning,
            "the list has no phrases (only comments, blank lines or `!` allow contexts)".into(),
        ));
    }
    let list = PhraseList {
        name: id.clone(),
        id,
        version: "0".into(),
        owner: None,
        description: None,
        allow: Vec::new(),
        common_words: true,
        rules: vec![rule],
    };
    (
        list,
        Places {
            list: 0,
            list_allow: Vec::new(),
            rules: vec![places],
        },
    )
}
