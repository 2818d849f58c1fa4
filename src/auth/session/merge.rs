//! Three-way merge of a session's data, for a save made from a version that
//! another request has saved over since (two tabs, a page and a form sent at
//! the same instant): what this request changed is applied to what is stored
//! now, and what the other changed is kept; what whom the person acts for
//! rests on is then settled ([`settle`]).
use serde_json::Value;

/// `base` is the data as this request read it, `mine` as it would save it,
/// `theirs` as stored now; `None` is a key that is not there. Objects merge
/// field by field; where both changed the same value, this save (the later
/// one) wins.
pub fn three_way(base: Option<&Value>, mine: Option<&Value>, theirs: Option<&Value>) -> Option<Value> {
    if mine == base {
        return theirs.cloned();
    }
    if theirs == base || theirs == mine {
        return mine.cloned();
    }
    match (base, mine, theirs) {
        (Some(Value::Object(b)), Some(Value::Object(m)), Some(Value::Object(t))) => {
            let keys: std::collections::BTreeSet<&String> = b.keys().chain(m.keys()).chain(t.keys()).collect();
            let merged = keys
                .into_iter()
                .filter_map(|k| three_way(b.get(k), m.get(k), t.get(k)).map(|v| (k.clone(), v)))
                .collect();
            Some(Value::Object(merged))
        }
        _ => mine.cloned(),
    }
}

/// A session's data merged (see [`three_way`]; `None` when one of them is
/// not an object), and settled: see [`settle`].
pub fn session(base: &Value, mine: &Value, theirs: &Value) -> Option<serde_json::Map<String, Value>> {
    let Some(Value::Object(mut merged)) = three_way(Some(base), Some(mine), Some(theirs)) else { return None };
    settle(&mut merged, mine, theirs);
    Some(merged)
}

/// What whom the person acts for rests on, after a merge: a principal that
/// no longer reads (a merge inside one of its enums) is the later save's
/// whole, and the check noted goes with the principal it was noted for;
/// none stands for a principal made of both saves.
fn settle(merged: &mut serde_json::Map<String, Value>, mine: &Value, theirs: &Value) {
    let (principal, checked) = (super::SESSION_KEY, super::CHECKED_KEY);
    let reads = |p: &Value| {
        super::principal_of(&std::collections::HashMap::from([(principal.to_string(), p.clone())])).is_some()
    };
    if let (Some(p), Some(later)) = (merged.get(principal), mine.get(principal)) {
        if !reads(p) {
            merged.insert(principal.to_string(), later.clone());
        }
    }
    let now = merged.get(principal);
    let noted = if now == theirs.get(principal) {
        theirs.get(checked)
    } else if now == mine.get(principal) {
        mine.get(checked)
    } else {
        None
    };
    match noted.cloned() {
        Some(n) => merged.insert(checked.to_string(), n),
        None => merged.remove(checked),
    };
}

#[cfg(test)]
mod tests {
    use super::three_way;
    use serde_json::{json, Value};

    fn merge(base: Value, mine: Value, theirs: Value) -> Value {
        three_way(Some(&base), Some(&mine), Some(&theirs)).expect("an object")
    }

    #[test]
    fn changes_to_different_keys_are_both_kept() {
        let merged = merge(json!({"a": 1, "b": 1}), json!({"a": 2, "b": 1}), json!({"a": 1, "b": 3}));
        assert_eq!(merged, json!({"a": 2, "b": 3}));
    }

    #[test]
    fn changes_inside_one_object_merge_field_by_field() {
        let base = json!({"principal": {"actor": {"cf": null}, "acting": {"until": 1}}});
        let mine = json!({"principal": {"actor": {"cf": "RSSMRA"}, "acting": {"until": 1}}});
        let theirs = json!({"principal": {"actor": {"cf": null}, "acting": {"until": 2}}});
        let merged = merge(base, mine, theirs);
        assert_eq!(merged, json!({"principal": {"actor": {"cf": "RSSMRA"}, "acting": {"until": 2}}}));
    }

    #[test]
    fn the_same_value_changed_twice_takes_the_later_save() {
        assert_eq!(merge(json!({"a": 1}), json!({"a": 2}), json!({"a": 3})), json!({"a": 2}));
        assert_eq!(merge(json!({"a": {"x": 1}}), json!({"a": 5}), json!({"a": {"x": 2}})), json!({"a": 5}));
    }

    #[test]
    fn added_and_removed_keys_survive_the_merge() {
        let merged = merge(json!({"a": 1, "b": 1}), json!({"b": 1, "c": 1}), json!({"a": 1, "b": 2, "d": 1}));
        assert_eq!(merged, json!({"b": 2, "c": 1, "d": 1}));
        // Removed by the other save, untouched by this one: stays removed.
        assert_eq!(merge(json!({"a": 1, "b": 1}), json!({"a": 2, "b": 1}), json!({"a": 1})), json!({"a": 2}));
    }
}
