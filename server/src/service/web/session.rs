//! Logins and sessions: the `Page` extractor (a live session, or a redirect to the login page),
//! the login and logout handlers, the language switch and CSRF checks.
//!
//! The session cookie holds 32 random bytes (hex); the database keeps only their SHA-256. It is
//! `HttpOnly`, `SameSite=Strict`, `Path=/`, and `Secure` when the request came over HTTPS (a
//! reverse proxy's `X-Forwarded-Proto: https`). Every POST form carries a CSRF token derived
//! from the session secret (unknowable without the cookie) and every POST must come from this
//! origin when the browser says where it comes from.

use axum::Form;
use axum::extract::{FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use serde_json::json;
use shared::text::Lang;

use super::i18n::t;
use super::layout::{Ctx, bare_page, html_response};
use crate::service::auth::hash_secret;
use crate::service::http::AppState;
use crate::service::store::sessions::{self, LoginProblem, WebUser};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "rasoat_session";
/// The language cookie's name.
pub const LANG_COOKIE: &str = "rasoat_lang";

/// The value of cookie `name`, if the request carries it.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The language chosen with the switch (Vietnamese unless the cookie says English).
pub fn lang_of(headers: &HeaderMap) -> Lang {
    if cookie(headers, LANG_COOKIE) == Some("en") { Lang::En } else { Lang::Vi }
}

fn secure(headers: &HeaderMap) -> bool {
    headers.get("x-forwarded-proto").and_then(|v| v.to_str().ok()) == Some("https")
}

fn set_cookie(headers: &HeaderMap, name: &str, value: &str, max_age: Option<i64>) -> HeaderValue {
    let mut c = format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict");
    if let Some(age) = max_age {
        c.push_str(&format!("; Max-Age={age}"));
    }
    if secure(headers) {
        c.push_str("; Secure");
    }
    HeaderValue::from_str(&c).unwrap_or_else(|_| HeaderValue::from_static("invalid=; Max-Age=0"))
}

/// The CSRF token of a session secret.
fn csrf_of(secret: &str) -> String {
    hash_secret(&format!("csrf:{secret}"))
}

/// A request from a logged-in ward-staff or admin user: who, in which language, and the CSRF
/// token their forms carry.
pub struct Page {
    /// The user.
    pub user: WebUser,
    /// Rendering context.
    pub ctx: Ctx,
}

impl Page {
    /// Checks a submitted CSRF token and the request's origin.
    pub fn check_form(&self, headers: &HeaderMap, token: &str) -> bool {
        same_origin(headers) && constant_time_eq(token.as_bytes(), self.ctx.csrf.as_bytes())
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Whether the request's `Origin` (when the browser sends one) is this server.
pub fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else { return true };
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or_default();
    origin.split_once("://").is_some_and(|(_, rest)| rest == host)
}

impl FromRequestParts<AppState> for Page {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let lang = lang_of(&parts.headers);
        let next = parts.uri.path_and_query().map_or("/", |p| p.as_str()).to_owned();
        let to_login = |expired: bool| {
            let q = format!("/login?next={}{}", urlencode(&next), if expired { "&expired=1" } else { "" });
            Redirect::to(&q).into_response()
        };
        let Some(secret) = cookie(&parts.headers, SESSION_COOKIE) else { return Err(to_login(false)) };
        match sessions::session_user(&state.db, secret).await {
            Ok(Some(user)) => {
                let ctx = Ctx { lang, csrf: csrf_of(secret), user: Some(user.display_name.clone()), path: next };
                Ok(Page { user, ctx })
            }
            Ok(None) => Err(to_login(true)),
            Err(e) => Err(crate::service::http::Error::Store(e).into_response()),
        }
    }
}

/// Percent-encodes a query value.
pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Only local paths may be redirected to after login (no open redirect).
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_owned(),
        _ => "/".to_owned(),
    }
}

/// `GET /login` query.
#[derive(Debug, Deserialize, Default)]
pub struct LoginQuery {
    next: Option<String>,
    expired: Option<String>,
}

fn login_form(ctx: &Ctx, next: &str, problem: Option<&'static str>) -> Markup {
    let lang = ctx.lang;
    html! {
        main.login {
            h1 { (t(lang, "app")) }
            @if let Some(p) = problem { p.error role="alert" { (t(lang, p)) } }
            form method="post" action="/login" {
                input type="hidden" name="next" value=(next);
                label { (t(lang, "username")) input name="username" autocomplete="username" required autofocus; }
                label { (t(lang, "password")) input type="password" name="password" autocomplete="current-password" required; }
                button type="submit" { (t(lang, "login")) }
            }
        }
    }
}

/// `GET /login`.
pub async fn login_page(headers: HeaderMap, Query(q): Query<LoginQuery>) -> Response {
    let ctx = Ctx::anonymous(lang_of(&headers), "/login");
    let problem = q.expired.is_some().then_some("expired");
    html_response(bare_page(&ctx, t(ctx.lang, "login"), login_form(&ctx, &safe_next(q.next.as_deref()), problem)))
}

