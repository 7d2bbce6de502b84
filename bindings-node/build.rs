//! napi's link setup (the addon resolves Node's symbols at load time).

fn main() {
    napi_build::setup();
}
