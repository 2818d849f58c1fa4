//! Rendered parts kept by everything they show, rendered once per key and
//! reused. Bounded: emptied when full (the keys are few, languages and
//! access decisions and names; a flood of new ones must not grow it).
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{LazyLock, RwLock};

pub struct Memo<K, V> {
    max: usize,
    kept: LazyLock<RwLock<HashMap<K, V>>>,
}

impl<K, V> Memo<K, V> {
    /// An empty memo keeping at most `max` values (for a `static`).
    pub const fn new(max: usize) -> Self {
        Memo { max, kept: LazyLock::new(RwLock::default) }
    }
}

impl<K: Eq + Hash, V: Clone> Memo<K, V> {
    /// The value kept for `key`, rendered by `render` the first time. A lock
    /// poisoned by a panic elsewhere only means rendering again.
    pub fn get_or(&self, key: K, render: impl FnOnce() -> V) -> V {
        if let Some(kept) = self.kept.read().ok().and_then(|m| m.get(&key).cloned()) {
            return kept;
        }
        let value = render();
        if let Ok(mut m) = self.kept.write() {
            if m.len() >= self.max {
                m.clear();
            }
            m.insert(key, value.clone());
        }
        value
    }
}

#[cfg(test)]
mod tests {
    use super::Memo;

    #[test]
    fn renders_once_per_key_and_never_keeps_more_than_its_bound() {
        static MEMO: Memo<u32, String> = Memo::new(2);
        let mut renders = 0;
        for key in [1, 1, 2, 1] {
            MEMO.get_or(key, || {
                renders += 1;
                key.to_string()
            });
        }
        assert_eq!(renders, 2);
        // A third key empties it: 1 is rendered again.
        assert_eq!(MEMO.get_or(3, || "3".into()), "3");
        assert_eq!(MEMO.get_or(1, || "again".into()), "again");
        assert!(MEMO.kept.read().map(|m| m.len()).unwrap_or(0) <= 2);
    }
}
