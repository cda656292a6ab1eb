//! Secrets and who is asking.
//!
//! Device tokens and enrolment codes are random and long, so a fast hash (SHA-256) is the right
//! store: the database holds only hashes, a stolen backup reveals no usable token, and lookup is
//! one indexed equality. A [`Principal`] is what every request is authorised against: the user,
//! the device, the role and the area.

use sha2::{Digest, Sha256};
use shared::access::Role;

/// Who is making a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// The user.
    pub user_id: String,
    /// The enrolled device (`None` for a web session, later).
    pub device_id: Option<String>,
    /// The device's Automerge actor id (hex): changes it uploads must carry it.
    pub actor_id: Option<String>,
    /// The user's role.
    pub role: Role,
    /// Province code.
    pub province: String,
    /// Commune code.
    pub commune: String,
    /// Residential groups (collectors and health staff); empty for ward staff and admins.
    pub groups: Vec<String>,
}

impl Principal {
    /// Whether a household in `commune` / `group` is in this principal's scope.
    pub fn can_see(&self, commune: &str, group: &str) -> bool {
        match self.role {
            Role::Admin => true,
            Role::WardStaff => self.commune == commune,
            Role::Collector | Role::Health => self.commune == commune && self.groups.iter().any(|g| g == group),
        }
    }

    /// The area keys whose change feeds this principal reads, `None` meaning the whole
    /// commune (ward staff) — see [`area_key`].
    pub fn area_keys(&self) -> Option<Vec<String>> {
        match self.role {
            Role::Collector | Role::Health => Some(self.groups.iter().map(|g| area_key(&self.commune, g)).collect()),
            Role::WardStaff | Role::Admin => None,
        }
    }
}

/// The key a household's changes are filed under in the feed: commune and residential group.
pub fn area_key(commune: &str, group: &str) -> String {
    format!("{commune}/{group}")
}

/// A new random secret: 32 bytes as 64 hex characters (device tokens).
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("invariant: the OS random source is available");
    hex::encode(bytes)
}

/// A new one-time enrolment code a person can type: 12 characters from an alphabet without
/// look-alikes (no 0/O, 1/I/L), grouped `XXXX-XXXX-XXXX`; ≈ 60 bits.
pub fn new_enrolment_code() -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    let mut bytes = [0u8; 12];
    getrandom::fill(&mut bytes).expect("invariant: the OS random source is available");
    let chars: Vec<char> = bytes.iter().map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char).collect();
    chars.chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("-")
}

/// Normalises a typed enrolment code: upper case, no spaces or dashes.
pub fn normalise_code(code: &str) -> String {
    code.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect()
}

/// The stored form of a secret.
pub fn hash_secret(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_typable_and_normalise() {
        let code = new_enrolment_code();
        assert_eq!(code.len(), 14);
        assert_eq!(normalise_code(&code.to_lowercase().replace('-', " ")), code.replace('-', ""));
        assert_ne!(new_token(), new_token());
        assert_eq!(hash_secret("a").len(), 64);
    }

    #[test]
    fn scope_follows_role_and_area() {
        let p = |role, groups: &[&str]| Principal {
            user_id: "u".into(),
            device_id: None,
            actor_id: None,
            role,
            province: "56".into(),
            commune: "22366".into(),
            groups: groups.iter().map(|g| g.to_string()).collect(),
        };
        assert!(p(Role::Collector, &["TDP-01"]).can_see("22366", "TDP-01"));
        assert!(!p(Role::Collector, &["TDP-01"]).can_see("22366", "TDP-02"));
        assert!(!p(Role::Health, &["TDP-01"]).can_see("22367", "TDP-01"));
        assert!(p(Role::WardStaff, &[]).can_see("22366", "TDP-09"));
        assert!(!p(Role::WardStaff, &[]).can_see("22367", "TDP-09"));
        assert!(p(Role::Admin, &[]).can_see("99999", "X"));
    }
}
