//! The order of presence transitions on this node. Every transition carries a
//! version that rises per subject (the presence service's Redis script hands
//! them out), but two presence instances publish independently, so an older
//! `offline` can reach a node after a newer `online`. The node remembers the
//! newest version it delivered for each subject and drops anything older.
//!
//! A version equal to the newest is delivered again: a transition is published
//! once per contact channel, and the presence service re-publishes one whose
//! broadcast failed part-way, both with the same version.
//!
//! Memory is bounded by two generations of at most `capacity` subjects each:
//! when the current one fills up it becomes the previous one and the old
//! previous one is forgotten. A subject forgotten that way has been silent
//! through `capacity` other subjects' transitions, far longer than any two
//! publications of one subject can be apart.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

/// Subjects per generation by default.
pub const CAPACITY: usize = 100_000;

#[derive(Default)]
struct Generations {
    current: HashMap<i64, u64>,
    previous: HashMap<i64, u64>,
}

pub struct PresenceOrder {
    capacity: usize,
    state: Mutex<Generations>,
}

impl Default for PresenceOrder {
    fn default() -> Self {
        Self::new(CAPACITY)
    }
}

impl PresenceOrder {
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity: capacity.max(1),
            state: Mutex::new(Generations::default()),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Generations> {
        // Only integers inside: a panic elsewhere cannot leave them inconsistent.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Whether transition `version` of `user_id` is to be delivered (and, if so,
    /// remembers it). Version 0 means "not versioned" (an older publisher):
    /// delivered as it comes.
    pub fn admit(&self, user_id: i64, version: u64) -> bool {
        if version == 0 {
            return true;
        }
        let mut state = self.lock();
        let last = state
            .current
            .get(&user_id)
            .or_else(|| state.previous.get(&user_id))
            .copied();
        if last.is_some_and(|last| version < last) {
            return false;
        }
        if !state.current.contains_key(&user_id) && state.current.len() >= self.capacity {
            state.previous = std::mem::take(&mut state.current);
        }
        state.current.insert(user_id, version);
        true
    }

    /// Subjects remembered (both generations, a subject in both counted twice).
    #[cfg(test)]
    fn remembered(&self) -> usize {
        let state = self.lock();
        state.current.len() + state.previous.len()
    }
}

#[cfg(test)]
mod tests {
    use super::PresenceOrder;

    #[test]
    fn an_older_transition_after_a_newer_one_is_dropped() {
        let order = PresenceOrder::default();
        assert!(order.admit(7, 20));
        assert!(!order.admit(7, 19), "older than the last delivered");
        assert!(order.admit(7, 21));
        assert!(!order.admit(7, 20));
    }

    #[test]
    fn the_same_version_is_delivered_again_and_subjects_are_independent() {
        let order = PresenceOrder::default();
        assert!(order.admit(7, 20));
        assert!(
            order.admit(7, 20),
            "another contact's copy, or a re-publication"
        );
        assert!(order.admit(8, 5), "another subject's versions are its own");
        assert!(!order.admit(7, 6));
    }

    #[test]
    fn unversioned_transitions_are_always_delivered_and_change_nothing() {
        let order = PresenceOrder::default();
        assert!(order.admit(7, 0));
        assert!(order.admit(7, 20));
        assert!(order.admit(7, 0));
        assert!(!order.admit(7, 19));
    }

    #[test]
    fn memory_is_bounded_by_two_generations() {
        let order = PresenceOrder::new(100);
        for user in 0..10_000 {
            assert!(order.admit(user, 1));
        }
        assert!(order.remembered() <= 200, "{}", order.remembered());
        // The newest subjects are still ordered.
        assert!(order.admit(9_999, 2));
        assert!(!order.admit(9_999, 1));
    }

    #[test]
    fn a_subject_of_the_previous_generation_is_still_ordered() {
        let order = PresenceOrder::new(2);
        assert!(order.admit(1, 10));
        assert!(order.admit(2, 10));
        // Fills the current generation: 1 and 2 move to the previous one.
        assert!(order.admit(3, 10));
        assert!(!order.admit(1, 9), "remembered in the previous generation");
        assert!(order.admit(1, 11));
        assert!(!order.admit(1, 10));
    }
}
