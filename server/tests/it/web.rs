//! The registry's web interface over HTTP, on SQLite and PostgreSQL: who may log in, what each
//! commune sees, CSRF, settling a conflict that then reaches a phone, review steps that reach
//! the phone, XLSX exports whose cells match the registry, and the §8 report's tables 8–11 and
//! 14–15 read back against households crafted to land in known rows.

use std::io::Cursor;
use std::net::SocketAddr;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use serde_json::json;
use server::service::store::sessions::set_password;
use server::service::store::users::{NewUser, create_user};
use shared::access::Role;
use shared::model::{Category, FloorAreaM2, Household};
use shared::review::ReviewStatus;

use crate::both_backends;
use crate::support::*;

/// A browser without JavaScript: keeps the session cookie, does not follow redirects.
struct Browser {
    addr: SocketAddr,
    client: reqwest::Client,
    cookie: Option<String>,
}

/// Status, `Location`, body.
type Answer = (u16, String, String);

impl Browser {
    fn new(addr: SocketAddr) -> Browser {
        let client = crate::support::http_client().redirect(reqwest::redirect::Policy::none()).build().expect("client");
        Browser { addr, client, cookie: None }
    }

    async fn answer(&mut self, res: reqwest::Response) -> Answer {
        let status = res.status().as_u16();
        let header = |name: &str| res.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        let location = header("location");
        let set_cookie = header("set-cookie");
        if let Some(value) = set_cookie.strip_prefix("rasoat_session=") {
            let value = value.split(';').next().unwrap_or_default();
            self.cookie = (!value.is_empty()).then(|| format!("rasoat_session={value}"));
        }
        (status, location, res.text().await.unwrap_or_default())
    }

    async fn get(&mut self, path: &str) -> Answer {
        let mut req = self.client.get(format!("http://{}{path}", self.addr));
        if let Some(c) = &self.cookie {
            req = req.header("cookie", c);
        }
        let res = req.send().await.expect("request");
        self.answer(res).await
    }

    async fn get_bytes(&mut self, path: &str) -> (u16, Vec<u8>) {
        let mut req = self.client.get(format!("http://{}{path}", self.addr));
        if let Some(c) = &self.cookie {
            req = req.header("cookie", c);
        }
        let res = req.send().await.expect("request");
        (res.status().as_u16(), res.bytes().await.expect("body").to_vec())
    }

    async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Answer {
        let body: String = form
            .iter()
            .map(|(k, v)| format!("{k}={}", server::service::web::session::urlencode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let mut req = self
            .client
            .post(format!("http://{}{path}", self.addr))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body);
        if let Some(c) = &self.cookie {
            req = req.header("cookie", c);
        }
        let res = req.send().await.expect("request");
        self.answer(res).await
    }

    async fn login(&mut self, user: &str, password: &str) -> Answer {
        self.post("/login", &[("username", user), ("password", password), ("next", "/households")]).await
    }

    /// The CSRF token of the forms on `path`.
    async fn csrf(&mut self, path: &str) -> String {
        let (status, _, body) = self.get(path).await;
        assert_eq!(status, 200, "{path}");
        body.split("name=\"csrf\" value=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .expect("a form with a csrf token")
            .to_owned()
    }
}

/// A web user with `role` in `commune` and a password.
async fn web_user(app: &TestApp, username: &str, role: Role, commune: &str) -> String {
    let user = NewUser {
        username: username.into(),
        display_name: format!("Cán bộ {username}"),
        role,
        province: "56".into(),
        commune: commune.into(),
        groups: vec![],
    };
    create_user(&app.db, &user).await.expect("user");
    let password = format!("pw-{username}-Đ1");
    set_password(&app.db, username, &password).await.expect("password");
    password
}

/// Households of TDP-01 in `commune`, stored through a collector's phone.
async fn households_in(app: &TestApp, collector: &str, commune: &str, n: usize) -> (Device, Vec<Household>) {
    let mut device = app.device_in(collector, Role::Collector, commune, &["TDP-01"]).await;
    let households: Vec<Household> = collector_households(commune.parse().expect("numeric commune"), n)
        .into_iter()
        .map(|h| {
            let mut v = h.to_json();
            v["area"]["commune"] = json!(commune);
            shared::model::read_household(&v).0.expect("readable")
        })
        .collect();
    for h in &households {
        device.replica.save(h, 1_790_000_000).expect("saved");
    }
    device.sync().await.expect("stored");
    (device, households)
}

async fn only_ward_staff_and_admins_log_in_and_a_device_token_opens_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (device, _) = households_in(&app, "ctv01", "22366", 1).await;
    let mut b = Browser::new(app.addr);
    // A device's bearer token is not a web session.
    let res =
        b.client.get(format!("http://{}/households", app.addr)).bearer_auth(&device.token).send().await.expect("sent");
    assert_eq!(res.status().as_u16(), 303);
    assert!(res.headers()["location"].to_str().expect("location").starts_with("/login"));
    // A collector with a password is still refused.
    set_password(&app.db, "ctv01", "collector-pw").await.expect("password");
    let (status, _, body) = b.login("ctv01", "collector-pw").await;
    assert_eq!(status, 401);
    assert!(body.contains("chỉ cán bộ phường"), "the page says why");
    let (status, _, _) = b.login("nobody", "x").await;
    assert_eq!(status, 401);
    let pw = web_user(&app, "canbo", Role::WardStaff, "22366").await;
    let (status, _, _) = b.login("canbo", "wrong").await;
    assert_eq!(status, 401);
    let (status, location, _) = b.login("canbo", &pw).await;
    assert_eq!((status, location.as_str()), (303, "/households"));
    let (status, _, body) = b.get("/households").await;
    assert_eq!(status, 200);
    assert!(body.contains("Hiển thị 1–1 trên 1"), "one household listed");
    // Logout ends the session on the server: the old cookie no longer works.
    let csrf = b.csrf("/households").await;
    let old = b.cookie.clone();
    let (status, _, _) = b.post("/logout", &[("csrf", &csrf)]).await;
    assert_eq!(status, 303);
    b.cookie = old;
    let (status, location, _) = b.get("/households").await;
    assert_eq!(status, 303);
    assert!(location.starts_with("/login"));
    let failed: i64 = sqlx::query_scalar("select count(*) from web_audit where action = 'login_failed'")
        .fetch_one(&app.db.pool)
        .await
        .expect("count");
    assert_eq!(failed, 3, "every refused login is audited");
}
both_backends!(only_ward_staff_and_admins_log_in_and_a_device_token_opens_nothing);

async fn repeated_failed_logins_lock_the_user_name_for_a_while(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let pw = web_user(&app, "canbo", Role::WardStaff, "22366").await;
    let other_pw = web_user(&app, "canbo2", Role::WardStaff, "22366").await;
    let mut b = Browser::new(app.addr);
    // A success clears the count: four failures, a login, then five more are needed.
    for _ in 0..4 {
        assert_eq!(b.login("canbo", "guess").await.0, 401);
    }
    assert_eq!(b.login("canbo", &pw).await.0, 303);
    b.cookie = None;
    for _ in 0..5 {
        assert_eq!(b.login("CanBo", "guess").await.0, 401, "case variants count for the same name");
    }
    // Locked: even the right password is refused, says why, and sets no cookie.
    let res = b
        .client
        .post(format!("http://{}/login", app.addr))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("username=canbo&password={}", server::service::web::session::urlencode(&pw)))
        .send()
        .await
        .expect("sent");
    assert_eq!(res.status().as_u16(), 429);
    let retry: i64 = res.headers()["retry-after"].to_str().expect("header").parse().expect("seconds");
    assert!((1..=15 * 60).contains(&retry), "{retry}");
    assert!(res.headers().get("set-cookie").is_none());
    assert!(res.text().await.expect("body").contains("Đăng nhập sai quá nhiều lần"));
    // Another user is not affected.
    assert_eq!(b.login("canbo2", &other_pw).await.0, 303);
    // Once the failures are older than the window, the user may log in again.
    sqlx::query("update login_failure set at = '2020-01-01T00:00:00.000Z'").execute(&app.db.pool).await.expect("aged");
    b.cookie = None;
    assert_eq!(b.login("canbo", &pw).await.0, 303);
    let locked: i64 = sqlx::query_scalar("select count(*) from web_audit where action = 'login_locked'")
        .fetch_one(&app.db.pool)
        .await
        .expect("count");
    assert_eq!(locked, 1, "the refusal is audited");
}
both_backends!(repeated_failed_logins_lock_the_user_name_for_a_while);

