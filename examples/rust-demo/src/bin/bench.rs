//! Prints numbers; asserts nothing. One payment-session call against the mock gateway made
//! with paystar's blocking and async clients (validation, retry loop, decode, the hop onto the
//! shared runtime) and the same POST made with plain reqwest,
//! side by side: median and p90 of 1,000 after 100 warm-up calls. Also mock start+stop and
//! validation alone. Run with `make bench` (release build).
#![allow(clippy::print_stdout)]

use std::time::{Duration, Instant};

use paystar::mock::MockGateway;
use paystar::{Case, Operation, RequestOptions};
use serde_json::json;

const N: usize = 1000;
const WARM: usize = 100;

fn stats(mut v: Vec<Duration>) -> (Duration, Duration) {
    v.sort();
    (v[v.len() / 2], v[v.len() * 9 / 10])
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mock = MockGateway::start()?;
    let input = json!({"BusinessUnitSlug": "acme-utilities", "Channel": "QuickPay",
        "ClientUser": {"EmailAddress": "jane@example.com"},
        "Charges": [{"Amount": 15000, "Description": "January Water Bill", "ClientAccount": {"AccountNumber": "ACC-12345"}}]});

    // paystar, blocking (runs on the shared runtime).
    let client = paystar::blocking::Client::builder().mock(&mock).build()?;
    let opts = RequestOptions::default();
    let mut ours = Vec::with_capacity(N);
    for i in 0..N + WARM {
        let t = Instant::now();
        client.execute(Operation::CreatePaymentSession, &input, Case::Pascal, &opts)?;
        if i >= WARM {
            ours.push(t.elapsed());
        }
    }

    // Plain reqwest, the same request by hand, on a current-thread runtime.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let raw = reqwest::Client::new();
    let url = format!("{}/integrations/embedded/initiate", mock.url());
    let key = mock.api_key().to_owned();
    let mut theirs = Vec::with_capacity(N);
    rt.block_on(async {
        for i in 0..N + WARM {
            let t = Instant::now();
            let body = serde_json::to_vec(&input)?;
            let r = raw
                .post(&url)
                .header("X-Paystar-Api-Key", &key)
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await?;
            let answer: serde_json::Value = serde_json::from_slice(&r.bytes().await?)?;
            if answer["hasErrors"] != json!(false) {
                return Err("the mock refused the request".into());
            }
            if i >= WARM {
                theirs.push(t.elapsed());
            }
        }
        Ok::<(), Box<dyn std::error::Error>>(())
    })?;

    // paystar async client, awaited from the same current-thread runtime as reqwest above.
    let async_client = paystar::Client::builder().mock(&mock).build()?;
    let mut ours_async = Vec::with_capacity(N);
    rt.block_on(async {
        for i in 0..N + WARM {
            let t = Instant::now();
            async_client
                .execute(Operation::CreatePaymentSession, &input, Case::Pascal, &opts)
                .await?;
            if i >= WARM {
                ours_async.push(t.elapsed());
            }
        }
        Ok::<(), paystar::Error>(())
    })?;

    let mut validate = Vec::with_capacity(N);
    for _ in 0..N {
        let t = Instant::now();
        paystar::models::input::prepare(
            Operation::CreatePaymentSession,
            &input,
            Case::Pascal,
            true,
        )?;
        validate.push(t.elapsed());
    }
    let mut mocks = Vec::with_capacity(200);
    for _ in 0..200 {
        let t = Instant::now();
        MockGateway::start()?.stop();
        mocks.push(t.elapsed());
    }

    let (a, a90) = stats(ours);
    let (b, b90) = stats(theirs);
    let (c, c90) = stats(ours_async);
    let (v, _) = stats(validate);
    let (m, m90) = stats(mocks);
    println!(
        "one create_payment_session against the mock gateway, {N} calls after {WARM} warm-up:"
    );
    println!(
        "  paystar blocking client   median {:>8.1} us   p90 {:>8.1} us",
        us(a),
        us(a90)
    );
    println!(
        "  paystar async client      median {:>8.1} us   p90 {:>8.1} us",
        us(c),
        us(c90)
    );
    println!(
        "  plain reqwest (by hand)   median {:>8.1} us   p90 {:>8.1} us",
        us(b),
        us(b90)
    );
    println!(
        "  ratio paystar blocking / reqwest   {:.2}",
        a.as_secs_f64() / b.as_secs_f64()
    );
    println!(
        "  ratio paystar async / reqwest      {:.2}",
        c.as_secs_f64() / b.as_secs_f64()
    );
    println!("validation + body building alone: median {:.1} us", us(v));
    println!(
        "MockGateway start+stop: median {:.1} us, p90 {:.1} us",
        us(m),
        us(m90)
    );
    Ok(())
}

fn us(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}
