//! The QR code a ward officer shows to enrol a phone: it carries the server address and the
//! one-time code, so the collector scans instead of typing both.

use qrcode::QrCode;
use qrcode::render::unicode::Dense1x2;

/// The enrolment link read by the app: `rasoat://enrol?server=URL&code=CODE`.
pub fn enrolment_link(server_url: &str, code: &str) -> String {
    format!("rasoat://enrol?server={}&code={}", percent_encode(server_url), percent_encode(code))
}

fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The link as a QR code drawn with Unicode half blocks, for a terminal.
pub fn terminal_qr(link: &str) -> String {
    match QrCode::new(link.as_bytes()) {
        Ok(code) => code.render::<Dense1x2>().quiet_zone(true).build(),
        Err(_) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_link_carries_server_and_code_and_draws_as_a_qr_code() {
        let link = enrolment_link("http://192.0.2.10:8080", "ABCD-EFGH-JKMN");
        assert_eq!(link, "rasoat://enrol?server=http%3A%2F%2F192.0.2.10%3A8080&code=ABCD-EFGH-JKMN");
        let qr = terminal_qr(&link);
        assert!(qr.lines().count() > 10, "{qr}");
        assert!(qr.contains('█') || qr.contains('▀') || qr.contains('▄'));
    }
}