async fn staff_of_one_commune_cannot_see_another_communes_households(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, ours) = households_in(&app, "ctv01", "22366", 2).await;
    let (_, theirs) = households_in(&app, "ctv99", "22999", 2).await;
    let pw = web_user(&app, "canbo", Role::WardStaff, "22366").await;
    let mut b = Browser::new(app.addr);
    b.login("canbo", &pw).await;
    let (_, _, list) = b.get("/households").await;
    assert!(list.contains(&ours[0].household_id.0.to_string()));
    assert!(!list.contains(&theirs[0].household_id.0.to_string()));
    let (status, _, body) = b.get(&format!("/households/{}", theirs[0].household_id.0)).await;
    assert_eq!(status, 404);
    assert!(!body.contains(theirs[0].address.as_str()));
    let (status, _, _) = b.get(&format!("/households/{}", ours[0].household_id.0)).await;
    assert_eq!(status, 200);
    let (_, bytes) = b.get_bytes("/exports/registry.jsonl").await;
    let text = String::from_utf8(bytes).expect("utf-8");
    assert_eq!(text.lines().count(), 2, "the export holds this commune's households only");
    // A form posted to another commune's household changes nothing.
    let csrf = b.csrf("/households").await;
    let (status, _, _) = b
        .post(&format!("/households/{}/review", theirs[0].household_id.0), &[("csrf", &csrf), ("action", "post")])
        .await;
    assert_eq!(status, 404);
}
both_backends!(staff_of_one_commune_cannot_see_another_communes_households);

/// The household ids a list page links to, in order.
fn listed_ids(body: &str) -> Vec<String> {
    body.split("href=\"/households/").skip(1).filter_map(|s| s.get(..36)).map(str::to_owned).collect()
}

async fn every_household_is_on_exactly_one_page_in_each_sort_order(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, households) = households_in(&app, "ctv01", "22366", 120).await;
    let pw = web_user(&app, "canbo", Role::WardStaff, "22366").await;
    let mut b = Browser::new(app.addr);
    b.login("canbo", &pw).await;
    for sort in ["group", "name", "deprived", "recent"] {
        let mut seen = Vec::new();
        for page in 1..=3 {
            let (status, _, body) = b.get(&format!("/households?sort={sort}&page={page}")).await;
            assert_eq!(status, 200);
            let ids = listed_ids(&body);
            assert_eq!(ids.len(), if page < 3 { 50 } else { 20 }, "{sort} page {page}");
            seen.extend(ids);
        }
        // The pages are consecutive slices of the registry in the sort's order.
        let order = match sort {
            "group" => "group_code, code, id",
            "name" => "search_text, id",
            "deprived" => "deprived_count desc, id",
            _ => "last_feed_seq desc, id",
        };
        let expected: Vec<String> =
            sqlx::query_scalar(sqlx::AssertSqlSafe(format!("select id from household order by {order}")))
                .fetch_all(&app.db.pool)
                .await
                .expect("ids");
        assert_eq!(seen, expected, "sort {sort}");
        assert_eq!(seen.len(), households.len());
    }
    // The JSON Lines export streams the same registry in pages: every record once, in id order.
    let (status, bytes) = b.get_bytes("/exports/registry.jsonl").await;
    assert_eq!(status, 200);
    let lines: Vec<serde_json::Value> = String::from_utf8(bytes)
        .expect("utf-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    let records: Vec<String> = sqlx::query_scalar("select record_json from household order by id")
        .fetch_all(&app.db.pool)
        .await
        .expect("rows");
    let records: Vec<serde_json::Value> = records.iter().map(|r| serde_json::from_str(r).expect("json")).collect();
    assert_eq!(lines, records);
}
both_backends!(every_household_is_on_exactly_one_page_in_each_sort_order);

async fn a_form_without_the_session_csrf_token_is_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, hs) = households_in(&app, "ctv01", "22366", 1).await;
    let pw = web_user(&app, "canbo", Role::WardStaff, "22366").await;
    let mut b = Browser::new(app.addr);
    b.login("canbo", &pw).await;
    let path = format!("/households/{}/review", hs[0].household_id.0);
    let (status, _, _) = b.post(&path, &[("csrf", "forged"), ("action", "return"), ("comment", "x")]).await;
    assert_eq!(status, 403);
    let status: String = sqlx::query_scalar("select review_status from household where id = $1")
        .bind(hs[0].household_id.0.to_string())
        .fetch_one(&app.db.pool)
        .await
        .expect("row");
    assert_eq!(status, "visited", "nothing changed");
}
both_backends!(a_form_without_the_session_csrf_token_is_refused);

