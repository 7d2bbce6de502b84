//! The named Paystar environments and their documented URLs.

use crate::error::{Error, Result};

/// A Paystar environment with documented base URLs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Environment {
    /// `https://dev-gateway.paystar.io` (loader `https://dev.paystar.io/app/embedded.loader.js`).
    Development,
    /// `https://secure.paystar.io` (loader `https://secure.paystar.io/app/embedded.loader.js`).
    Production,
}

impl Environment {
    /// The API base URL.
    /// Decision: docs/decisions.md#session-host.
    pub const fn base_url(self) -> &'static str {
        match self {
            Environment::Development => "https://dev-gateway.paystar.io",
            Environment::Production => "https://secure.paystar.io",
        }
    }

    /// The Events API's base URL. Its page gives `https://gateway.paystar.io` for production,
    /// while the session API's reference gives `https://secure.paystar.io`: each API uses the
    /// host its own page documents.
    /// Decision: docs/decisions.md#events-host.
    pub const fn events_base_url(self) -> &'static str {
        match self {
            Environment::Development => "https://dev-gateway.paystar.io",
            Environment::Production => "https://gateway.paystar.io",
        }
    }

    /// The URL of Paystar's JavaScript loader for this environment, for the page that opens
    /// the session.
    pub const fn loader_url(self) -> &'static str {
        match self {
            Environment::Development => "https://dev.paystar.io/app/embedded.loader.js",
            Environment::Production => "https://secure.paystar.io/app/embedded.loader.js",
        }
    }

    /// The lower-case name: `development` or `production`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Environment::Development => "development",
            Environment::Production => "production",
        }
    }

    /// Parses `development`/`dev` or `production`/`prod` (any case).
    pub fn parse(name: &str) -> Result<Environment> {
        match name.trim().to_ascii_lowercase().as_str() {
            "development" | "dev" => Ok(Environment::Development),
            "production" | "prod" => Ok(Environment::Production),
            // Never echoed: a swapped variable could put the API key here.
            _ => Err(Error::option(
                "environment",
                "must be development or production (the value given is not shown)",
            )),
        }
    }
}
