//! The living barrier register (issue 23, DOMAIN.md §10): a barrier's
//! stable id within its agreement (`B-3`), what its owning party keeps up
//! to date without an amendment (status, mitigation, actions: the *living*
//! fields), the rule that decides what an amendment coming into force does
//! to them, and how far a barrier's mitigation has come.
//!
//! The rule, in one place: the register is the owning party's. When an
//! amendment comes into force, a living field takes the amendment's value
//! only if the amendment changes that field from the terms it replaces and
//! the owner has not updated the barrier since the amendment was proposed;
//! otherwise the register's value stands. So an amendment that leaves a
//! barrier alone never undoes the owner's updates, one that deliberately
//! changes a mitigation does change it, and an owner's update made while
//! the amendment awaited approval is newer news than the amendment and is
//! kept.

use super::enums::{BarrierStatus, str_enum};
use super::terms::Barrier;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// The longest barrier id.
pub const KEY_MAX: usize = 20;

/// Longest mitigation or actions text an owner writes.
pub const LIVING_TEXT_MAX: usize = 10_000;

/// The id a barrier gets when none is given (`B-1`, `B-2`…), kept beside
/// the terms that read old snapshots with it.
pub use super::terms::default_barrier_key as default_key;

/// Why `key` cannot be a barrier id (1 to 20 of `A-Z`, `0-9` and `-`, not
/// starting with `-`), if it cannot.
pub fn key_problem(key: &str) -> Option<&'static str> {
    if key.is_empty() || key.len() > KEY_MAX {
        return Some("A barrier id has 1 to 20 characters.");
    }
    if key.starts_with('-')
        || !key
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-')
    {
        return Some("A barrier id is capital letters, digits and hyphens (B-3).");
    }
    None
}

/// The lowest `B-n` not in `taken`.
pub fn next_key(taken: &HashSet<String>) -> String {
    (0..)
        .map(default_key)
        .find(|k| !taken.contains(k))
        .unwrap_or_default()
}

/// Gives every barrier of `barriers` that has no id (terms recorded before
/// ids) the id of a `known` barrier (key, description) of the same
/// description not yet given, else the lowest `B-n` neither known nor
/// given. Barriers that have an id keep it.
pub fn assign_keys(barriers: &mut [Barrier], known: &[(String, String)]) {
    let mut taken: HashSet<String> = barriers
        .iter()
        .filter(|b| !b.key.is_empty())
        .map(|b| b.key.clone())
        .collect();
    for b in barriers.iter_mut().filter(|b| b.key.is_empty()) {
        let found = known
            .iter()
            .find(|(k, d)| d.trim() == b.description.trim() && !taken.contains(k));
        if let Some((k, _)) = found {
            b.key = k.clone();
            taken.insert(k.clone());
        }
    }
    for (k, _) in known {
        taken.insert(k.clone());
    }
    for b in barriers.iter_mut().filter(|b| b.key.is_empty()) {
        let k = next_key(&taken);
        taken.insert(k.clone());
        b.key = k;
    }
}

/// What the owning party keeps up to date without an amendment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Living {
    pub status: BarrierStatus,
    pub mitigation: Option<String>,
    pub mitigation_fr: Option<String>,
    pub actions: Option<String>,
    pub actions_fr: Option<String>,
}

impl Living {
    /// The living fields of `b` as terms record them.
    pub fn of(b: &Barrier) -> Self {
        Living {
            status: b.status,
            mitigation: b.mitigation.clone(),
            mitigation_fr: b.mitigation_fr.clone(),
            actions: b.actions.clone(),
            actions_fr: b.actions_fr.clone(),
        }
    }
}

/// The living fields of a barrier once amendment `number`, proposing
/// `proposed`, comes into force in place of terms that had `in_force` (none
/// for a barrier the amendment adds), when the register holds `register`,
/// last updated by the owner while the agreement's latest version was
/// `updated_in` (none: never updated). See the module's rule.
pub fn after_amendment(
    proposed: &Living,
    number: i32,
    in_force: Option<&Living>,
    register: &Living,
    updated_in: Option<i32>,
) -> Living {
    if updated_in.is_some_and(|v| v >= number) {
        return register.clone();
    }
    let Some(before) = in_force else {
        return proposed.clone();
    };
    fn pick<T: Clone + PartialEq>(proposed: &T, before: &T, register: &T) -> T {
        if proposed == before {
            register.clone()
        } else {
            proposed.clone()
        }
    }
    Living {
        status: pick(&proposed.status, &before.status, &register.status),
        mitigation: pick(
            &proposed.mitigation,
            &before.mitigation,
            &register.mitigation,
        ),
        mitigation_fr: pick(
            &proposed.mitigation_fr,
            &before.mitigation_fr,
            &register.mitigation_fr,
        ),
        actions: pick(&proposed.actions, &before.actions, &register.actions),
        actions_fr: pick(
            &proposed.actions_fr,
            &before.actions_fr,
            &register.actions_fr,
        ),
    }
}