async fn a_conflict_settled_on_the_web_reaches_the_phones(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (mut a, hs) = households_in(&app, "ctv01", "22366", 1).await;
    let mut other = app.device("ctv01b", Role::Collector, &["TDP-01"]).await;
    other.sync().await.expect("synced");
    let h = &hs[0];
    let id = h.household_id.0;
    let (mut ha, mut hb) = (h.clone(), h.clone());
    ha.dwelling.floor_area_m2 = Some(FloorAreaM2::new(31.5).expect("area"));
    hb.dwelling.floor_area_m2 = Some(FloorAreaM2::new(42.0).expect("area"));
    a.replica.save(&ha, 1_790_000_100).expect("saved");
    other.replica.save(&hb, 1_790_000_200).expect("saved");
    a.sync().await.expect("ok");
    other.sync().await.expect("ok");
    let pw = web_user(&app, "canbo", Role::WardStaff, "22366").await;
    let mut b = Browser::new(app.addr);
    b.login("canbo", &pw).await;
    let (_, _, list) = b.get("/households?conflicts=1").await;
    assert!(list.contains(&id.to_string()), "the conflict filter lists it");
    let page = format!("/households/{id}");
    let (_, _, body) = b.get(&page).await;
    assert!(body.contains("dwelling.floor_area_m2") && body.contains("31.5") && body.contains("42.0"));
    assert!(body.contains("ctv01b"), "each value says who wrote it");
    let csrf = b.csrf(&page).await;
    let (status, location, _) = b
        .post(
            &format!("{page}/resolve"),
            &[("csrf", &csrf), ("path", "dwelling.floor_area_m2"), ("choice", "typed"), ("typed", "36.5")],
        )
        .await;
    assert_eq!(status, 303, "{location}");
    let conflicts: i64 = sqlx::query_scalar("select conflict_count from household where id = $1")
        .bind(id.to_string())
        .fetch_one(&app.db.pool)
        .await
        .expect("row");
    assert_eq!(conflicts, 0);
    for phone in [&mut a, &mut other] {
        phone.sync().await.expect("synced");
        let (got, _) = phone.replica.household(id).expect("readable").expect("present");
        let got = got.expect("valid");
        assert_eq!(got.dwelling.floor_area_m2.map(|a| a.get()), Some(36.5), "the settled value reached the phone");
        let doc = phone.replica.document(id).expect("doc");
        assert!(shared::doc::conflicts(doc).is_empty(), "and the phone has no conflict left");
    }
    let audited: i64 =
        sqlx::query_scalar("select count(*) from web_audit where action = 'resolve_conflict' and household_id = $1")
            .bind(id.to_string())
            .fetch_one(&app.db.pool)
            .await
            .expect("count");
    assert_eq!(audited, 1);
    // The history is the document's change log: newest first, the web user's settlement, then
    // the two phones' concurrent edits, each naming its writer, device and field.
    let (_, _, body) = b.get(&page).await;
    let history = body.split("id=\"history\"").nth(1).expect("a history section");
    let rows: Vec<&str> = history.split("<tr data-hash=").skip(1).collect();
    let doc = a.replica.document(id).expect("doc");
    assert_eq!(rows.len(), doc.get_changes(&[]).len(), "one row per change of the document");
    assert!(rows[0].contains("Cán bộ canbo") && rows[0].contains("Trang quản lý (web)"), "{}", rows[0]);
    assert!(rows[0].contains("dwelling.floor_area_m2"));
    for phone in ["ctv01", "ctv01b"] {
        let own = format!("<td>{phone}</td><td>{phone}</td>");
        assert!(
            rows[1..3].iter().any(|r| r.contains(&own) && r.contains("dwelling.floor_area_m2")),
            "{phone}'s edit is in the history"
        );
    }
    assert!(rows.last().expect("first change").contains("address"), "the first change created the answers");
}
both_backends!(a_conflict_settled_on_the_web_reaches_the_phones);

async fn review_steps_follow_article_7_and_the_return_comment_reaches_the_phone(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (mut phone, hs) = households_in(&app, "ctv01", "22366", 1).await;
    let id = hs[0].household_id.0;
    let pw = web_user(&app, "canbo", Role::WardStaff, "22366").await;
    let mut b = Browser::new(app.addr);
    b.login("canbo", &pw).await;
    let page = format!("/households/{id}");
    let step = |form: Vec<(&'static str, &'static str)>| form;
    let steps = [
        (step(vec![("action", "record_meeting"), ("agreeing", "4"), ("attending", "10")]), ReviewStatus::Returned),
        (step(vec![("action", "mark_visited")]), ReviewStatus::Visited),
        (step(vec![("action", "record_meeting"), ("agreeing", "6"), ("attending", "10")]), ReviewStatus::Agreed),
        (step(vec![("action", "recognise")]), ReviewStatus::Agreed), // out of order: refused
        (step(vec![("action", "post")]), ReviewStatus::Posted),
        (step(vec![("action", "return"), ("comment", "Kiểm tra lại diện tích nhà")]), ReviewStatus::Returned),
    ];
    for (form, expected) in steps {
        let csrf = b.csrf(&page).await;
        let mut fields = vec![("csrf", csrf.as_str())];
        fields.extend(form.iter().copied());
        let (status, _, _) = b.post(&format!("{page}/review"), &fields).await;
        assert_eq!(status, 303);
        let got: String = sqlx::query_scalar("select review_status from household where id = $1")
            .bind(id.to_string())
            .fetch_one(&app.db.pool)
            .await
            .expect("row");
        assert_eq!(got, expected.as_code(), "after {form:?}");
    }
    phone.sync().await.expect("synced");
    let doc = phone.replica.document(id).expect("doc");
    let review = shared::doc::review_of(doc).expect("the review record reached the phone");
    assert_eq!(review.status, ReviewStatus::Returned);
    assert_eq!(review.comment.as_deref(), Some("Kiểm tra lại diện tích nhà"));
    // The phone may not write the review record itself.
    phone.replica.edit(id, |doc| {
        let r = shared::doc::DocReview {
            status: ReviewStatus::Recognised,
            comment: None,
            agreement_percent: None,
            by: None,
            at: None,
        };
        shared::doc::set_review(doc, &r).expect("set");
        doc.commit();
    });
    let refused = phone.sync().await.expect_err("refused");
    assert_eq!(refused.status, 403);
    let steps: i64 =
        sqlx::query_scalar("select count(*) from web_audit where action = 'review_step' and household_id = $1")
            .bind(id.to_string())
            .fetch_one(&app.db.pool)
            .await
            .expect("count");
    assert_eq!(steps, 5, "every step taken is audited");
}
both_backends!(review_steps_follow_article_7_and_the_return_comment_reaches_the_phone);

