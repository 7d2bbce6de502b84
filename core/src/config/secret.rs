//! The API key's secret type.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};

use crate::error::{Error, Result};

/// The Paystar API key: a secret whose `Debug` and `Display` print `***`.
#[derive(Clone)]
pub struct ApiKey(SecretString);

impl ApiKey {
    /// Wraps a key, checking it can travel in an HTTP header.
    pub fn new(key: impl Into<String>) -> Result<ApiKey> {
        let key: String = key.into();
        if key.trim().is_empty() {
            return Err(Error::option("api_key", "must not be empty"));
        }
        if key.len() > 512 {
            return Err(Error::option("api_key", "longer than 512 characters"));
        }
        if key.chars().any(|c| !c.is_ascii_graphic()) {
            return Err(Error::option(
                "api_key",
                "must be printable ASCII without spaces (check for a stray newline)",
            ));
        }
        Ok(ApiKey(SecretString::from(key)))
    }

    /// The key itself. Only the transport (and the mock's key check) should call this.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(***)")
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}
