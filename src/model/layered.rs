//! Maps and sets in two layers: a shared, frozen base and this copy's own
//! changes on top. Every lint against a loaded schema starts from a copy of
//! the schema's catalog (GitLab's: 1,401 tables, 13,940 columns, 4,630
//! indexes); with the schema as the base, that copy costs a reference count
//! per map, and a migration's changes cost what they change, not a copy of
//! the maps they touch.

use std::borrow::Borrow;
use std::collections::{HashMap, HashSet};
use std::hash::Hash;
use std::sync::Arc;

/// A map: `top` (this copy's entries) over `base` (shared), minus `gone`
/// (base keys this copy removed).
#[derive(Debug, Clone)]
pub(crate) struct LayeredMap<K, V> {
    base: Arc<HashMap<K, V>>,
    top: HashMap<K, V>,
    gone: HashSet<K>,
}

impl<K, V> Default for LayeredMap<K, V> {
    fn default() -> Self {
        LayeredMap {
            base: Arc::default(),
            top: HashMap::new(),
            gone: HashSet::new(),
        }
    }
}

impl<K: Eq + Hash + Clone, V: Clone> LayeredMap<K, V> {
    fn in_base<Q>(&self, k: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
        Q: Eq + Hash + ?Sized,
    {
        if self.gone.contains(k) {
            None
        } else {
            self.base.get(k)
        }
    }

    pub fn get<Q>(&self, k: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
        Q: Eq + Hash + ?Sized,
    {
        self.top.get(k).or_else(|| self.in_base(k))
    }

    pub fn contains_key<Q>(&self, k: &Q) -> bool
    where
        K: Borrow<Q>,
        Q: Eq + Hash + ?Sized,
    {
        self.get(k).is_some()
    }

    /// The entry, brought up from the base into this copy to be changed.
    pub fn get_mut(&mut self, k: &K) -> Option<&mut V> {
        if !self.top.contains_key(k) {
            let v = self.in_base(k)?.clone();
            self.top.insert(k.clone(), v);
        }
        self.top.get_mut(k)
    }

    /// The entry, or a default one inserted.
    pub fn get_or_default(&mut self, k: K) -> &mut V
    where
        V: Default,
    {
        if self.get_mut(&k).is_none() {
            self.top.insert(k.clone(), V::default());
        }
        self.top.get_mut(&k).expect("just inserted")
    }

    pub fn insert(&mut self, k: K, v: V) -> Option<V> {
        let old = self.remove(&k);
        self.top.insert(k, v);
        old
    }

    pub fn remove(&mut self, k: &K) -> Option<V> {
        let mine = self.top.remove(k);
        let theirs = self.in_base(k).cloned();
        if theirs.is_some() {
            self.gone.insert(k.clone());
        }
        mine.or(theirs)
    }

    /// Keeps the entries `keep` accepts (a scan of the base: rare, for DROP).
    pub fn retain(&mut self, mut keep: impl FnMut(&K, &V) -> bool) {
        self.top.retain(|k, v| keep(k, v));
        let drop: Vec<K> = self
            .base
            .iter()
            // `keep` first: it is cheap, and true for nearly every entry;
            // the lookups hash the key.
            .filter(|(k, v)| !keep(k, v) && !self.gone.contains(*k) && !self.top.contains_key(*k))
            .map(|(k, _)| k.clone())
            .collect();
        self.gone.extend(drop);
    }

    /// Every entry: this copy's, then the base's it has not changed.
    pub fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.top.iter().chain(
            self.base
                .iter()
                .filter(|(k, _)| !self.gone.contains(*k) && !self.top.contains_key(*k)),
        )
    }

    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.iter().map(|(_, v)| v)
    }

    pub fn len(&self) -> usize {
        self.iter().count()
    }

    /// Makes everything this copy holds the shared base, so that copies
    /// made from now on share it.
    pub fn freeze(&mut self) {
        if self.top.is_empty() && self.gone.is_empty() {
            return;
        }
        if self.base.is_empty() {
            // Nothing to merge: this copy's entries become the base as they are.
            let mut top = std::mem::take(&mut self.top);
            top.shrink_to_fit();
            self.base = Arc::new(top);
            self.gone = HashSet::new();
            return;
        }
        let mut all: HashMap<K, V> = self.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        all.shrink_to_fit();
        self.base = Arc::new(all);
        self.top = HashMap::new();
        self.gone = HashSet::new();
    }
}

/// A set in two layers, as [`LayeredMap`].
#[derive(Debug, Clone)]
pub(crate) struct LayeredSet<K>(LayeredMap<K, ()>);

impl<K> Default for LayeredSet<K> {
    fn default() -> Self {
        LayeredSet(LayeredMap::default())
    }
}

impl<K: Eq + Hash + Clone> LayeredSet<K> {
    pub fn contains<Q>(&self, k: &Q) -> bool
    where
        K: Borrow<Q>,
        Q: Eq + Hash + ?Sized,
    {
        self.0.contains_key(k)
    }

    /// True when `k` was not there.
    pub fn insert(&mut self, k: K) -> bool {
        self.0.insert(k, ()).is_none()
    }

    /// True when `k` was there.
    pub fn remove(&mut self, k: &K) -> bool {
        self.0.remove(k).is_some()
    }

    pub fn retain(&mut self, mut keep: impl FnMut(&K) -> bool) {
        self.0.retain(|k, _| keep(k));
    }

    pub fn freeze(&mut self) {
        self.0.freeze();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_changes_alone_and_sees_the_base() {
        let mut base: LayeredMap<String, u32> = LayeredMap::default();
        base.insert("a".into(), 1);
        base.insert("b".into(), 2);
        base.insert("c".into(), 3);
        base.freeze();
        let mut copy = base.clone();
        *copy.get_mut(&"a".to_string()).unwrap() = 10;
        assert_eq!(copy.remove(&"b".to_string()), Some(2));
        assert_eq!(copy.remove(&"b".to_string()), None);
        copy.insert("d".into(), 4);
        *copy.get_or_default("e".into()) += 5;
        copy.retain(|k, _| k != "c");
        let mut seen: Vec<(String, u32)> = copy.iter().map(|(k, v)| (k.clone(), *v)).collect();
        seen.sort();
        assert_eq!(seen, [("a".into(), 10), ("d".into(), 4), ("e".into(), 5)]);
        assert_eq!(copy.len(), 3);
        assert!(!copy.contains_key("c"));
        // The base and other copies are untouched.
        assert_eq!(base.get("a"), Some(&1));
        assert_eq!(base.len(), 3);
        // A removed base key inserted again is back.
        copy.insert("b".into(), 20);
        assert_eq!(copy.get("b"), Some(&20));
        copy.freeze();
        assert_eq!(copy.len(), 4);
        let mut set: LayeredSet<u8> = LayeredSet::default();
        assert!(set.insert(1));
        set.freeze();
        let mut other = set.clone();
        assert!(!other.insert(1));
        assert!(other.remove(&1));
        assert!(!other.contains(&1));
        assert!(set.contains(&1));
    }
}