fn cell(range: &calamine::Range<Data>, row: usize, col: usize) -> String {
    match range.get((row, col)) {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Float(f)) => format!("{f}"),
        Some(Data::Int(i)) => format!("{i}"),
        Some(Data::Empty) | None => String::new(),
        other => format!("{other:?}"),
    }
}

async fn the_xlsx_exports_have_vietnamese_headings_and_the_registrys_numbers(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    households_in(&app, "ctv01", "22366", 6).await;
    let pw = web_user(&app, "canbo", Role::WardStaff, "22366").await;
    let mut b = Browser::new(app.addr);
    b.login("canbo", &pw).await;
    for page in ["/", "/departments?indicator=4", "/households?indicator=4&sort=deprived", "/exports"] {
        let (status, _, body) = b.get(page).await;
        assert_eq!(status, 200, "{page}");
        assert!(body.contains("Rà soát hộ nghèo"), "{page}");
    }
    let (status, bytes) = b.get_bytes("/exports/report.xlsx").await;
    assert_eq!(status, 200);
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).expect("a real workbook");
    let table1 = wb.worksheet_range("Biểu 1 - Kết quả").expect("table 1");
    assert_eq!(cell(&table1, 2, 0), "Tổ dân phố");
    assert_eq!(cell(&table1, 2, 2), "Hộ nghèo");
    let poor: i64 = sqlx::query_scalar("select count(*) from household where category = 'poor'")
        .fetch_one(&app.db.pool)
        .await
        .expect("count");
    assert_eq!(cell(&table1, 2, 8), "Khu vực");
    assert_eq!(cell(&table1, 3, 8), "Thành thị", "the commune's area type (urban: true)");
    assert!(cell(&table1, 0, 0).ends_with("khu vực thành thị"));
    assert_eq!(cell(&table1, 3, 0), "TDP-01");
    assert_eq!(cell(&table1, 3, 1), "6");
    assert_eq!(cell(&table1, 3, 2), poor.to_string());
    let changes = wb.worksheet_range("Biểu 2-3 - Biến động").expect("tables 2-3");
    assert_eq!(cell(&changes, 2, 1), "Đầu năm (hộ)");
    assert_eq!(cell(&changes, 2, 14), "Cuối năm (hộ)");
    assert_eq!(cell(&changes, 3, 0), "Hộ nghèo");
    let poor_last_year: i64 = sqlx::query_scalar("select count(*) from household where previous_category = 'poor'")
        .fetch_one(&app.db.pool)
        .await
        .expect("count");
    assert_eq!(cell(&changes, 3, 1), poor_last_year.to_string(), "start of year = last year's poor");
    assert_eq!(cell(&changes, 3, 14), poor.to_string(), "end of year = this year's poor");
    assert_eq!(cell(&changes, 4, 0), "Hộ cận nghèo");
    let list = wb.worksheet_range("Biểu 12 - DS hộ nghèo").expect("list of poor households");
    assert_eq!(cell(&list, 2, 2), "Họ tên chủ hộ");
    assert_eq!(list.height() as i64 - 3, poor, "one row per poor household");
    let detailed = wb.worksheet_range("Biểu 14 - Chi tiết hộ nghèo").expect("detailed list of poor households");
    let numbered = (3..detailed.height()).filter(|r| !cell(&detailed, *r, 0).is_empty()).count();
    assert_eq!(numbered as i64, poor, "each poor household numbered once, over its members");
    let members: i64 = sqlx::query_scalar(
        "select count(*) from household_member m join household h on h.id = m.household_id where h.category = 'poor'",
    )
    .fetch_one(&app.db.pool)
    .await
    .expect("count");
    assert_eq!(detailed.height().saturating_sub(3) as i64, members, "one line per member");
    let (status, bytes) = b.get_bytes("/exports/department.xlsx?indicator=4").await;
    assert_eq!(status, 200);
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).expect("a department workbook");
    let sheet = wb.worksheet_range("Chỉ số 4").expect("sheet");
    assert_eq!(cell(&sheet, 2, 6), "Lý do (thành viên thiếu hụt)");
    let deprived: i64 =
        sqlx::query_scalar("select count(*) from indicator_result where number = 4 and status = 'deprived'")
            .fetch_one(&app.db.pool)
            .await
            .expect("count");
    assert_eq!(sheet.height().saturating_sub(3) as i64, deprived, "one row per deprived household");
    let (status, bytes) = b.get_bytes("/exports/households.csv").await;
    assert_eq!(status, 200);
    let text = String::from_utf8(bytes).expect("utf-8");
    assert!(text.starts_with("\u{feff}STT,Mã hộ,Họ tên chủ hộ"));
    assert_eq!(text.lines().count(), 7);
    // Each report table also downloads as CSV, with the workbook sheet's headings and cells.
    let (_, bytes) = b.get_bytes("/exports/report.xlsx").await;
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).expect("a real workbook");
    let names = wb.sheet_names();
    assert_eq!(names.len(), server::service::web::report::REPORT_KEYS.len());
    let trimmed = |mut row: Vec<String>| {
        while row.last().is_some_and(String::is_empty) {
            row.pop();
        }
        row
    };
    for (key, name) in server::service::web::report::REPORT_KEYS.iter().zip(names) {
        let sheet = wb.worksheet_range(&name).expect("sheet");
        let expected: Vec<Vec<String>> =
            (2..sheet.height()).map(|r| trimmed((0..sheet.width()).map(|c| cell(&sheet, r, c)).collect())).collect();
        let (status, bytes) = b.get_bytes(&format!("/exports/report/{key}.csv")).await;
        assert_eq!(status, 200, "table {key}");
        let text = String::from_utf8(bytes).expect("utf-8");
        let text = text.strip_prefix('\u{feff}').expect("a byte-order mark");
        let got: Vec<Vec<String>> = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes())
            .records()
            .map(|r| trimmed(r.expect("a CSV record").iter().map(str::to_owned).collect()))
            .collect();
        assert_eq!(got, expected, "table {key} ({name})");
    }
    assert_eq!(b.get_bytes("/exports/report/99.csv").await.0, 404);
}
both_backends!(the_xlsx_exports_have_vietnamese_headings_and_the_registrys_numbers);

