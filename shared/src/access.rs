//! Roles and what each may change (sync-server issue, "Identity and access").
//!
//! The rule lives here, in `shared`, so the phone can grey out what its user may not edit and
//! the server re-checks every incoming change with the same function. Field paths are those of
//! [`crate::doc`]: dot-separated keys with member and measurement ids as keys
//! (`members.<id>.health_insurance`, `measurements.<id>.weight_kg`).

use serde::{Deserialize, Serialize};

/// A user's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Rà soát viên: surveys the households of their residential groups.
    Collector,
    /// Health-station staff: measures children, answers nutrition and health insurance.
    Health,
    /// Ward staff (labour and social affairs desk): reads everything in the commune, reviews.
    WardStaff,
    /// Administrator: everything.
    Admin,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 4] = [Role::Collector, Role::Health, Role::WardStaff, Role::Admin];

    /// Stable code (`collector`, `health`, `ward_staff`, `admin`).
    pub fn as_code(self) -> &'static str {
        match self {
            Role::Collector => "collector",
            Role::Health => "health",
            Role::WardStaff => "ward_staff",
            Role::Admin => "admin",
        }
    }

    /// Parses a role code.
    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_code() == code)
    }
}

/// Member fields a health worker may answer: the nutrition record and health insurance.
const HEALTH_MEMBER_FIELDS: [&str; 2] = ["health_insurance", "malnourished_reported"];

/// Whether `role` may change the field at `path` (a [`crate::doc`] field path).
///
/// - collectors: every household answer except child measurements (a collector does not weigh
///   children; the health station does);
/// - health staff: measurements (add, edit, remove) and each member's `health_insurance` and
///   `malnourished_reported` — nothing else, not even the member list;
/// - nobody but ward staff and admins changes the review record (`review.*`, standard §7);
/// - ward staff and admins: everything (ward staff settle conflicts and correct records).
pub fn may_change(role: Role, path: &str) -> bool {
    let mut parts = path.split('.');
    let top = parts.next().unwrap_or_default();
    match role {
        Role::WardStaff | Role::Admin => true,
        Role::Collector => top != "measurements" && top != "review",
        Role::Health => match top {
            "measurements" => true,
            "members" => {
                let (_id, field) = (parts.next(), parts.next());
                field.is_some_and(|f| HEALTH_MEMBER_FIELDS.contains(&f)) && parts.next().is_none()
            }
            _ => false,
        },
    }
}

/// The paths among `paths` that `role` may not change.
pub fn forbidden_paths(role: Role, paths: &[String]) -> Vec<&str> {
    paths.iter().map(String::as_str).filter(|p| !may_change(role, p)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn health_staff_change_measurements_insurance_and_nutrition_only() {
        let id = "0193a5a2-7c1e-7b7a-9a55-0c0ffee00003";
        for (path, allowed) in [
            ("measurements.m1.weight_kg".to_owned(), true),
            ("measurements.m1".to_owned(), true),
            (format!("members.{id}.health_insurance"), true),
            (format!("members.{id}.malnourished_reported"), true),
            (format!("members.{id}.work"), false),
            (format!("members.{id}"), false),
            ("dwelling.floor_area_m2".to_owned(), false),
            ("income.monthly_per_capita_vnd".to_owned(), false),
        ] {
            assert_eq!(may_change(Role::Health, &path), allowed, "{path}");
        }
    }

    #[test]
    fn collectors_change_answers_but_not_measurements() {
        assert!(may_change(Role::Collector, "dwelling.floor_area_m2"));
        assert!(may_change(Role::Collector, "members.x.work"));
        assert!(may_change(Role::Collector, "members.x"));
        assert!(!may_change(Role::Collector, "measurements.m1.weight_kg"));
        assert!(may_change(Role::WardStaff, "measurements.m1.weight_kg"));
        assert!(!may_change(Role::Collector, "review.status"));
        assert!(may_change(Role::WardStaff, "review.status"));
        let paths = vec!["latrine".to_owned(), "measurements.m.oedema".to_owned()];
        assert_eq!(forbidden_paths(Role::Collector, &paths), vec!["measurements.m.oedema"]);
    }

    #[test]
    fn role_codes_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::from_code(r.as_code()), Some(r));
        }
        assert_eq!(Role::from_code("boss"), None);
    }
}
