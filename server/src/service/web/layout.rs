//! The page shell (header, navigation, language switch, logout), the style sheet, security
//! headers, and small renderers shared by the pages (labels of codes, badges, numbers).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::{DOCTYPE, Markup, html};
use shared::model::Category;
use shared::review::ReviewStatus;
use shared::text::Lang;

use super::i18n::t;
use super::session::urlencode;

/// What every page needs to render: language, the CSRF token, who is logged in, where we are.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// Display language.
    pub lang: Lang,
    /// CSRF token for POST forms (empty when not logged in).
    pub csrf: String,
    /// The user's display name.
    pub user: Option<String>,
    /// The request's path and query (for the language switch).
    pub path: String,
}

impl Ctx {
    /// A context without a session (login page, errors).
    pub fn anonymous(lang: Lang, path: &str) -> Ctx {
        Ctx { lang, csrf: String::new(), user: None, path: path.to_owned() }
    }
}

/// The style sheet, served at `/assets/app.css`: readable on a tablet, printable (navigation
/// and forms hidden, tables kept).
pub const CSS: &str = include_str!("app.css");

/// A full page with navigation.
pub fn page(ctx: &Ctx, title: &str, active: &str, body: Markup) -> Markup {
    let lang = ctx.lang;
    let nav: [(&str, &str); 6] = [
        ("/", "dashboard"),
        ("/households", "households"),
        ("/households?conflicts=1", "conflicts"),
        ("/departments", "departments"),
        ("/exports", "exports"),
        ("/import", "import"),
    ];
    html! {
        (DOCTYPE)
        html lang=(lang_code(lang)) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " — " (t(lang, "app")) }
                link rel="stylesheet" href="/assets/app.css";
            }
            body {
                header.top {
                    a.brand href="/" { (t(lang, "app")) }
                    nav {
                        @for (href, key) in nav {
                            a href=(href) class=[(active == key).then_some("active")] { (t(lang, key)) }
                        }
                    }
                    div.who {
                        a.lang href=(lang_href(ctx)) { (t(lang, "lang_switch")) }
                        @if let Some(u) = &ctx.user { span.user { (u) } }
                        form.inline method="post" action="/logout" {
                            input type="hidden" name="csrf" value=(ctx.csrf);
                            button.link type="submit" { (t(lang, "logout")) }
                        }
                    }
                }
                main { h1 { (title) } (body) }
            }
        }
    }
}

/// A page without navigation (login, errors before login).
pub fn bare_page(ctx: &Ctx, title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(lang_code(ctx.lang)) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " — " (t(ctx.lang, "app")) }
                link rel="stylesheet" href="/assets/app.css";
            }
            body {
                div.langbar { a.lang href=(lang_href(ctx)) { (t(ctx.lang, "lang_switch")) } }
                (body)
            }
        }
    }
}

fn lang_code(lang: Lang) -> &'static str {
    match lang {
        Lang::Vi => "vi",
        Lang::En => "en",
    }
}

fn lang_href(ctx: &Ctx) -> String {
    let other = match ctx.lang {
        Lang::Vi => "en",
        Lang::En => "vi",
    };
    format!("/lang/{other}?next={}", urlencode(&ctx.path))
}

/// An HTML response with the security headers every page carries: no inline scripts or
/// styles, no framing, no caching of personal data.
pub fn html_response(markup: Markup) -> Response {
    let mut res = (StatusCode::OK, markup.into_string()).into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
    );
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// A category's label.
pub fn category_label(lang: Lang, code: Option<&str>) -> String {
    match code.and_then(Category::from_code) {
        Some(c) => c.label().get(lang).to_owned(),
        None => t(lang, "invalid").to_owned(),
    }
}

/// A category badge.
pub fn category_badge(lang: Lang, code: Option<&str>) -> Markup {
    html! { span class={"badge cat-" (code.unwrap_or("invalid"))} { (category_label(lang, code)) } }
}

/// A review status's label.
pub fn review_label(lang: Lang, code: &str) -> String {
    ReviewStatus::from_code(code).map_or_else(|| code.to_owned(), |s| s.label().get(lang).to_owned())
}

/// An indicator status badge.
pub fn status_badge(lang: Lang, status: &str) -> Markup {
    let key = match status {
        "deprived" => "st_deprived",
        "not_deprived" => "st_not_deprived",
        _ => "st_unknown",
    };
    html! { span class={"badge st-" (status)} { (t(lang, key)) } }
}

/// A number with thousands separators in the language's style.
pub fn number(lang: Lang, n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let sep = match lang {
        Lang::Vi => '.',
        Lang::En => ',',
    };
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// A percentage with one decimal in the language's style.
pub fn percent(lang: Lang, p: f64) -> String {
    let s = format!("{p:.1}");
    match lang {
        Lang::Vi => format!("{}%", s.replace('.', ",")),
        Lang::En => format!("{s}%"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_each_language_writes_them() {
        assert_eq!(number(Lang::Vi, 100000), "100.000");
        assert_eq!(number(Lang::En, 1234567), "1,234,567");
        assert_eq!(number(Lang::En, 12), "12");
        assert_eq!(percent(Lang::Vi, 90.25), "90,2%");
    }
}
