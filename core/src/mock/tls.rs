//! The mock gateway's HTTPS: a certificate authority generated when the gateway starts (rcgen;
//! nothing is written to disk or committed) and a certificate for `localhost` signed by it.
//! Clients trust the CA through its PEM ([`MockGateway::ca_pem`](super::MockGateway::ca_pem)),
//! with the `ca_bundle` / `ca_certificates` options or `SSL_CERT_FILE`.
//!
//! The certificate names `localhost` only, so the same gateway reached as `https://127.0.0.1`
//! presents a certificate for another name: the wrong-host case of the TLS tests.

use std::sync::Arc;

use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

use crate::error::{Error, Result};

/// How the mock serves HTTPS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MockTls {
    /// HTTP/2 or HTTP/1.1, as the client prefers (ALPN), with a valid certificate.
    #[default]
    On,
    /// HTTP/1.1 only (ALPN offers nothing else).
    Http1Only,
    /// A certificate that expired yesterday (for the expired-certificate case).
    Expired,
}

impl MockTls {
    /// The mode named `name`: `on` (or `h2`), `http1`, `expired`.
    pub fn from_name(name: &str) -> Option<MockTls> {
        match name.to_ascii_lowercase().as_str() {
            "on" | "h2" | "true" => Some(MockTls::On),
            "http1" => Some(MockTls::Http1Only),
            "expired" => Some(MockTls::Expired),
            _ => None,
        }
    }
}

/// What the server needs: the acceptor, and the CA's PEM for clients.
pub(crate) struct TlsSetup {
    pub acceptor: TlsAcceptor,
    pub ca_pem: String,
}

fn bad(what: &str, e: impl std::fmt::Display) -> Error {
    Error::configuration(format!("mock TLS: {what}: {e}"))
}

/// A fresh CA and a `localhost` certificate signed by it, for `mode`.
pub(crate) fn setup(mode: MockTls) -> Result<TlsSetup> {
    let now = time::OffsetDateTime::now_utc();
    let ca_key = KeyPair::generate().map_err(|e| bad("CA key", e))?;
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).map_err(|e| bad("CA", e))?;
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "paystar MockGateway CA");
    ca_params.not_before = now - time::Duration::days(30);
    ca_params.not_after = now + time::Duration::days(365);
    let ca_cert = ca_params.self_signed(&ca_key).map_err(|e| bad("CA", e))?;
    let issuer = Issuer::new(ca_params, ca_key);

    let leaf_key = KeyPair::generate().map_err(|e| bad("key", e))?;
    let mut leaf =
        CertificateParams::new(vec!["localhost".to_owned()]).map_err(|e| bad("certificate", e))?;
    (leaf.not_before, leaf.not_after) = match mode {
        MockTls::Expired => (
            now - time::Duration::days(10),
            now - time::Duration::days(1),
        ),
        _ => (
            now - time::Duration::days(1),
            now + time::Duration::days(30),
        ),
    };
    let leaf = leaf
        .signed_by(&leaf_key, &issuer)
        .map_err(|e| bad("certificate", e))?;

    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der()));
    let provider = Arc::new(tokio_rustls::rustls::crypto::aws_lc_rs::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| bad("protocol versions", e))?
        .with_no_client_auth()
        .with_single_cert(vec![CertificateDer::from(leaf.der().to_vec())], key)
        .map_err(|e| bad("server config", e))?;
    config.alpn_protocols = match mode {
        MockTls::Http1Only => vec![b"http/1.1".to_vec()],
        _ => vec![b"h2".to_vec(), b"http/1.1".to_vec()],
    };
    Ok(TlsSetup {
        acceptor: TlsAcceptor::from(Arc::new(config)),
        ca_pem: ca_cert.pem(),
    })
}