/// A member of a crafted household from `{"id", "name", "sex", "birth", "relation", answers…}`:
/// an insured adult in wage work with a contract unless the answers say otherwise.
fn person(m: serde_json::Value) -> serde_json::Value {
    let mut out = json!({"member_id": format!("0193a5a2-7c1e-7b7a-9a55-{:012}", m["id"].as_u64().expect("id")),
        "full_name": m["name"], "sex": m["sex"], "birth_date": m["birth"], "relation": m["relation"],
        "work": "wage_with_contract", "health_insurance": true, "education": "upper_secondary",
        "in_school": false, "school_level_ok": null});
    for (k, v) in m.as_object().expect("member object") {
        if !["id", "name", "sex", "birth", "relation"].contains(&k.as_str()) {
            out[k] = v.clone();
        }
    }
    out
}

/// A crafted household of TDP-01 in commune 22366, interviewed on 2025-10-06, deprived on nothing
/// but what `answers` changes; income per person `income` (the urban line is 2,000,000).
fn crafted(n: u32, income: i64, members: &[serde_json::Value], answers: serde_json::Value) -> Household {
    let mut v = json!({"household_id": format!("0193a5a2-7c1e-7b7a-9a55-{:012}", n * 100),
        "code": format!("T-0{n}"), "area": {"province": "56", "commune": "22366", "group": "TDP-01", "urban": true},
        "address": format!("{n} đường số 9, tổ 1"), "review_year": 2025, "interview_date": "2025-10-06",
        "members": members.iter().cloned().map(person).collect::<Vec<_>>(),
        "dwelling": {"walls": "durable", "columns": "durable", "roof": "durable", "floor_area_m2": 80.0},
        "water_source": "piped", "latrine": "septic", "internet_use": true,
        "info_devices": {"tv": true, "radio": false, "computer": false, "smartphone": true, "tablet": false,
                         "loudspeaker_reach": true},
        "income": {"monthly_per_capita_vnd": income, "source": "declared"}, "measurements": []});
    for (k, a) in answers.as_object().expect("answers object") {
        v[k] = a.clone();
    }
    let (h, issues) = shared::model::read_household(&v);
    h.unwrap_or_else(|| panic!("crafted household {n}: {issues:#?}"))
}

/// Two poor and two near-poor households (and one not poor) built to land in known rows of
/// tables 8–11 and 14–15.
fn report_households() -> Vec<Household> {
    // Poor: Raglai head with a severe disability and spouse both unable to work (no working
    // capacity), the spouse a person of merit; a girl of exactly 6 without a card; a boy of 3 the
    // health station measures stunted (in the test); two causes; a simple pit latrine.
    let one = [
        json!({"id": 101, "name": "Ka Văn A", "sex": "male", "birth": "1970-03-01", "relation": "head",
               "ethnicity": "Raglai", "work": "unable_to_work", "disability": "severe", "education": "primary"}),
        json!({"id": 102, "name": "Ka Thị B", "sex": "female", "birth": "1975-05-05", "relation": "spouse",
               "ethnicity": "Raglai", "work": "unable_to_work", "person_of_merit": true, "education": "none"}),
        json!({"id": 103, "name": "Ka Thị Sáu", "sex": "female", "birth": "2019-10-06", "relation": "child",
               "work": "child", "health_insurance": false, "education": "none", "in_school": true,
               "school_level_ok": true, "malnourished_reported": false}),
        json!({"id": 104, "name": "Ka Văn Ba", "sex": "male", "birth": "2022-09-01", "relation": "child",
               "work": "child", "education": "none", "in_school": true, "school_level_ok": true,
               "malnourished_reported": false}),
    ];
    // Poor: "kinh" head; a daughter of exactly 16 without a card (no longer a child); a boy of 10
    // out of school, reported malnourished; no_land cited twice; unsafe water and latrine, no
    // internet.
    let two = [
        json!({"id": 201, "name": "Trần Văn Bình", "sex": "male", "birth": "1980-02-02", "relation": "head",
               "ethnicity": "kinh"}),
        json!({"id": 202, "name": "Trần Thị Mười Sáu", "sex": "female", "birth": "2009-10-06", "relation": "child",
               "work": "student", "health_insurance": false, "education": "lower_secondary"}),
        json!({"id": 203, "name": "Trần Văn Mười", "sex": "male", "birth": "2015-05-05", "relation": "child",
               "work": "child", "education": "primary", "school_level_ok": false, "malnourished_reported": true}),
    ];
    // Near-poor: Kinh head; a boy one day short of 6 without a card (the card rule does not apply
    // yet), his nutrition unknown; no cause given.
    let three = [
        json!({"id": 301, "name": "Lê Thị Cúc", "sex": "female", "birth": "1985-06-06", "relation": "head",
               "ethnicity": "Kinh"}),
        json!({"id": 302, "name": "Lê Văn Năm", "sex": "male", "birth": "2019-10-07", "relation": "child",
               "work": "child", "health_insurance": false, "education": "none", "in_school": true,
               "school_level_ok": true}),
    ];
    // Near-poor: unemployed head, a person of merit, ethnicity not recorded.
    let four = [json!({"id": 401, "name": "Phạm Văn Dũng", "sex": "male", "birth": "1990-07-07", "relation": "head",
                       "work": "unemployed", "person_of_merit": true})];
    // Not poor: in no table.
    let five = [json!({"id": 501, "name": "Chế Văn Em", "sex": "male", "birth": "1985-08-08", "relation": "head",
                       "ethnicity": "Chăm", "person_of_merit": true})];
    vec![
        crafted(1, 1_000_000, &one, json!({"latrine": "simple_pit", "causes_of_poverty": ["no_land", "illness"]})),
        crafted(
            2,
            900_000,
            &two,
            json!({"water_source": "surface_water", "latrine": "hanging", "internet_use": false,
                   "causes_of_poverty": ["no_land", "no_capital", "no_land"]}),
        ),
        crafted(3, 1_500_000, &three, json!({})),
        crafted(4, 1_200_000, &four, json!({"causes_of_poverty": ["no_capital"]})),
        crafted(5, 5_000_000, &five, json!({"causes_of_poverty": ["disaster"]})),
    ]
}

/// The numbers of one row from column 1 on.
fn row_numbers(range: &calamine::Range<Data>, row: usize, cols: usize) -> Vec<String> {
    (1..=cols).map(|c| cell(range, row, c)).collect()
}

