//! TLS uses the OS trust store plus `SSL_CERT_FILE`: the demo binary reaches the mock gateway
//! through an HTTPS terminator whose certificate is signed by a throwaway CA, and succeeds only
//! when `SSL_CERT_FILE` names that CA. (A child process, so no environment is changed here.)
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;
use std::sync::Arc;

use paystar::mock::MockGateway;
use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

struct Tls {
    ca_pem: String,
    acceptor: TlsAcceptor,
}

fn throwaway_ca_and_localhost_cert() -> Tls {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca_cert = ca_params.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca_params, ca_key);
    let leaf_key = KeyPair::generate().unwrap();
    let leaf = CertificateParams::new(vec!["localhost".to_owned()])
        .unwrap()
        .signed_by(&leaf_key, &issuer)
        .unwrap();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der()));
    let provider = Arc::new(tokio_rustls::rustls::crypto::aws_lc_rs::default_provider());
    let config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![CertificateDer::from(leaf.der().to_vec())], key)
        .unwrap();
    Tls {
        ca_pem: ca_cert.pem(),
        acceptor: TlsAcceptor::from(Arc::new(config)),
    }
}

/// Terminates TLS on a loopback port and pipes each connection to the mock.
fn https_front(rt: &tokio::runtime::Runtime, acceptor: TlsAcceptor, backend: String) -> u16 {
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let port = listener.local_addr().unwrap().port();
    rt.spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let (acceptor, backend) = (acceptor.clone(), backend.clone());
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let Ok(mut plain) = tokio::net::TcpStream::connect(backend).await else {
                    return;
                };
                let _ = tokio::io::copy_bidirectional(&mut tls, &mut plain).await;
            });
        }
    });
    port
}

#[test]
fn ssl_cert_file_is_honoured_and_unknown_cas_are_refused() {
    let mock = MockGateway::start().unwrap();
    let tls = throwaway_ca_and_localhost_cert();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let port = https_front(
        &rt,
        tls.acceptor,
        mock.url().trim_start_matches("http://").to_owned(),
    );
    let dir = std::env::temp_dir().join(format!("paystar-tls-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let ca_file = dir.join("ca.pem");
    std::fs::write(&ca_file, &tls.ca_pem).unwrap();

    let demo = |ca: Option<&std::path::Path>| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_paystar-demo"));
        cmd.arg("--no-wait")
            .env("PAYSTAR_API_KEY", mock.api_key())
            .env("PAYSTAR_BASE_URL", format!("https://localhost:{port}"))
            .env_remove("SSL_CERT_DIR")
            .env_remove("HTTPS_PROXY")
            .env_remove("https_proxy");
        match ca {
            Some(path) => cmd.env("SSL_CERT_FILE", path),
            None => cmd.env_remove("SSL_CERT_FILE"),
        };
        cmd.output().unwrap()
    };

    let trusted = demo(Some(&ca_file));
    let out = String::from_utf8_lossy(&trusted.stdout);
    assert!(
        trusted.status.success(),
        "{out}\n{}",
        String::from_utf8_lossy(&trusted.stderr)
    );
    assert_eq!(
        out.matches("/app/embedded/acme-utilities/session/").count(),
        5,
        "{out}"
    );
    assert_eq!(mock.requests().len(), 5);

    let untrusted = demo(None);
    let err = String::from_utf8_lossy(&untrusted.stderr);
    assert!(!untrusted.status.success());
    assert!(
        err.contains("connection_error") && err.to_lowercase().contains("certificate"),
        "{err}"
    );
    assert_eq!(
        mock.requests().len(),
        5,
        "an untrusted connection reached the gateway"
    );
    let _ = std::fs::remove_dir_all(dir);
}
