//! Network faults below HTTP: a TCP proxy of the mock's own in front of it (this kernel has no
//! `netem`, and a fault proxy of our own needs no download). Each accepted connection is
//! forwarded to the gateway with latency and jitter per chunk, a bandwidth limit, data sliced
//! into tiny segments (`TCP_NODELAY`, one write per slice), and — for a seeded share of the
//! chunks read (a chunk is mostly one request or one answer) — a cut mid-request, a cut
//! mid-response, or a gateway that stops answering while holding the connection open. TLS passes through untouched (the proxy never reads it).
//!
//! The gateway records only requests that reached it whole, so the soak through this proxy
//! audits with [`crate::testing::audit_network_soak`]: nothing lost, nothing sent twice without
//! `ambiguous`, attempts within bounds.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::sync::watch;

use crate::{Error, Result};

/// What the proxy does to the traffic. All zero (the default) is a clean pass-through.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NetworkFaults {
    /// Seeds which connections are cut or stalled, where, and the jitter.
    pub seed: u64,
    /// Added before each chunk is forwarded, in each direction.
    pub latency: Duration,
    /// A uniform random extra delay of up to this much per chunk.
    pub jitter: Duration,
    /// Bytes per second in each direction (0: unlimited).
    pub bytes_per_second: u64,
    /// Forwards data in pieces of 1 to this many bytes, each its own write (0: whole chunks).
    pub slice: usize,
    /// The share (0 to 1) of chunks from the client cut part-way: the connection closes.
    pub cut_request: f64,
    /// The share of chunks from the gateway cut part-way: the connection closes.
    pub cut_response: f64,
    /// The share of chunks from the gateway after part of which it stops answering, the
    /// connection held open until the client gives up.
    pub stall: f64,
}

impl NetworkFaults {
    /// Checks the shares and sizes; a bad value is a `configuration_error` naming it.
    pub fn check(&self) -> Result<()> {
        for (name, share) in [
            ("cut_request", self.cut_request),
            ("cut_response", self.cut_response),
            ("stall", self.stall),
        ] {
            if !(0.0..=1.0).contains(&share) {
                return Err(Error::option(name, "must be a share from 0 to 1"));
            }
        }
        if self.cut_request + self.cut_response + self.stall > 1.0 {
            return Err(Error::option(
                "network",
                "cut_request + cut_response + stall must be at most 1",
            ));
        }
        Ok(())
    }
}

/// Which way a pump forwards.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Way {
    /// Client to gateway: cut at `cut_request`.
    Up,
    /// Gateway to client: cut at `cut_response`, stall at `stall`.
    Down,
}

/// How a chunk ends early.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Early {
    Cut,
    Stall,
}

/// One connection's shared state: whether it has ended (either side), and whether the gateway
/// side has stalled (the client's bytes are then read and dropped).
struct Link {
    ended: watch::Sender<bool>,
    stalled: AtomicBool,
}

impl Link {
    fn end(&self) {
        self.ended.send_replace(true);
    }
    async fn until_ended(&self) {
        let mut rx = self.ended.subscribe();
        let _ = rx.wait_for(|ended| *ended).await;
    }
}

/// Starts the proxy on 127.0.0.1 (port 0) in front of `upstream`: its port, and a sender that
/// stops it (accepting, and every connection it holds) when `true` is sent or it is dropped.
pub(crate) fn spawn(
    upstream: SocketAddr,
    faults: NetworkFaults,
) -> Result<(u16, watch::Sender<bool>)> {
    faults.check()?;
    let handle = crate::runtime::handle()?;
    let (listener, port) = super::listen(0)?;
    let listener = {
        let _guard = handle.enter();
        tokio::net::TcpListener::from_std(listener)
            .map_err(|e| Error::configuration(format!("mock: cannot listen: {e}")))?
    };
    let (stop, mut stopped) = watch::channel(false);
    let faults = Arc::new(faults);
    handle.spawn(async move {
        let mut n = 0u64;
        loop {
            tokio::select! {
                _ = stopped.changed() => break,
                accepted = listener.accept() => {
                    if let Ok((client, _)) = accepted {
                        n += 1;
                        let stop = stopped.clone();
                        tokio::spawn(connection(client, upstream, Arc::clone(&faults), n, stop));
                    }
                }
            }
        }
    });
    Ok((port, stop))
}