async fn the_report_counts_target_groups_ethnicity_causes_children_and_members(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let mut collector = app.device_in("ctv01", Role::Collector, "22366", &["TDP-01"]).await;
    for h in report_households() {
        collector.replica.save(&h, 1_790_000_000).expect("saved");
    }
    collector.sync().await.expect("stored");
    // The health station measures the boy of household 1: 84 cm at 3 years (stunted).
    let mut health = app.device_in("tram01", Role::Health, "22366", &["TDP-01"]).await;
    health.sync().await.expect("received");
    let id = report_households()[0].household_id.0;
    let mut v = health.replica.household(id).expect("readable").expect("present").0.expect("valid").to_json();
    v["measurements"] = json!([{"measurement_id": "0193a5a2-7c1e-7b7a-9a55-0000000001f1",
        "member_id": "0193a5a2-7c1e-7b7a-9a55-000000000104", "measured_on": "2025-09-20",
        "weight_kg": 12.0, "lenhei_cm": 84.0, "measure": "H", "oedema": false}]);
    let measured = shared::model::read_household(&v).0.expect("valid");
    health.replica.save(&measured, 1_790_000_100).expect("saved");
    health.sync().await.expect("the health station may add a measurement");
    let categories: Vec<(String, Option<String>)> = {
        use sqlx::Row;
        sqlx::query("select code, category from household order by code")
            .fetch_all(&app.db.pool)
            .await
            .expect("rows")
            .iter()
            .map(|r| (r.try_get("code").expect("code"), r.try_get("category").expect("category")))
            .collect()
    };
    let expected =
        [("T-01", "poor"), ("T-02", "poor"), ("T-03", "near_poor"), ("T-04", "near_poor"), ("T-05", "not_poor")];
    let expected: Vec<(String, Option<String>)> =
        expected.iter().map(|(c, k)| (c.to_string(), Some(k.to_string()))).collect();
    assert_eq!(categories, expected, "the crafted households are classified as intended");

    let pw = web_user(&app, "canbo", Role::WardStaff, "22366").await;
    let mut b = Browser::new(app.addr);
    b.login("canbo", &pw).await;
    let (status, bytes) = b.get_bytes("/exports/report.xlsx").await;
    assert_eq!(status, 200);
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).expect("a real workbook");
    let sheets = wb.sheet_names();
    let order = [
        "Biểu 1",
        "Biểu 2-3",
        "Biểu 4-7",
        "Biểu 8 ",
        "Biểu 9 ",
        "Biểu 10",
        "Biểu 11",
        "Biểu 12",
        "Biểu 13",
        "Biểu 14",
        "Biểu 15",
    ];
    assert_eq!(sheets.len(), order.len());
    for (name, prefix) in sheets.iter().zip(order) {
        assert!(name.starts_with(prefix), "{name} in the standard's order");
    }

    check_tables_8_to_10(&mut wb);
    check_table_11_and_the_detailed_lists(&mut wb);
}
both_backends!(the_report_counts_target_groups_ethnicity_causes_children_and_members);

/// Tables 8–10 of the crafted households: poor, % of poor, near-poor, % of near-poor, both.
fn check_tables_8_to_10(wb: &mut Xlsx<Cursor<Vec<u8>>>) {
    let t8 = wb.worksheet_range("Biểu 8 - Nhóm đối tượng").expect("table 8");
    assert_eq!(cell(&t8, 2, 0), "Nhóm đối tượng");
    assert_eq!(cell(&t8, 2, 1), "Hộ nghèo (hộ)");
    let rows8: Vec<(String, Vec<String>)> = (3..7).map(|r| (cell(&t8, r, 0), row_numbers(&t8, r, 5))).collect();
    let want = |label: &str, nums: [&str; 5]| (label.to_owned(), nums.map(str::to_owned).to_vec());
    assert_eq!(
        rows8,
        vec![
            want("Tổng số hộ", ["2", "100", "2", "100", "4"]),
            want("Hộ không có khả năng lao động", ["1", "50", "0", "0", "1"]),
            want("Hộ có người có công với cách mạng", ["1", "50", "1", "50", "2"]),
            want("Hộ dân tộc thiểu số", ["1", "50", "0", "0", "1"]),
        ]
    );
    // Table 9: "kinh" and "Kinh" are one group; the unrecorded head apart.
    let t9 = wb.worksheet_range("Biểu 9 - Dân tộc").expect("table 9");
    let rows9: Vec<(String, Vec<String>)> =
        (3..t9.height()).map(|r| (cell(&t9, r, 0), row_numbers(&t9, r, 5))).collect();
    assert_eq!(
        rows9,
        vec![
            want("Tổng số hộ", ["2", "100", "2", "100", "4"]),
            want("Kinh", ["1", "50", "1", "50", "2"]),
            want("Raglai", ["1", "50", "0", "0", "1"]),
            want("Chưa ghi", ["0", "0", "1", "50", "1"]),
        ]
    );
    // Table 10: every cause in the dictionary's order, a household under each cause it cites once.
    let t10 = wb.worksheet_range("Biểu 10 - Nguyên nhân nghèo").expect("table 10");
    assert_eq!(t10.height(), 3 + 1 + 9 + 1);
    let cause = |label: &str| {
        let r = (3..t10.height()).find(|r| cell(&t10, *r, 0) == label).unwrap_or_else(|| panic!("row {label}"));
        row_numbers(&t10, r, 5)
    };
    assert_eq!(cause("Không có đất sản xuất"), ["2", "100", "0", "0", "2"]);
    assert_eq!(cause("Không có vốn"), ["1", "50", "1", "50", "2"]);
    assert_eq!(cause("Ốm đau, bệnh nặng"), ["1", "50", "0", "0", "1"]);
    assert_eq!(cause("Thiên tai"), ["0", "0", "0", "0", "0"], "the not-poor household is not counted");
    assert_eq!(cause("Không ghi nguyên nhân"), ["0", "0", "1", "50", "1"]);
}

