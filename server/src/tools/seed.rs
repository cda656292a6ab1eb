//! `rasoat serve --demo`: a demo ward — residential groups, users, about 500 realistic
//! households stored as Automerge documents through the same path as a device's sync — and
//! the credentials a newcomer needs to try it.

use automerge::ActorId;
use shared::access::Role;

use crate::service::auth::Principal;
use crate::service::db::Db;
use crate::service::store::StoreError;
use crate::service::store::users::{NewUser, create_user, issue_enrolment_code};
use crate::service::sync::{SyncError, store_changes};
use crate::tools::demo::{WardSpec, generate_ward};

/// The demo ward: Phước Tân (province 56, commune 22366), eight residential groups.
pub const DEMO_PROVINCE: &str = "56";
/// See [`DEMO_PROVINCE`].
pub const DEMO_COMMUNE: &str = "22366";

/// What a newcomer is told after seeding.
pub struct DemoCredentials {
    /// Ward-staff user name.
    pub ward_staff: String,
    /// Ward staff's web password (fresh on every run; only its Argon2 hash is stored).
    pub ward_staff_password: String,
    /// Administrator's web password (fresh on every run).
    pub admin_password: String,
    /// A one-time code to enrol a collector's phone (TDP-01).
    pub collector_code: String,
    /// A one-time code to enrol a health worker's phone (all groups).
    pub health_code: String,
    /// Households stored by this run (0 when the demo was already there).
    pub households_seeded: usize,
}

/// Seeding failures.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Storing the documents failed.
    #[error(transparent)]
    Sync(#[from] SyncError),
    /// A generated household could not be made a document.
    #[error("demo document: {0}")]
    Doc(String),
}

fn groups(n: usize) -> Vec<String> {
    (1..=n).map(|g| format!("TDP-{g:02}")).collect()
}

/// Seeds the demo ward once (idempotent: users and households are kept when present) and
/// issues fresh enrolment codes.
pub async fn seed_demo(db: &Db, households: usize) -> Result<DemoCredentials, SeedError> {
    let spec = WardSpec { households, ..WardSpec::default() };
    let existing: i64 =
        sqlx::query_scalar("select count(*) from app_user").fetch_one(&db.pool).await.map_err(StoreError::from)?;
    let mut seeded = 0;
    if existing == 0 {
        let user = |username: &str, name: &str, role, groups: Vec<String>| NewUser {
            username: username.into(),
            display_name: name.into(),
            role,
            province: DEMO_PROVINCE.into(),
            commune: DEMO_COMMUNE.into(),
            groups,
        };
        create_user(db, &user("canbo", "Nguyễn Thị Thu (cán bộ LĐTBXH)", Role::WardStaff, vec![])).await?;
        create_user(db, &user("admin", "Quản trị hệ thống", Role::Admin, vec![])).await?;
        create_user(db, &user("yte01", "Lê Thị Hạnh (Trạm Y tế)", Role::Health, groups(spec.groups))).await?;
        for (i, g) in groups(spec.groups).into_iter().enumerate() {
            create_user(
                db,
                &user(&format!("ctv{:02}", i + 1), &format!("Rà soát viên tổ {}", i + 1), Role::Collector, vec![g]),
            )
            .await?;
        }
        seeded = store_demo_households(db, &spec).await?;
    }
    let ward_staff_password = crate::service::store::sessions::new_password();
    let admin_password = crate::service::store::sessions::new_password();
    crate::service::store::sessions::set_password(db, "canbo", &ward_staff_password).await?;
    crate::service::store::sessions::set_password(db, "admin", &admin_password).await?;
    Ok(DemoCredentials {
        ward_staff: "canbo".into(),
        ward_staff_password,
        admin_password,
        collector_code: issue_enrolment_code(db, "ctv01", "demo").await?,
        health_code: issue_enrolment_code(db, "yte01", "demo").await?,
        households_seeded: seeded,
    })
}

async fn store_demo_households(db: &Db, spec: &WardSpec) -> Result<usize, SeedError> {
    let system = Principal {
        user_id: "seed".into(),
        device_id: None,
        actor_id: None,
        role: Role::Admin,
        province: DEMO_PROVINCE.into(),
        commune: DEMO_COMMUNE.into(),
        groups: vec![],
    };
    let today = crate::service::clock::today_in_vietnam();
    let ward = generate_ward(spec);
    let mut batch = Vec::new();
    for (i, value) in ward.iter().enumerate() {
        let (Some(h), _) = shared::validate::check_json(value, today) else {
            return Err(SeedError::Doc(format!("demo household {i} is invalid")));
        };
        let mut doc = shared::doc::new_document(&h, ActorId::random()).map_err(|e| SeedError::Doc(e.to_string()))?;
        let changes = doc.get_changes(&[]).into_iter().map(|c| c.raw_bytes().to_vec()).collect();
        let id = h.household_id.0;
        batch.push(shared::sync_wire::DocumentChanges { household_id: id, changes });
        if batch.len() == 100 || i + 1 == ward.len() {
            let parsed = std::mem::take(&mut batch)
                .into_iter()
                .map(|d| {
                    (
                        d.household_id,
                        d.changes.into_iter().filter_map(|b| automerge::Change::from_bytes(b).ok()).collect(),
                    )
                })
                .collect();
            store_changes(db, &system, parsed).await?;
        }
    }
    Ok(ward.len())
}