async fn connection(
    client: TcpStream,
    upstream: SocketAddr,
    faults: Arc<NetworkFaults>,
    n: u64,
    mut stopped: watch::Receiver<bool>,
) {
    let Ok(server) = TcpStream::connect(upstream).await else {
        return;
    };
    let _ = client.set_nodelay(true);
    let _ = server.set_nodelay(true);
    let mut rng = SmallRng::seed_from_u64(faults.seed ^ n.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let link = Arc::new(Link {
        ended: watch::channel(false).0,
        stalled: AtomicBool::new(false),
    });
    let (client_read, client_write) = client.into_split();
    let (server_read, server_write) = server.into_split();
    let up_rng = SmallRng::seed_from_u64(rng.random());
    let down_rng = SmallRng::seed_from_u64(rng.random());
    let both = async {
        tokio::join!(
            pump(client_read, server_write, Way::Up, up_rng, &faults, &link),
            pump(
                server_read,
                client_write,
                Way::Down,
                down_rng,
                &faults,
                &link
            ),
        )
    };
    tokio::select! {
        _ = both => {}
        _ = stopped.wait_for(|s| *s) => {}
    }
}

/// Forwards one direction until either side ends, the connection is cut, or (the gateway
/// side) it stalls: then it holds the connection open, sending nothing, until the client
/// closes it (at most two minutes).
async fn pump(
    mut from: OwnedReadHalf,
    mut to: OwnedWriteHalf,
    way: Way,
    mut rng: SmallRng,
    faults: &NetworkFaults,
    link: &Link,
) {
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        // Biased: once the link is cut, nothing more crosses it. (Unbiased, a gateway's answer
        // to the half it received — a 413 for the body cut short — could still reach the
        // client: the Kotlin network soak saw it as an `api_error`.)
        let n = tokio::select! {
            biased;
            () = link.until_ended() => return,
            read = from.read(&mut buf) => match read {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            },
        };
        if link.stalled.load(Ordering::Relaxed) {
            continue; // the client's bytes go nowhere: the gateway has stopped answering
        }
        let roll: f64 = rng.random();
        let ending = match way {
            Way::Up if roll < faults.cut_request => Some(Early::Cut),
            Way::Down if roll < faults.cut_response => Some(Early::Cut),
            Way::Down if roll < faults.cut_response + faults.stall => Some(Early::Stall),
            _ => None,
        };
        // An early end comes part-way through the chunk (anywhere, the first byte included).
        let keep = if ending.is_some() {
            rng.random_range(0..n)
        } else {
            n
        };
        if forward(&mut to, &buf[..keep], &mut rng, faults)
            .await
            .is_err()
        {
            break;
        }
        match ending {
            Some(Early::Cut) => break,
            Some(Early::Stall) => {
                link.stalled.store(true, Ordering::Relaxed);
                let _ = tokio::time::timeout(Duration::from_secs(120), link.until_ended()).await;
                return;
            }
            None => {}
        }
    }
    link.end();
}

/// Writes `data` with the latency, jitter, bandwidth and slicing of `faults`.
async fn forward(
    to: &mut OwnedWriteHalf,
    data: &[u8],
    rng: &mut SmallRng,
    faults: &NetworkFaults,
) -> std::io::Result<()> {
    let jitter = faults.jitter.mul_f64(rng.random::<f64>());
    let delay = faults.latency + jitter;
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let mut rest = data;
    while !rest.is_empty() {
        let take = if faults.slice == 0 {
            rest.len()
        } else {
            rng.random_range(1..=faults.slice).min(rest.len())
        };
        let (piece, tail) = rest.split_at(take);
        if faults.bytes_per_second > 0 {
            let secs = piece.len() as f64 / faults.bytes_per_second as f64;
            tokio::time::sleep(Duration::from_secs_f64(secs)).await;
        }
        to.write_all(piece).await?;
        rest = tail;
    }
    Ok(())
}
