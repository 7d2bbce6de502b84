//! The `Validate` trait every request implements.

use super::Violations;
use crate::error::{Error, Result};

/// A request that can check itself against the documented rules.
pub trait Validate {
    /// Records every violation into `v`.
    fn check(&self, v: &mut Violations);

    /// `Ok` when nothing is wrong, else a `validation_error` listing every violation.
    fn validate(&self) -> Result<()> {
        let mut v = Violations::default();
        self.check(&mut v);
        if v.is_empty() {
            Ok(())
        } else {
            Err(Error::validation(v.into_vec()))
        }
    }
}
