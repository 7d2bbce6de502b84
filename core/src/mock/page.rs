//! The HTML pages the mock gateway serves a browser: a session's page (with the buttons that
//! complete it) and the plain pages around it.

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::gateway::{StoredSession, webhook_action};
use crate::models::SessionKind;
use crate::webhook::cents_to_dollars;

/// The HTML page a session link shows in a browser.
pub(crate) fn session_page(
    s: Option<(&str, &StoredSession)>,
    now: OffsetDateTime,
) -> (u16, String) {
    let Some((id, s)) = s else {
        return (
            404,
            page(
                "Session not found",
                "<p>This session does not exist on this mock gateway.</p>",
            ),
        );
    };
    let expired = now >= s.expires;
    let fmt = |t: OffsetDateTime| {
        t.replace_nanosecond(0)
            .unwrap_or(t)
            .format(&Rfc3339)
            .unwrap_or_default()
    };
    let action = webhook_action(s.kind);
    let state = if let Some(reference) = &s.completed {
        format!(
            "<p class=\"ok\" id=\"completed\"><strong>Completed.</strong> Reference number {}.</p>",
            escape(reference)
        )
    } else if expired {
        "<p class=\"bad\"><strong>This session has expired.</strong> Create a new one.</p>"
            .to_owned()
    } else {
        format!("<p class=\"ok\">Active until {}.</p>", fmt(s.expires))
    };
    let amount = if s.kind == SessionKind::Payment {
        format!(
            "<tr><th>Total</th><td>${}</td></tr>",
            cents_to_dollars(s.total_cents)
        )
    } else {
        String::new()
    };
    let button = match (action, expired || s.completed.is_some()) {
        (Some(action), false) => {
            let label = if s.kind == SessionKind::Payment {
                format!("Pay ${}", cents_to_dollars(s.total_cents))
            } else {
                "Enroll in AutoPay".to_owned()
            };
            format!(
                "<form method=\"post\" action=\"/app/embedded/{}/session/{}/complete\">\
                 <button id=\"complete\" type=\"submit\">{label}</button></form>\
                 <p><small>Completing sends the {action} webhook to the configured URL.</small></p>",
                escape(&s.slug),
                escape(id)
            )
        }
        (None, false) => "<p><small>Paystar documents no webhook for this session kind; \
                          the mock has nothing to complete.</small></p>"
            .to_owned(),
        _ => String::new(),
    };
    let body = format!(
        "{state}<table><tr><th>Session</th><td>{}</td></tr><tr><th>Kind</th><td>{}</td></tr>\
         <tr><th>Business unit</th><td>{}</td></tr>{amount}<tr><th>Customer</th><td>{}</td></tr>\
         <tr><th>Reference</th><td>{}</td></tr><tr><th>Created</th><td>{}</td></tr></table>",
        escape(id),
        s.kind.as_str(),
        escape(&s.slug),
        escape(s.email.as_deref().unwrap_or("—")),
        escape(s.reference.as_deref().unwrap_or("—")),
        fmt(s.created),
    ) + &button;
    (
        if expired { 410 } else { 200 },
        page(
            &format!("Paystar mock — {} session", s.kind.as_str()),
            &body,
        ),
    )
}

pub(crate) fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{t}</title>\
         <style>body{{font-family:sans-serif;margin:2em}}th{{text-align:left;padding-right:1em}}\
         .bad{{color:#b00}}.ok{{color:#070}}</style></head><body><h1>{t}</h1>{body}\
         <p><small>Served by paystar's MockGateway. Not a real payment page.</small></p></body></html>",
        t = escape(title)
    )
}

pub(crate) fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
