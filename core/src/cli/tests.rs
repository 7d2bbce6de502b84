use serde_json::json;

use super::api::{assignment, set_path};
use super::{Cli, EXIT_OK, EXIT_USAGE, run};

#[test]
fn paths_set_nested_objects_and_arrays() {
    let mut v = json!({"BusinessUnitSlug": "acme"});
    assert!(set_path(&mut v, "Charges[1].Amount", json!(15000)).is_ok());
    assert!(set_path(&mut v, "ClientUser.Email", json!("j@example.com")).is_ok());
    assert!(set_path(&mut v, "Matrix[0][2]", json!(1)).is_ok());
    assert_eq!(
        v,
        json!({
            "BusinessUnitSlug": "acme",
            "Charges": [null, {"Amount": 15000}],
            "ClientUser": {"Email": "j@example.com"},
            "Matrix": [[null, null, 1]],
        })
    );
}

#[test]
fn bad_paths_are_usage_errors() {
    for path in ["", "a..b", "[0]", "a[x]", "a[1", "a[0]b", "a[5000]"] {
        let mut v = json!({});
        assert!(set_path(&mut v, path, json!(1)).is_err(), "{path:?}");
    }
    assert!(assignment("-d", "no-equals").is_err());
    assert!(assignment("-d", "=value").is_err());
    assert_eq!(
        assignment("-d", "a=b=c").ok(),
        Some(("a".to_owned(), "b=c".to_owned()))
    );
}

#[test]
fn the_command_line_is_well_formed() {
    use clap::CommandFactory;
    Cli::command().debug_assert();
}

#[test]
fn help_succeeds_and_unknown_flags_are_usage_errors() {
    assert_eq!(run(["paystar", "--help"]), EXIT_OK);
    assert_eq!(run(["paystar", "--version"]), EXIT_OK);
    assert_eq!(run(["paystar", "sessions", "create", "cart"]), EXIT_USAGE);
    assert_eq!(run(["paystar", "--api-key", "sk"]), EXIT_USAGE);
}
