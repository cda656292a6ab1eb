//! `rasoat users …`, `rasoat devices …` and `rasoat registry …`: administration from the
//! command line.

use std::io::Write;

use crate::service::db::Db;
use crate::service::store::users::{
    NewUser, create_user, issue_enrolment_code, list_devices, list_users, revoke_device,
};
use crate::tools::cli::{DevicesCommand, Exit, UsersCommand};

/// Runs a `users` subcommand.
pub async fn users(database_url: &str, command: UsersCommand, out: &mut dyn Write) -> Result<Exit, String> {
    let db = Db::connect(database_url).await.map_err(|e| e.to_string())?;
    let text = match command {
        UsersCommand::Add { username, name, role, province, commune, groups } => {
            let id = create_user(&db, &NewUser { username, display_name: name, role, province, commune, groups })
                .await
                .map_err(|e| e.to_string())?;
            format!("created user {id}\n")
        }
        UsersCommand::List => list_users(&db)
            .await
            .map_err(|e| e.to_string())?
            .into_iter()
            .map(|u| format!("{}\t{}\t{}\t{}\t{}\n", u.username, u.role, u.commune, u.groups, u.display_name))
            .collect(),
        UsersCommand::Password { username } => {
            let password = crate::service::store::sessions::new_password();
            crate::service::store::sessions::set_password(&db, &username, &password)
                .await
                .map_err(|e| e.to_string())?;
            format!("{password}\n")
        }
        UsersCommand::Code { username, server } => {
            let code = issue_enrolment_code(&db, &username, "cli").await.map_err(|e| e.to_string())?;
            match server {
                Some(url) => {
                    let link = crate::tools::enrol_qr::enrolment_link(&url, &code);
                    format!("{code}\n{}\n{link}\n", crate::tools::enrol_qr::terminal_qr(&link))
                }
                None => format!("{code}\n"),
            }
        }
    };
    out.write_all(text.as_bytes()).map_err(|e| e.to_string())?;
    Ok(Exit::Ok)
}

/// Runs a `devices` subcommand.
pub async fn devices(database_url: &str, command: DevicesCommand, out: &mut dyn Write) -> Result<Exit, String> {
    let db = Db::connect(database_url).await.map_err(|e| e.to_string())?;
    let text = match command {
        DevicesCommand::List => list_devices(&db)
            .await
            .map_err(|e| e.to_string())?
            .into_iter()
            .map(|d| {
                format!(
                    "{}\t{}\t{}\tenrolled {}\t{}\tlast sync {}\n",
                    d.id,
                    d.username,
                    d.label,
                    d.enrolled_at,
                    d.revoked_at.map_or("active".to_owned(), |r| format!("revoked {r}")),
                    d.last_sync_at.unwrap_or_else(|| "never".into())
                )
            })
            .collect(),
        DevicesCommand::Revoke { device_id } => {
            if revoke_device(&db, &device_id).await.map_err(|e| e.to_string())? {
                format!("revoked {device_id}\n")
            } else {
                return Err(format!("no active device {device_id}"));
            }
        }
    };
    out.write_all(text.as_bytes()).map_err(|e| e.to_string())?;
    Ok(Exit::Ok)
}

/// `rasoat registry rebuild`: recomputes every household's registry rows, a page at a time,
/// printing progress.
pub async fn rebuild_registry(database_url: &str, out: &mut dyn Write) -> Result<Exit, String> {
    let db = Db::connect(database_url).await.map_err(|e| e.to_string())?;
    let started = std::time::Instant::now();
    let (mut after, mut total) = (String::new(), 0usize);
    loop {
        let (done, last) =
            crate::service::store::registry::rebuild_page(&db, &after, 200).await.map_err(|e| e.to_string())?;
        let Some(last) = last else { break };
        total += done;
        after = last;
        writeln!(out, "{total} households recomputed").map_err(|e| e.to_string())?;
    }
    writeln!(out, "done: {total} households in {:.1} s", started.elapsed().as_secs_f64()).map_err(|e| e.to_string())?;
    Ok(Exit::Ok)
}
