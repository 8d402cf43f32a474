//! What an upload is and how its object may be served. The declared type is
//! kept as the file's `mime_type` (§12.1, D4: no allow-list), but the object in
//! S3 gets the headers a browser sees when it opens a presigned URL. Only types
//! a browser shows without running anything (raster images, audio, video,
//! plain text, PDF) are served inline, and only when the first bytes do not
//! contradict them; everything else is a download (`Content-Disposition:
//! attachment`), and markup found under a harmless name is served opaque. The
//! gateway and the embedded store add `X-Content-Type-Options: nosniff` and a
//! sandboxing `Content-Security-Policy`.

/// Bytes looked at before the type is decided (WHATWG MIME sniffing reads 1445).
pub const SNIFF_LEN: usize = 1445;

/// The `mime_type` stored for a declared `Content-Type` (D4): parameters
/// dropped, lower-cased, `application/octet-stream` when absent or empty.
pub fn declared_type(content_type: Option<&str>) -> String {
    let essence = content_type
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default();
    // A type is token "/" token; anything else (CR/LF, spaces) is no type at all.
    let valid = essence.split_once('/').is_some_and(|(t, s)| {
        !t.is_empty()
            && !s.is_empty()
            && essence
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$&^_.+-/".contains(&b))
    });
    if valid {
        essence
    } else {
        "application/octet-stream".into()
    }
}

/// How the object is stored and served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Serving {
    pub content_type: String,
    /// Forces a download instead of rendering.
    pub attachment: bool,
}

/// Decides the served headers from the declared type and the first bytes.
pub fn serving(declared: &str, head: &[u8]) -> Serving {
    let sniffed_active = looks_active(head);
    if is_active_type(declared) || sniffed_active {
        // Declared active types keep their name (a download of an .html file is
        // still HTML); content that lies about being harmless is served opaque.
        let content_type = if is_active_type(declared) {
            declared.to_string()
        } else {
            "application/octet-stream".to_string()
        };
        return Serving {
            content_type,
            attachment: true,
        };
    }
    // Media types whose magic bytes say something else entirely (a "PNG" that is
    // a PDF) are served opaque, so no viewer is picked by a lie.
    let contradicted = infer::get(head).is_some_and(|found| {
        let claimed = declared.split('/').next().unwrap_or_default();
        matches!(claimed, "image" | "audio" | "video")
            && found.mime_type().split('/').next() != Some(claimed)
            // webm/ogg/mp4 containers carry audio or video alike.
            && !(matches!(claimed, "audio" | "video")
                && matches!(found.mime_type().split('/').next(), Some("audio" | "video")))
    });
    if contradicted {
        return Serving {
            content_type: "application/octet-stream".into(),
            attachment: true,
        };
    }
    Serving {
        content_type: declared.to_string(),
        attachment: !is_inline_type(declared),
    }
}

/// Types a browser displays without executing anything.
fn is_inline_type(mime: &str) -> bool {
    let (kind, _) = mime.split_once('/').unwrap_or_default();
    (matches!(kind, "image" | "audio" | "video") && !is_active_type(mime))
        || matches!(mime, "text/plain" | "application/pdf")
}

fn is_active_type(mime: &str) -> bool {
    matches!(
        mime,
        "text/html"
            | "application/xhtml+xml"
            | "image/svg+xml"
            | "text/xml"
            | "application/xml"
            | "text/javascript"
            | "application/javascript"
            | "application/ecmascript"
            | "text/ecmascript"
            | "application/x-javascript"
            | "text/xsl"
            | "application/xslt+xml"
    ) || mime.ends_with("+xml")
}

/// Whether the first bytes are markup a browser would render as a document
/// (the WHATWG "scriptable MIME type" patterns, plus SVG and XML prologues).
fn looks_active(head: &[u8]) -> bool {
    let mut s = head;
    for bom in [&b"\xEF\xBB\xBF"[..], b"\xFE\xFF", b"\xFF\xFE"] {
        if let Some(rest) = s.strip_prefix(bom) {
            s = rest;
        }
    }
    let start = s
        .iter()
        .position(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0C'))
        .unwrap_or(s.len());
    let s = &s[start..];
    const TAGS: [&[u8]; 20] = [
        b"<!doctype html",
        b"<html",
        b"<head",
        b"<script",
        b"<iframe",
        b"<h1",
        b"<div",
        b"<font",
        b"<table",
        b"<a",
        b"<style",
        b"<title",
        b"<b",
        b"<body",
        b"<br",
        b"<p",
        b"<!--",
        b"<?xml",
        b"<svg",
        b"<img",
    ];
    TAGS.iter().any(|tag| {
        s.len() > tag.len()
            && s[..tag.len()].eq_ignore_ascii_case(tag)
            // A tag name ends at a space, '>' or '/' (so "<bold" is not "<b").
            && (matches!(s[tag.len()], b' ' | b'>' | b'/' | b'\t' | b'\n' | b'\r')
                || tag.starts_with(b"<!--")
                || tag.starts_with(b"<?xml"))
    })
}

/// The filename shown back (`filename`): the last path component, without
/// control characters, at most 255 bytes (the extension kept when cut).
pub fn display_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let clean: String = last.chars().filter(|c| !c.is_control()).collect();
    let clean = clean.trim();
    let clean = if clean.is_empty() || clean == "." || clean == ".." {
        "file"
    } else {
        clean
    };
    truncate_keeping_extension(clean, 255)
}

