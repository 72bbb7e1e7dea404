//! Typed indices. CSV string ids are mapped to these once, at load time, so the model and the
//! planner never look anything up by string.

use std::fmt;
use std::marker::PhantomData;

/// Index of a `T` in the event's vector of `T`s.
pub(crate) struct Id<T> {
    raw: u32,
    _of: PhantomData<fn() -> T>,
}

impl<T> Id<T> {
    pub(crate) fn new(index: usize) -> Self {
        // Size limits at load time keep every collection far below u32::MAX.
        Id {
            raw: u32::try_from(index).expect("index fits in u32"),
            _of: PhantomData,
        }
    }
    pub(crate) fn index(self) -> usize {
        self.raw as usize
    }
}

// Manual impls: derives would require `T: Clone` etc., which the marker type need not be.
impl<T> Clone for Id<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Id<T> {}
impl<T> PartialEq for Id<T> {
    fn eq(&self, other: &Self) -> bool {
        self.raw == other.raw
    }
}
impl<T> Eq for Id<T> {}
impl<T> PartialOrd for Id<T> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl<T> Ord for Id<T> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.raw.cmp(&other.raw)
    }
}
impl<T> std::hash::Hash for Id<T> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.raw.hash(state);
    }
}
impl<T> fmt::Debug for Id<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.raw)
    }
}

/// Iterate the ids `0..n`.
pub(crate) fn ids<T>(n: usize) -> impl Iterator<Item = Id<T>> {
    (0..n).map(Id::new)
}

/// Each item's string id mapped to its typed index: the one place where CSV ids of a file read
/// after the event (a schedule, cancellations) are turned into typed ids.
pub(crate) fn index_by<'a, T>(
    items: &'a [T],
    id: impl Fn(&'a T) -> &'a str,
) -> std::collections::HashMap<&'a str, Id<T>> {
    items
        .iter()
        .enumerate()
        .map(|(i, x)| (id(x), Id::new(i)))
        .collect()
}
