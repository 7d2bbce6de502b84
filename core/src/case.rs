//! Names in the three key styles: PascalCase on the wire, snake_case for Python, camelCase for
//! Node and the JVM. The one place that converts between them.

/// A key style.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Case {
    /// `BusinessUnitSlug` (the wire style).
    Pascal,
    /// `business_unit_slug` (Python).
    Snake,
    /// `businessUnitSlug` (JavaScript, Kotlin).
    Camel,
}

impl Case {
    /// A name in any style (`client_user`, `clientUser`, `ClientUser`) in this style.
    ///
    /// ```
    /// use paystar::Case;
    /// assert_eq!(Case::Camel.convert("BusinessUnitSlug"), "businessUnitSlug");
    /// assert_eq!(Case::Snake.convert("max_retries"), "max_retries");
    /// assert_eq!(Case::Camel.convert("max_retries"), "maxRetries");
    /// assert_eq!(Case::Pascal.convert("timestampHeader"), "TimestampHeader");
    /// ```
    pub fn convert(self, name: &str) -> String {
        let wire = to_pascal(name);
        match self {
            Case::Pascal => wire,
            Case::Camel => {
                let mut chars = wire.chars();
                chars.next().map_or_else(String::new, |c| {
                    c.to_ascii_lowercase().to_string() + chars.as_str()
                })
            }
            Case::Snake => {
                let mut out = String::with_capacity(wire.len() + 4);
                for (i, c) in wire.chars().enumerate() {
                    if c.is_ascii_uppercase() {
                        if i > 0 {
                            out.push('_');
                        }
                        out.push(c.to_ascii_lowercase());
                    } else {
                        out.push(c);
                    }
                }
                out
            }
        }
    }
}

/// A name in any style as PascalCase, the wire's: `client_user` and `clientUser` are
/// `ClientUser`; empty parts (`a__b`) are dropped.
///
/// ```
/// assert_eq!(paystar::case::to_pascal("client_account"), "ClientAccount");
/// assert_eq!(paystar::case::to_pascal("clientAccount"), "ClientAccount");
/// assert_eq!(paystar::case::to_pascal("a__b"), "AB");
/// ```
pub fn to_pascal(name: &str) -> String {
    name.split('_')
        .map(|part| {
            let mut c = part.chars();
            c.next()
                .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}