/// The name part of an object key: letters, digits, `.`, `-`, `_` only (other
/// characters become `_`), no leading dot, at most 100 bytes.
pub fn key_name(display: &str) -> String {
    let safe: String = display
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let safe = safe.trim_start_matches('.');
    let safe = if safe.is_empty() { "file" } else { safe };
    truncate_keeping_extension(safe, 100)
}

/// `Content-Disposition` for a download: an ASCII fallback and the UTF-8 name (RFC 6266).
pub fn attachment_disposition(display: &str) -> String {
    let ascii: String = display
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::new();
    for b in display.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

fn truncate_keeping_extension(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let ext = s
        .rfind('.')
        .map(|i| &s[i..])
        .filter(|e| e.len() <= 16)
        .unwrap_or("");
    let mut cut = max - ext.len();
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}{ext}", &s[..cut])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_type_is_the_lowercased_essence() {
        assert_eq!(
            declared_type(Some("Text/Plain; charset=UTF-8")),
            "text/plain"
        );
        assert_eq!(declared_type(Some("audio/webm;codecs=opus")), "audio/webm");
        assert_eq!(declared_type(None), "application/octet-stream");
        assert_eq!(declared_type(Some("")), "application/octet-stream");
        assert_eq!(
            declared_type(Some("image/png\r\nX: y")),
            "application/octet-stream"
        );
    }

    #[test]
    fn html_under_an_image_name_is_served_as_an_opaque_download() {
        let s = serving("image/png", b"  <!DOCTYPE html><script>alert(1)</script>");
        assert_eq!(
            s,
            Serving {
                content_type: "application/octet-stream".into(),
                attachment: true
            }
        );
        let s = serving("text/plain", b"<svg xmlns='http://www.w3.org/2000/svg'/>");
        assert!(s.attachment);
    }

    #[test]
    fn declared_active_types_are_downloads() {
        for t in [
            "text/html",
            "image/svg+xml",
            "application/javascript",
            "application/rss+xml",
        ] {
            let s = serving(t, b"hello");
            assert!(s.attachment, "{t}");
            assert_eq!(s.content_type, t);
        }
    }

    #[test]
    fn honest_media_is_served_inline() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        assert_eq!(
            serving("image/png", png),
            Serving {
                content_type: "image/png".into(),
                attachment: false
            }
        );
        // A JPEG called PNG is still an image: inline.
        assert!(!serving("image/png", b"\xFF\xD8\xFF\xE0\0\x10JFIF\0").attachment);
        // WebM sniffed as video while declared audio: fine.
        assert!(!serving("audio/webm", b"\x1A\x45\xDF\xA3\x9F\x42\x86\x81\x01").attachment);
        assert!(!serving("text/plain", b"just <b>text</b> later").attachment);
    }

    #[test]
    fn unknown_and_exotic_types_are_downloads() {
        for t in [
            "application/octet-stream",
            "multipart/x-mixed-replace",
            "text/css",
            "application/zip",
        ] {
            let s = serving(t, b"plain bytes");
            assert!(s.attachment, "{t}");
            assert_eq!(s.content_type, t);
        }
        assert!(!serving("application/pdf", b"%PDF-1.7\n").attachment);
        assert!(!serving("audio/ogg", b"OggS\0\x02").attachment);
    }

    #[test]
    fn a_pdf_claiming_to_be_an_image_is_opaque() {
        let s = serving("image/png", b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n");
        assert!(s.attachment);
        assert_eq!(s.content_type, "application/octet-stream");
    }

    #[test]
    fn names_lose_paths_and_control_characters() {
        assert_eq!(display_name("../../etc/passwd"), "passwd");
        assert_eq!(display_name("C:\\x\\a.txt"), "a.txt");
        assert_eq!(
            display_name("a\r\nSet-Cookie: x\0.png"),
            "aSet-Cookie: x.png"
        );
        assert_eq!(display_name(".."), "file");
        assert_eq!(key_name("my photo (1).jpg"), "my_photo__1_.jpg");
        assert_eq!(key_name("..hidden"), "hidden");
        assert_eq!(key_name("фото.png"), "фото.png");
    }

    #[test]
    fn huge_names_are_cut_keeping_the_extension() {
        let long = format!("{}.png", "я".repeat(5000));
        let shown = display_name(&long);
        assert!(shown.len() <= 255 && shown.ends_with(".png"));
        let key = key_name(&shown);
        assert!(key.len() <= 100 && key.ends_with(".png"));
    }

    #[test]
    fn disposition_has_no_raw_quotes_or_non_ascii() {
        let d = attachment_disposition("a\"b фото.html");
        assert!(d.is_ascii());
        assert_eq!(
            d,
            "attachment; filename=\"a_b ____.html\"; filename*=UTF-8''a%22b%20%D1%84%D0%BE%D1%82%D0%BE.html"
        );
    }
}