/// `POST /login` form.
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    next: Option<String>,
}

/// `POST /login`: checks the password, opens a session, audits the attempt.
pub async fn login(State(state): State<AppState>, headers: HeaderMap, Form(f): Form<LoginForm>) -> Response {
    let ctx = Ctx::anonymous(lang_of(&headers), "/login");
    let next = safe_next(f.next.as_deref());
    if !same_origin(&headers) {
        return super::forbidden(&ctx);
    }
    let username: String = f.username.trim().chars().take(100).collect();
    match sessions::locked_out(&state.db, &username).await {
        Ok(None) => {}
        Ok(Some(seconds)) => {
            let _ = sessions::audit(&state.db, None, "login_locked", None, &json!({})).await;
            tracing::warn!("web login refused: too many failed attempts for one user name");
            let page = bare_page(&ctx, t(ctx.lang, "login"), login_form(&ctx, &next, Some("locked_out")));
            let mut res = (axum::http::StatusCode::TOO_MANY_REQUESTS, html_response(page)).into_response();
            res.headers_mut().insert(header::RETRY_AFTER, header::HeaderValue::from(seconds));
            return res;
        }
        Err(e) => return crate::service::http::Error::Store(e).into_response(),
    }
    let checked = match sessions::check_login(&state.db, &username, &f.password).await {
        Ok(c) => c,
        Err(e) => return crate::service::http::Error::Store(e).into_response(),
    };
    let user_id = match checked {
        Ok(id) => id,
        Err(problem) => {
            let key = match problem {
                LoginProblem::BadCredentials => "bad_login",
                LoginProblem::RoleNotAllowed => "role_denied",
            };
            if let Err(e) = sessions::record_failed_login(&state.db, &username).await {
                return crate::service::http::Error::Store(e).into_response();
            }
            let _ = sessions::audit(&state.db, None, "login_failed", None, &json!({"reason": key})).await;
            tracing::info!(reason = key, "web login refused");
            let page = bare_page(&ctx, t(ctx.lang, "login"), login_form(&ctx, &next, Some(key)));
            return (axum::http::StatusCode::UNAUTHORIZED, html_response(page)).into_response();
        }
    };
    if let Err(e) = sessions::clear_failed_logins(&state.db, &username).await {
        return crate::service::http::Error::Store(e).into_response();
    }
    let secret = match sessions::create_session(&state.db, &user_id).await {
        Ok(s) => s,
        Err(e) => return crate::service::http::Error::Store(e).into_response(),
    };
    let _ = sessions::audit(&state.db, Some(&user_id), "login", None, &json!({})).await;
    let mut res = Redirect::to(&next).into_response();
    res.headers_mut().append(header::SET_COOKIE, set_cookie(&headers, SESSION_COOKIE, &secret, None));
    res
}

/// `POST /logout` form.
#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    csrf: String,
}

/// `POST /logout`: ends the session (server side) and clears the cookie.
pub async fn logout(
    State(state): State<AppState>,
    page: Page,
    headers: HeaderMap,
    Form(f): Form<CsrfForm>,
) -> Response {
    if !page.check_form(&headers, &f.csrf) {
        return super::forbidden(&page.ctx);
    }
    if let Err(e) = sessions::end_session(&state.db, &page.user.session_hash).await {
        return crate::service::http::Error::Store(e).into_response();
    }
    let _ = sessions::audit(&state.db, Some(&page.user.principal.user_id), "logout", None, &json!({})).await;
    let mut res = Redirect::to("/login").into_response();
    res.headers_mut().append(header::SET_COOKIE, set_cookie(&headers, SESSION_COOKIE, "", Some(0)));
    res
}

/// `GET /lang/{code}?next=…`: remembers the language (a preference, not a state change of
/// the registry) and goes back.
pub async fn switch_lang(
    headers: HeaderMap,
    axum::extract::Path(code): axum::extract::Path<String>,
    Query(q): Query<LoginQuery>,
) -> Response {
    let value = if code == "en" { "en" } else { "vi" };
    let mut res = Redirect::to(&safe_next(q.next.as_deref())).into_response();
    res.headers_mut().append(header::SET_COOKIE, set_cookie(&headers, LANG_COOKIE, value, Some(31_536_000)));
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_read_by_name_and_redirects_stay_local() {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, HeaderValue::from_static("a=1; rasoat_session=abc; rasoat_lang=en"));
        assert_eq!(cookie(&h, SESSION_COOKIE), Some("abc"));
        assert_eq!(lang_of(&h), Lang::En);
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/households?page=2")), "/households?page=2");
        assert_eq!(urlencode("/a b?c=đ"), "/a%20b%3Fc%3D%C4%91");
    }

    #[test]
    fn a_post_from_another_origin_is_refused() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8080"));
        assert!(same_origin(&h));
        h.insert(header::ORIGIN, HeaderValue::from_static("http://127.0.0.1:8080"));
        assert!(same_origin(&h));
        h.insert(header::ORIGIN, HeaderValue::from_static("http://evil.example"));
        assert!(!same_origin(&h));
    }
}
