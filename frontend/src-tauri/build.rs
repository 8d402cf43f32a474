fn main() {
    // Our own commands get permissions (allow-server-address, …) like a plugin's,
    // so capabilities/main.json grants them one by one.
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(
        tauri_build::AppManifest::new().commands(&[
            "server_address",
            "set_server",
            "set_unread",
            "notify",
            "open_external",
        ]),
    ))
    .expect("failed to run the tauri build script");
}