/// Table 11 and the detailed lists (14–15) of the crafted households.
fn check_table_11_and_the_detailed_lists(wb: &mut Xlsx<Cursor<Vec<u8>>>) {
    // Table 11: children, aged 6+, no card, %, unknown; malnourished, %, unknown; aged 3–15,
    // not in school, %, unknown.
    let t11 = wb.worksheet_range("Biểu 11 - Trẻ em").expect("table 11");
    assert_eq!(cell(&t11, 2, 1), "Số trẻ em dưới 16 tuổi");
    assert_eq!(cell(&t11, 2, 2), "Trẻ từ 6 tuổi");
    let rows11: Vec<(String, Vec<String>)> = (3..6).map(|r| (cell(&t11, r, 0), row_numbers(&t11, r, 12))).collect();
    let want = |label: &str, nums: [&str; 12]| (label.to_owned(), nums.map(str::to_owned).to_vec());
    assert_eq!(
        rows11,
        vec![
            want("Hộ nghèo", ["3", "2", "1", "50", "0", "2", "66.7", "0", "3", "1", "33.3", "0"]),
            want("Hộ cận nghèo", ["1", "0", "0", "0", "0", "0", "0", "1", "1", "0", "0", "0"]),
            want("Tổng cộng", ["4", "2", "1", "50", "0", "2", "50", "1", "4", "1", "25", "0"]),
        ]
    );
    // Tables 14–15: each household numbered over its members, head first.
    let t14 = wb.worksheet_range("Biểu 14 - Chi tiết hộ nghèo").expect("table 14");
    assert_eq!(cell(&t14, 2, 6), "Họ tên thành viên");
    assert_eq!(t14.height(), 3 + 4 + 3, "four and three members");
    let line = |range: &calamine::Range<Data>, r: usize, cols: &[usize]| {
        cols.iter().map(|c| cell(range, r, *c)).collect::<Vec<_>>()
    };
    assert_eq!(
        line(&t14, 3, &[0, 1, 2, 4, 5, 6, 7, 11, 14]),
        ["1", "T-01", "Ka Văn A", "TDP-01", "1", "Ka Văn A", "Chủ hộ", "Raglai", "Khuyết tật nặng"]
    );
    assert_eq!(line(&t14, 4, &[0, 1, 6, 15]), ["", "", "Ka Thị B", "Có"]);
    assert_eq!(line(&t14, 5, &[6, 9, 10, 16]), ["Ka Thị Sáu", "06/10/2019", "6", "Không"]);
    assert_eq!(line(&t14, 7, &[0, 1, 2, 6]), ["2", "T-02", "Trần Văn Bình", "Trần Văn Bình"]);
    let t15 = wb.worksheet_range("Biểu 15 - Chi tiết hộ cận nghèo").expect("table 15");
    assert_eq!(t15.height(), 3 + 2 + 1);
    assert_eq!(line(&t15, 5, &[0, 1, 6, 13, 15]), ["2", "T-04", "Phạm Văn Dũng", "Thất nghiệp", "Có"]);
}

const LIST_CSV: &str = "\u{feff}STT,Mã hộ,Họ và tên chủ hộ,Giới tính,Năm sinh,Địa chỉ,Tổ dân phố,Phân loại\n\
1,NK-01-001,Lê Văn Tám,Nam,1968,3 hẻm 12 tổ 1,TDP-01,Hộ nghèo\n\
2,NK-01-002,Đặng Thị Hoa,Nữ,1985,8 đường số 2 tổ 1,TDP-01,Cận nghèo\n\
3,NK-01-003,,X,1990,9 đường số 2 tổ 1,TDP-01,giàu\n";

async fn last_years_list_is_imported_once_with_row_errors_and_reaches_the_phone(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (mut phone, _) = households_in(&app, "ctv01", "22366", 1).await;
    let pw = web_user(&app, "canbo", Role::WardStaff, "22366").await;
    let mut b = Browser::new(app.addr);
    b.login("canbo", &pw).await;
    let csrf = b.csrf("/import").await;
    let boundary = "----rasoat-test-boundary";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n--{boundary}\r\n\
         Content-Disposition: form-data; name=\"file\"; filename=\"ds-2025.csv\"\r\nContent-Type: text/csv\r\n\r\n{LIST_CSV}\r\n--{boundary}--\r\n"
    );
    let res = b
        .client
        .post(format!("http://{}/import/preview", app.addr))
        .header("cookie", b.cookie.clone().expect("logged in"))
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .body(body)
        .send()
        .await
        .expect("sent");
    assert_eq!(res.status().as_u16(), 200);
    let preview = res.text().await.expect("body");
    assert!(preview.contains("Thiếu họ tên chủ hộ") && preview.contains("Giới tính không rõ"), "row errors are listed");
    assert!(preview.contains("selected>Họ và tên chủ hộ"), "the head's column is guessed");
    let table = server::service::web::import::read_table(LIST_CSV.as_bytes()).expect("table");
    let data = serde_json::to_string(&table).expect("json");
    let mut form: Vec<(&str, &str)> = vec![("csrf", &csrf), ("data", &data), ("go", "import")];
    let maps = [
        ("map_code", "1"),
        ("map_head_name", "2"),
        ("map_sex", "3"),
        ("map_birth_year", "4"),
        ("map_address", "5"),
        ("map_group", "6"),
        ("map_category", "7"),
    ];
    form.extend(maps);
    let count = |app: &TestApp| {
        let pool = app.db.pool.clone();
        async move { sqlx::query_scalar::<_, i64>("select count(*) from household").fetch_one(&pool).await.expect("count") }
    };
    let before = count(&app).await;
    let (status, _, body) = b.post("/import/commit", &form).await;
    assert_eq!(status, 200);
    assert!(body.contains("Tệp còn dòng lỗi"), "a file with errors is not imported without consent");
    assert_eq!(count(&app).await, before);
    form.push(("accept", "1"));
    let (_, _, body) = b.post("/import/commit", &form).await;
    assert!(body.contains("Đã tạo: 2; Đã có từ trước: 0; Lỗi: 1"), "{body}");
    assert_eq!(count(&app).await, before + 2);
    let (_, _, body) = b.post("/import/commit", &form).await;
    assert!(body.contains("Đã tạo: 0; Đã có từ trước: 2"), "re-importing changes nothing");
    assert_eq!(count(&app).await, before + 2);
    let row: (String, Option<String>) = {
        let r = sqlx::query("select review_status, previous_category from household where code = 'NK-01-001'")
            .fetch_one(&app.db.pool)
            .await
            .expect("imported row");
        use sqlx::Row;
        (r.try_get("review_status").expect("status"), r.try_get("previous_category").expect("previous"))
    };
    assert_eq!(row, ("listed".to_owned(), Some("poor".to_owned())));
    phone.sync().await.expect("synced");
    assert_eq!(phone.replica.ids().len(), 3, "the collector's phone receives the imported households");
}
both_backends!(last_years_list_is_imported_once_with_row_errors_and_reaches_the_phone);

