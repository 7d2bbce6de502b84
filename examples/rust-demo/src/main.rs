//! Creates every Paystar session type and prints the session URLs.
//!
//! Without `PAYSTAR_API_KEY` it runs against the embedded mock gateway (open the printed links
//! in a browser while it waits, or pass `--no-wait`). With `PAYSTAR_API_KEY` and
//! `PAYSTAR_ENVIRONMENT=development` it talks to Paystar's development gateway;
//! `PAYSTAR_BUSINESS_UNIT` names your business unit (default `acme-utilities`), and
//! `PAYSTAR_BASE_URL` points it at another gateway (a proxy, a staging host).
#![allow(clippy::print_stdout)]

use std::time::Duration;

use paystar::mock::MockGateway;
use paystar::{
    AutopaySessionRequest, Channel, Charge, Client, ClientAccount, ClientUser, Environment,
    NotificationSessionRequest, PaperlessSessionRequest, PaymentSessionRequest, Session,
    UpdateCustomerRequest, WalletSessionRequest,
};

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::process::ExitCode {
    match run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("demo failed: {e} [{}]", e.code());
            for f in e.field_errors() {
                eprintln!("  {}: {}", f.path, f.message);
            }
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> paystar::Result<()> {
    let live = std::env::var(paystar::API_KEY_ENV).is_ok_and(|k| !k.is_empty());
    let base_url = std::env::var("PAYSTAR_BASE_URL")
        .ok()
        .filter(|u| !u.is_empty());
    let (client, mock) = if live {
        let builder = match base_url {
            Some(url) => {
                println!("Rust demo: custom gateway {url}");
                Client::builder().base_url(url)
            }
            None => {
                let env = std::env::var(paystar::ENVIRONMENT_ENV)
                    .unwrap_or_else(|_| "development".into());
                if Environment::parse(&env)? != Environment::Development {
                    eprintln!(
                        "the demo only talks to the development gateway; set PAYSTAR_ENVIRONMENT=development"
                    );
                    std::process::exit(2);
                }
                println!(
                    "Rust demo: Paystar development gateway ({})",
                    Environment::Development.base_url()
                );
                Client::builder().environment(Environment::Development)
            }
        };
        (builder.build()?, None)
    } else {
        let mock = MockGateway::start()?;
        println!(
            "Rust demo: embedded mock gateway at {} (set PAYSTAR_API_KEY to use Paystar's development gateway)",
            mock.url()
        );
        (Client::builder().mock(&mock).build()?, Some(mock))
    };
    let slug = std::env::var("PAYSTAR_BUSINESS_UNIT").unwrap_or_else(|_| "acme-utilities".into());
    let customer = ClientUser {
        email_address: "jane.doe@example.com".into(),
        first_name: Some("Jane".into()),
        last_name: Some("Doe".into()),
    };
    let account = ClientAccount {
        name: Some("Jane Doe".into()),
        balance: Some(15000),
        ..ClientAccount::new("ACC-12345")
    };

    let mut payment = PaymentSessionRequest::new(
        &slug,
        Channel::QuickPay,
        vec![Charge::new(15000, "January Water Bill").with_account(account.clone())],
    );
    payment.client_user = Some(customer.clone());
    payment.success_url = Some("https://yoursite.example/payment-success".into());
    payment.return_url = Some("https://yoursite.example/payment-cancelled".into());
    show("payment", client.create_payment_session(&payment).await?);

    let mut autopay = AutopaySessionRequest::new(&slug, account.clone(), customer.clone());
    autopay.sync_account = Some(true);
    show("autopay", client.create_autopay_session(&autopay).await?);

    show(
        "wallet",
        client
            .create_wallet_session(&WalletSessionRequest::new(&slug, customer.clone()))
            .await?,
    );

    let mut paperless = PaperlessSessionRequest::new(&slug, account, customer.clone());
    paperless.sync_account = Some(true);
    show(
        "paperless",
        client.create_paperless_session(&paperless).await?,
    );

    let email = customer.email_address.clone();
    show(
        "notification",
        client
            .create_notification_session(&NotificationSessionRequest::new(&slug, customer))
            .await?,
    );

    if let Some(mock) = &mock {
        // The Events API changes a real customer: on the mock only (docs/decisions.md#demo-events).
        let r = client
            .update_customer(&UpdateCustomerRequest::new(
                &slug,
                "ACC-12345",
                "Jane",
                "Smith",
                &email,
            ))
            .await?;
        let now = mock.customer(&email).unwrap_or_default();
        println!(
            "  {:<13} {} accepted (HTTP {}): the customer is now {} {}",
            "events",
            r.event_type,
            r.http_status,
            now["FirstName"].as_str().unwrap_or("-"),
            now["LastName"].as_str().unwrap_or("-")
        );
    }

    if mock.is_some() {
        println!(
            "  these are mock links: run with PAYSTAR_DEMO_WAIT=1 to keep the gateway up and open them in a browser"
        );
    } else {
        println!(
            "  open a link with Paystar's loader ({}): Paystar.completePayment(url) for payments, Paystar.startFlow(url) for the others",
            Environment::Development.loader_url()
        );
    }
    let wait = std::env::args().all(|a| a != "--no-wait")
        && std::env::var("PAYSTAR_DEMO_WAIT").is_ok_and(|v| !v.is_empty() && v != "0");
    if wait && mock.is_some() {
        println!("mock gateway stays up for 5 minutes: open the links above (Ctrl-C to stop)");
        tokio::time::sleep(Duration::from_secs(300)).await;
    }
    Ok(())
}

fn show(kind: &str, s: Session) {
    let expires = s
        .expires_at
        .replace_nanosecond(0)
        .unwrap_or(s.expires_at)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    println!(
        "  {kind:<13} {}  (id {}, status {}, expires {expires}, {} attempt{})",
        s.url,
        s.id.as_deref().unwrap_or("-"),
        s.status.as_deref().unwrap_or("-"),
        s.attempts,
        if s.attempts == 1 { "" } else { "s" },
    );
}
