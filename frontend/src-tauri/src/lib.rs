//! The Chorus desktop app: the built web app (../dist) in a window, talking to the
//! server the person chose on first start. Adds what a browser tab cannot: native
//! notifications that open their chat, a tray icon with the unread count, `chorus://`
//! links, one instance, the window's size and place kept, start at login.
//!
//! The webview may call only what `capabilities/main.json` lists (our five commands,
//! events, the deep-link and autostart calls). HTTP to the server goes through
//! tauri-plugin-http, whose scope is exactly that server, added at runtime below:
//! the server is only known once the person typed it.

mod server;

use std::sync::atomic::{AtomicU32, Ordering};

use tauri::ipc::CapabilityBuilder;
use tauri::menu::{Menu, MenuItem};
use tauri::tray::{MouseButton, MouseButtonState, TrayIconBuilder, TrayIconEvent};
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tauri_plugin_store::StoreExt;

const STORE: &str = "settings.json";
const SERVER_KEY: &str = "server";
const TRAY: &str = "main";

/// The saved server address, or null before the first start's choice.
#[tauri::command]
fn server_address<R: Runtime>(app: AppHandle<R>) -> Option<String> {
    saved_server(&app)
}

/// Checks `{address}/health`, keeps the address and lets the webview's fetch reach it.
/// Errors are codes the web app translates (`unreachable`, `not_chorus`, …).
#[tauri::command]
async fn set_server<R: Runtime>(app: AppHandle<R>, address: String) -> Result<String, String> {
    let address = server::normalize(&address).map_err(|p| p.code().to_string())?;
    server::check_health(&address)
        .await
        .map_err(|p| p.code().to_string())?;
    let store = app.store(STORE).map_err(|e| e.to_string())?;
    store.set(SERVER_KEY, address.clone());
    store.save().map_err(|e| e.to_string())?;
    allow_server(&app, &address).map_err(|e| e.to_string())?;
    Ok(address)
}

/// The tray's texts in the web app's language (it has the translations).
#[derive(serde::Deserialize)]
struct TrayTexts {
    tooltip: String,
    show: String,
    hide: String,
    quit: String,
}

/// The tray menu's items, kept to relabel them.
struct TrayMenu<R: Runtime> {
    show: MenuItem<R>,
    hide: MenuItem<R>,
    quit: MenuItem<R>,
}

/// The unread total on the tray icon (tooltip; the title where the tray shows one)
/// and the menu in the app's language.
#[tauri::command]
fn set_unread<R: Runtime>(app: AppHandle<R>, count: u32, texts: TrayTexts) {
    if let Some(tray) = app.tray_by_id(TRAY) {
        let _ = tray.set_tooltip(Some(texts.tooltip));
        let _ = tray.set_title(unread_title(count));
    }
    if let Some(menu) = app.try_state::<TrayMenu<R>>() {
        let _ = menu.show.set_text(texts.show);
        let _ = menu.hide.set_text(texts.hide);
        let _ = menu.quit.set_text(texts.quit);
    }
}

/// A native notification for a new message; clicking it opens the chat.
#[tauri::command]
fn notify<R: Runtime>(app: AppHandle<R>, title: String, body: String, chat_id: i64) {
    show_notification(&app, title, body, chat_id);
}

/// The count beside the tray icon: none at zero, at most "999+".
/// A link of a message or an attachment, in the person's browser: the webview only
/// ever shows the app. http(s) only.
#[tauri::command]
fn open_external<R: Runtime>(app: AppHandle<R>, url: String) -> Result<(), String> {
    let url = external_url(&url).ok_or_else(|| "not an http(s) link".to_string())?;
    use tauri_plugin_opener::OpenerExt;
    app.opener()
        .open_url(url.as_str(), None::<&str>)
        .map_err(|e| e.to_string())
}

fn external_url(text: &str) -> Option<url::Url> {
    let url = url::Url::parse(text).ok()?;
    (matches!(url.scheme(), "http" | "https")
        && url.host_str().is_some_and(|h| h != "tauri.localhost"))
    .then_some(url)
}

/// Navigations of the window stay inside the app; a web page goes to the browser.
fn keep_navigation_in_app<R: Runtime>() -> tauri::plugin::TauriPlugin<R> {
    tauri::plugin::Builder::new("navigation")
        .on_navigation(|webview, url| match external_url(url.as_str()) {
            Some(external) => {
                use tauri_plugin_opener::OpenerExt;
                let _ = webview
                    .app_handle()
                    .opener()
                    .open_url(external.as_str(), None::<&str>);
                false
            }
            None => true,
        })
        .build()
}

fn unread_title(count: u32) -> Option<String> {
    match count {
        0 => None,
        n if n > 999 => Some("999+".to_string()),
        n => Some(n.to_string()),
    }
}

fn saved_server<R: Runtime>(app: &AppHandle<R>) -> Option<String> {
    let value = app.store(STORE).ok()?.get(SERVER_KEY)?;
    let address = value.as_str()?;
    server::normalize(address).ok()
}

/// The HTTP plugin's fetch, for the main window, scoped to `{address}/*` only.
fn allow_server<R: Runtime>(app: &AppHandle<R>, address: &str) -> tauri::Result<()> {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let id = format!("server-{}", NEXT.fetch_add(1, Ordering::Relaxed));
    let scope = serde_json::json!({ "url": format!("{address}/*") });
    app.add_capability(CapabilityBuilder::new(id).window("main").permission_scoped(
        "http:default",
        vec![scope],
        Vec::<serde_json::Value>::new(),
    ))
}

