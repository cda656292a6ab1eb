//! The registry's web interface over HTTP, on SQLite and PostgreSQL: who may log in, what each
//! commune sees, CSRF, settling a conflict that then reaches a phone, review steps that reach
//! the phone, and an XLSX export whose cells match the registry.

use std::io::Cursor;
use std::net::SocketAddr;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use serde_json::json;
use server::store::sessions::set_password;
use server::store::users::{NewUser, create_user};
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
            .map(|(k, v)| format!("{k}={}", server::web::session::urlencode(v)))
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
        .body(format!("username=canbo&password={}", server::web::session::urlencode(&pw)))
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
}
both_backends!(the_xlsx_exports_have_vietnamese_headings_and_the_registrys_numbers);

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
    let table = server::web::import::read_table(LIST_CSV.as_bytes()).expect("table");
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
    while let (done, Some(last)) = server::store::registry::rebuild_page(&app.db, &after, 7).await.expect("rebuilt") {
        total += done;
        pages += 1;
        after = last;
    }
    assert_eq!((total, pages), (30, 5));
    assert_eq!(derived_rows(&app).await, before, "every derived column as the sync path computed it");
}
both_backends!(the_registry_is_rebuilt_from_the_documents);