async fn ward_staff_edit_their_targets_and_departments(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    households_in(&app, "ctv01", "22366", 3).await;
    let pw = web_user(&app, "canbo", Role::WardStaff, "22366").await;
    let mut b = Browser::new(app.addr);
    b.login("canbo", &pw).await;
    let csrf = b.csrf("/").await;
    let (status, _, _) = b.post("/settings/targets", &[("csrf", &csrf), ("target:water", "150")]).await;
    assert_eq!(status, 403, "a target over 100 % is refused");
    let (status, _, _) = b.post("/settings/targets", &[("csrf", &csrf), ("target:water", "95.5")]).await;
    assert_eq!(status, 303);
    let (_, _, dashboard) = b.get("/").await;
    assert!(dashboard.contains("value=\"95.5\"") && dashboard.contains("/ 95.5%"), "the ward's target is used");
    let (status, _, _) =
        b.post("/settings/departments", &[("csrf", &csrf), ("department:3", "Trạm Y tế phường Phước Tân")]).await;
    assert_eq!(status, 303);
    let (_, _, departments) = b.get("/departments?indicator=3").await;
    assert!(departments.contains("<h2>Trạm Y tế phường Phước Tân</h2>"));
    let audited: i64 =
        sqlx::query_scalar("select count(*) from web_audit where action in ('set_targets', 'set_departments')")
            .fetch_one(&app.db.pool)
            .await
            .expect("count");
    assert_eq!(audited, 2);
}
both_backends!(ward_staff_edit_their_targets_and_departments);

/// The "now / target%" text of the target bar labelled `label` on the dashboard.
fn bar_text(dashboard: &str, label: &str) -> String {
    let targets = dashboard.split("id=\"targets\"").nth(1).expect("the targets section");
    let after = targets.split(&format!(">{label}</text>")).nth(1).unwrap_or_else(|| panic!("a bar for {label}"));
    let text = after.split("</text>").next().expect("the bar's figure");
    text.rsplit('>').next().expect("text").to_owned()
}

async fn per_person_targets_count_the_persons_of_the_listed_and_recently_escaped_households(backend: Backend) {
    use shared::plan::{PersonCounts, person_counts};
    use shared::poverty::{PovertyStandard, classify_household};
    let app = TestApp::spawn(backend).await;
    let (_, households) = households_in(&app, "ctv01", "22366", 80).await;
    // What the plan counts, from the households as the phone recorded them.
    let (mut listed, mut training) = (PersonCounts::default(), PersonCounts::default());
    let mut escaped_only = 0;
    for h in &households {
        let standard = PovertyStandard::default_for_year(h.review_year.get());
        let c = classify_household(h, &standard, h.interview_date);
        let persons = person_counts(h, h.interview_date, &standard.params);
        let is_listed = matches!(c.category, Category::Poor | Category::NearPoor);
        if is_listed {
            listed.insured += persons.insured;
            listed.insurance_known += persons.insurance_known;
            listed.schooled += persons.schooled;
            listed.schooling_known += persons.schooling_known;
        } else if c.recently_escaped {
            escaped_only += 1;
        }
        if is_listed || c.recently_escaped {
            training.trained += persons.trained;
            training.diploma += persons.diploma;
            training.training_known += persons.training_known;
        }
    }
    assert!(escaped_only > 0 && listed.insurance_known > 0 && training.training_known > 0, "the seed covers each case");
    let pw = web_user(&app, "canbo", Role::WardStaff, "22366").await;
    let mut b = Browser::new(app.addr);
    b.login("canbo", &pw).await;
    let (_, _, dashboard) = b.get("/").await;
    let pct = |met: u32, known: u32| format!("{:.1}%", f64::from(met) * 100.0 / f64::from(known)).replace('.', ",");
    assert_eq!(
        bar_text(&dashboard, "Người có bảo hiểm y tế"),
        format!("{} / 100%", pct(listed.insured, listed.insurance_known))
    );
    let schooling = if listed.schooling_known == 0 {
        "— / 100%".to_owned()
    } else {
        format!("{} / 100%", pct(listed.schooled, listed.schooling_known))
    };
    assert_eq!(bar_text(&dashboard, "Trẻ em đi học đúng độ tuổi"), schooling);
    assert_eq!(
        bar_text(&dashboard, "Lao động được đào tạo (gồm hộ mới thoát nghèo)"),
        format!("{} / 60%", pct(training.trained, training.training_known))
    );
    assert_eq!(
        bar_text(&dashboard, "Lao động có bằng cấp, chứng chỉ"),
        format!("{} / 21%", pct(training.diploma, training.training_known))
    );
}
both_backends!(per_person_targets_count_the_persons_of_the_listed_and_recently_escaped_households);

/// The registry's derived columns, by household.
async fn derived_rows(app: &TestApp) -> Vec<String> {
    let rows = sqlx::query(
        "select id, category, deprived_mask, unknown_mask, b2_score, insured_persons, insurance_known, schooled_children, \
         schooling_known, trained_workers, diploma_workers, training_known, recently_escaped, last_feed_seq from household order by id",
    )
    .fetch_all(&app.db.pool)
    .await
    .expect("rows");
    rows.iter()
        .map(|r| {
            use sqlx::Row;
            let mut line: String = r.try_get("id").expect("id");
            line.push_str(&format!(" {:?}", r.try_get::<Option<String>, _>("category").expect("category")));
            for c in [
                "deprived_mask",
                "unknown_mask",
                "b2_score",
                "insured_persons",
                "insurance_known",
                "schooled_children",
                "schooling_known",
                "trained_workers",
                "diploma_workers",
                "training_known",
                "recently_escaped",
                "last_feed_seq",
            ] {
                line.push_str(&format!(" {c}={:?}", r.try_get::<Option<i64>, _>(c).expect("column")));
            }
            line
        })
        .collect()
}

async fn the_registry_is_rebuilt_from_the_documents(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    households_in(&app, "ctv01", "22366", 30).await;
    let before = derived_rows(&app).await;
    // As after a migration adding columns (null), plus a row gone stale.
    sqlx::query("update household set insured_persons = null, training_known = null, recently_escaped = null")
        .execute(&app.db.pool)
        .await
        .expect("cleared");
    sqlx::query("update household set category = 'poor', deprived_mask = 0 where id = (select min(id) from household)")
        .execute(&app.db.pool)
        .await
        .expect("staled");
    assert_ne!(derived_rows(&app).await, before);
    let (mut after, mut total, mut pages) = (String::new(), 0, 0);
    while let (done, Some(last)) =
        server::service::store::registry::rebuild_page(&app.db, &after, 7).await.expect("rebuilt")
    {
        total += done;
        pages += 1;
        after = last;
    }
    assert_eq!((total, pages), (30, 5));
    assert_eq!(derived_rows(&app).await, before, "every derived column as the sync path computed it");
}
both_backends!(the_registry_is_rebuilt_from_the_documents);