fn show_main<R: Runtime>(app: &AppHandle<R>) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

fn toggle_main<R: Runtime>(app: &AppHandle<R>) {
    if let Some(window) = app.get_webview_window("main") {
        if window.is_visible().unwrap_or(false) {
            let _ = window.hide();
        } else {
            show_main(app);
        }
    }
}

/// Freedesktop notifications can report the click ("default" action), which the
/// notification plugin's desktop side does not pass on: notify-rust does it here.
#[cfg(any(
    target_os = "linux",
    target_os = "dragonfly",
    target_os = "freebsd",
    target_os = "netbsd",
    target_os = "openbsd"
))]
fn show_notification<R: Runtime>(app: &AppHandle<R>, title: String, body: String, chat_id: i64) {
    let app = app.clone();
    std::thread::spawn(move || {
        let shown = notify_rust::Notification::new()
            .appname("Chorus")
            .summary(&title)
            .body(&body)
            .icon("chorus")
            .action("default", "Open")
            .show();
        match shown {
            Ok(handle) => handle.wait_for_action(|action| {
                if action == "default" {
                    show_main(&app);
                    let _ = app.emit_to("main", "open-chat", chat_id);
                }
            }),
            Err(e) => log::warn!("notification not shown: {e}"),
        }
    });
}

/// Windows and macOS: the notification plugin; a click brings the app forward.
#[cfg(not(any(
    target_os = "linux",
    target_os = "dragonfly",
    target_os = "freebsd",
    target_os = "netbsd",
    target_os = "openbsd"
)))]
fn show_notification<R: Runtime>(app: &AppHandle<R>, title: String, body: String, _chat_id: i64) {
    use tauri_plugin_notification::NotificationExt;
    if let Err(e) = app.notification().builder().title(title).body(body).show() {
        log::warn!("notification not shown: {e}");
    }
}

fn build_tray<R: Runtime>(app: &tauri::App<R>) -> tauri::Result<()> {
    let show = MenuItem::with_id(app, "show", "Show Chorus", true, None::<&str>)?;
    let hide = MenuItem::with_id(app, "hide", "Hide", true, None::<&str>)?;
    let quit = MenuItem::with_id(app, "quit", "Quit", true, None::<&str>)?;
    let menu = Menu::with_items(app, &[&show, &hide, &quit])?;
    app.manage(TrayMenu { show, hide, quit });
    let mut tray = TrayIconBuilder::with_id(TRAY)
        .tooltip("Chorus")
        .menu(&menu)
        .show_menu_on_left_click(false)
        .on_menu_event(|app, event| match event.id.as_ref() {
            "show" => show_main(app),
            "hide" => {
                if let Some(window) = app.get_webview_window("main") {
                    let _ = window.hide();
                }
            }
            "quit" => app.exit(0),
            _ => {}
        })
        .on_tray_icon_event(|tray, event| {
            if let TrayIconEvent::Click {
                button: MouseButton::Left,
                button_state: MouseButtonState::Up,
                ..
            } = event
            {
                toggle_main(tray.app_handle());
            }
        });
    if let Some(icon) = app.default_window_icon() {
        tray = tray.icon(icon.clone());
    }
    tray.build(app)?;
    Ok(())
}

pub fn run() {
    tauri::Builder::default()
        // First: a second launch hands over its arguments (and with them a
        // chorus:// link, to the deep-link plugin) and exits; this one comes forward.
        .plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| {
            show_main(app)
        }))
        .plugin(tauri_plugin_deep_link::init())
        .plugin(tauri_plugin_store::Builder::default().build())
        .plugin(tauri_plugin_http::init())
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_opener::init())
        .plugin(keep_navigation_in_app())
        .plugin(tauri_plugin_window_state::Builder::default().build())
        // Off until the person turns it on in the settings.
        .plugin(tauri_plugin_autostart::init(
            tauri_plugin_autostart::MacosLauncher::LaunchAgent,
            None,
        ))
        .invoke_handler(tauri::generate_handler![
            server_address,
            set_server,
            set_unread,
            notify,
            open_external
        ])
        .setup(|app| {
            // Installed packages register chorus:// through their .desktop file (deb)
            // or the installer; an AppImage or a dev build registers itself here.
            #[cfg(any(target_os = "linux", all(debug_assertions, windows)))]
            {
                use tauri_plugin_deep_link::DeepLinkExt;
                if let Err(e) = app.deep_link().register_all() {
                    log::warn!("chorus:// links not registered: {e}");
                }
            }
            if let Some(address) = saved_server(app.handle()) {
                allow_server(app.handle(), &address)?;
            }
            if let Err(e) = build_tray(app) {
                log::warn!("no tray icon: {e}");
            }
            Ok(())
        })
        .run(tauri::generate_context!())
        .expect("error while running the Chorus desktop app");
}

#[cfg(test)]
mod tests {
    use super::{external_url, unread_title};

    #[test]
    fn only_web_pages_leave_the_app() {
        assert!(external_url("https://example.org/x?y=1").is_some());
        assert!(external_url("http://127.0.0.1:9000/bucket/file.pdf").is_some());
        assert!(external_url("tauri://localhost/c/1").is_none());
        assert!(external_url("http://tauri.localhost/c/1").is_none());
        assert!(external_url("file:///etc/passwd").is_none());
        assert!(external_url("javascript:alert(1)").is_none());
    }

    #[test]
    fn unread_count_title() {
        assert_eq!(unread_title(0), None);
        assert_eq!(unread_title(3).as_deref(), Some("3"));
        assert_eq!(unread_title(1500).as_deref(), Some("999+"));
    }
}