str_enum! {
    /// How far a barrier's mitigation has come, derived from its status and
    /// whether a mitigation or actions are recorded.
    pub enum Progress("mitigation progress") {
        /// Open, with neither a mitigation nor actions recorded.
        Unplanned = "unplanned",
        /// Open, with a mitigation or actions under way.
        Planned = "planned",
        /// Its effects are contained.
        Mitigated = "mitigated",
        /// Dealt with.
        Resolved = "resolved",
    }
}

impl Progress {
    /// The progress of a barrier in `status` with (or without) a
    /// mitigation or actions recorded.
    pub fn of(status: BarrierStatus, planned: bool) -> Self {
        match status {
            BarrierStatus::Open if planned => Progress::Planned,
            BarrierStatus::Open => Progress::Unplanned,
            BarrierStatus::Mitigated => Progress::Mitigated,
            BarrierStatus::Closed => Progress::Resolved,
        }
    }

    /// The step reached, 0 to 3, for a progress bar.
    pub fn step(self) -> u8 {
        match self {
            Progress::Unplanned => 0,
            Progress::Planned => 1,
            Progress::Mitigated => 2,
            Progress::Resolved => 3,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::BarrierCategory;

    fn living(status: BarrierStatus, mitigation: &str) -> Living {
        Living {
            status,
            mitigation: Some(mitigation.into()),
            mitigation_fr: None,
            actions: None,
            actions_fr: None,
        }
    }

    fn barrier(key: &str, description: &str) -> Barrier {
        Barrier {
            key: key.into(),
            category: BarrierCategory::Legal,
            description: description.into(),
            description_fr: None,
            severity: 3,
            mitigation: None,
            mitigation_fr: None,
            actions: None,
            actions_fr: None,
            owner_id: Some(1),
            status: BarrierStatus::Open,
        }
    }

    #[test]
    fn a_barrier_id_is_capital_letters_digits_and_hyphens() {
        assert_eq!(key_problem("B-3"), None);
        assert!(key_problem("").is_some());
        assert!(key_problem("b-3").is_some());
        assert!(key_problem("-B").is_some());
        assert!(key_problem(&"B".repeat(21)).is_some());
    }

    #[test]
    fn barriers_without_ids_take_the_id_of_the_known_barrier_of_the_same_description() {
        let mut list = vec![barrier("", "Privacy law"), barrier("", "New one")];
        let known = vec![
            ("B-1".to_owned(), "Budgets".to_owned()),
            ("B-2".to_owned(), "Privacy law".to_owned()),
        ];
        assign_keys(&mut list, &known);
        assert_eq!(list[0].key, "B-2");
        assert_eq!(list[1].key, "B-3", "the lowest id no barrier ever had");
    }

    #[test]
    fn an_amendment_that_leaves_a_barrier_alone_keeps_the_owners_update() {
        let agreed = living(BarrierStatus::Open, "Plan");
        let register = living(BarrierStatus::Mitigated, "Plan, done");
        let out = after_amendment(&agreed, 3, Some(&agreed), &register, Some(2));
        assert_eq!(out, register);
    }

    #[test]
    fn an_amendment_that_changes_a_field_changes_it_unless_the_owner_spoke_since() {
        let agreed = living(BarrierStatus::Open, "Plan");
        let proposed = living(BarrierStatus::Open, "A better plan");
        let register = living(BarrierStatus::Mitigated, "Plan");
        let out = after_amendment(&proposed, 3, Some(&agreed), &register, Some(2));
        assert_eq!(out.mitigation.as_deref(), Some("A better plan"));
        assert_eq!(out.status, BarrierStatus::Mitigated, "untouched field");
        // Updated while amendment 3 awaited approval: the register stands.
        let out = after_amendment(&proposed, 3, Some(&agreed), &register, Some(3));
        assert_eq!(out, register);
    }

    #[test]
    fn a_barrier_an_amendment_adds_takes_its_values() {
        let proposed = living(BarrierStatus::Open, "Plan");
        let register = living(BarrierStatus::Closed, "x");
        assert_eq!(
            after_amendment(&proposed, 4, None, &register, None),
            proposed
        );
    }

    #[test]
    fn progress_follows_the_status_and_whether_work_is_planned() {
        assert_eq!(
            Progress::of(BarrierStatus::Open, false),
            Progress::Unplanned
        );
        assert_eq!(Progress::of(BarrierStatus::Open, true), Progress::Planned);
        assert_eq!(Progress::of(BarrierStatus::Closed, false).step(), 3);
    }
}
