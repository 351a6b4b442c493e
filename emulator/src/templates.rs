//! API Gateway resource paths: `/pets/{id}`-style templates, matching them against a request path,
//! and filling `{name}` placeholders in mock bodies. The one home for path templates.

/// Replaces every `{name}` / `{name+}` placeholder of `template` with a value from `lookup`
/// (JSON-escaped, without quotes). Used for method bodies.
pub(crate) fn substitute(template: &str, lookup: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let (before, from_brace) = rest.split_at(start);
        out.push_str(before);
        let after = from_brace.get(1..).unwrap_or("");
        let close = after.find('}');
        let name = close.and_then(|end| after.get(..end));
        match name.filter(|n| is_param_name(n.trim_end_matches('+'))) {
            Some(n) => {
                if let Some(v) = lookup(n.trim_end_matches('+')) {
                    let quoted = serde_json::to_string(&v).unwrap_or_default();
                    out.push_str(quoted.trim_matches('"'));
                } else {
                    out.push('{');
                    out.push_str(n);
                    out.push('}');
                }
                rest = after.get(n.len() + 1..).unwrap_or("");
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

pub(crate) fn is_param_name(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

pub(crate) fn validate_path(path: &str) -> Result<(), String> {
    if !path.starts_with('/') {
        return Err(format!("path \"{path}\" must start with /"));
    }
    let segments: Vec<&str> = path.split('/').skip(1).filter(|s| !s.is_empty()).collect();
    for (i, seg) in segments.iter().enumerate() {
        if let Some(inner) = seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            let greedy = inner.ends_with('+');
            if !is_param_name(inner.trim_end_matches('+')) {
                return Err(format!(
                    "path parameter \"{seg}\" must look like {{name}} or {{name+}}"
                ));
            }
            if greedy && i + 1 != segments.len() {
                return Err(format!(
                    "greedy parameter \"{seg}\" must be the last segment"
                ));
            }
        } else if seg.contains(['{', '}', '?', '#', ' ']) {
            return Err(format!(
                "path segment \"{seg}\" is not a literal or a {{parameter}}"
            ));
        }
    }
    Ok(())
}

/// `/pets/{petId}/` → `/pets/{}`: two templates equal after this are the same resource.
pub(crate) fn normalize_template(path: &str) -> String {
    let segs: Vec<String> = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| {
            if s.starts_with('{') {
                if s.ends_with("+}") {
                    "{+}".to_string()
                } else {
                    "{}".to_string()
                }
            } else {
                s.to_string()
            }
        })
        .collect();
    format!("/{}", segs.join("/"))
}

/// The path below the stage (`/` for the stage itself), or `None` when the path is not in the stage.
pub(crate) fn below_stage<'a>(path: &'a str, stage: &str) -> Option<&'a str> {
    let rest = path.strip_prefix('/')?.strip_prefix(stage)?;
    if rest.is_empty() {
        Some("/")
    } else if rest.starts_with('/') {
        Some(rest)
    } else {
        None
    }
}

fn decode_segment(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

pub(crate) type Params = Vec<(String, String)>;

/// Matches a template against path segments: a score (literals weigh most) and the parameters.
pub(crate) fn match_template(template: &str, segs: &[&str]) -> Option<(usize, Params)> {
    let tsegs: Vec<&str> = template.split('/').filter(|s| !s.is_empty()).collect();
    let mut params = Vec::new();
    let mut score = 0usize;
    let mut i = 0usize;
    for t in &tsegs {
        if let Some(name) = t.strip_prefix('{').and_then(|s| s.strip_suffix("+}")) {
            let rest = segs.get(i..).filter(|r| !r.is_empty())?;
            let value: Vec<String> = rest.iter().map(|s| decode_segment(s)).collect();
            params.push((name.to_string(), value.join("/")));
            return Some((score, params));
        }
        let seg = segs.get(i)?;
        if let Some(name) = t.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            params.push((name.to_string(), decode_segment(seg)));
            score += 1;
        } else if t == seg {
            score += 3;
        } else {
            return None;
        }
        i += 1;
    }
    (i == segs.len()).then_some((score, params))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substitute_escapes_and_keeps_unknown() {
        let out = substitute(r#"{"id":"{id}","x":"{other}"}"#, &|n| {
            (n == "id").then(|| "a\"b".to_string())
        });
        assert_eq!(out, r#"{"id":"a\"b","x":"{other}"}"#);
        assert_eq!(substitute("{ {", &|_| None), "{ {");
    }

    #[test]
    fn bad_paths_are_refused() {
        assert!(validate_path("pets").is_err());
        assert!(validate_path("/{proxy+}/x").is_err());
        assert!(validate_path("/a{b}").is_err());
        assert!(validate_path("/pets/{id}").is_ok());
    }

    #[test]
    fn templates_match_by_specificity() {
        assert_eq!(match_template("/", &[]).map(|m| m.0), Some(0));
        assert!(match_template("/", &["pets"]).is_none());
        let (score, params) = match_template("/pets/{id}", &["pets", "a%20b"]).unwrap();
        assert_eq!(score, 4);
        assert_eq!(params, vec![("id".to_string(), "a b".to_string())]);
        assert!(match_template("/pets/{id}", &["pets"]).is_none());
        let (_, p) = match_template("/files/{path+}", &["files", "a", "b"]).unwrap();
        assert_eq!(p[0].1, "a/b");
        assert!(match_template("/files/{path+}", &["files"]).is_none());
    }

    #[test]
    fn stage_prefix_must_be_a_whole_segment() {
        assert_eq!(below_stage("/dev", "dev"), Some("/"));
        assert_eq!(below_stage("/dev/pets", "dev"), Some("/pets"));
        assert_eq!(below_stage("/development", "dev"), None);
        assert_eq!(below_stage("/prod/pets", "dev"), None);
    }
}
