//! Forms that carry a document (identity scans, supporting evidence): read
//! the fields and the file within a size limit, recognise the file by its
//! content, and store it where only the helpdesk console reads it.
use axum::extract::Multipart;
use std::collections::HashMap;

/// A document: at most this size.
pub const MAX_DOCUMENT_BYTES: usize = 5 * 1024 * 1024;
/// A form with a document may be this large: a file somewhat over the limit
/// is still read through (and refused alone), so the rest of the form is kept.
pub const MAX_FORM_BYTES: usize = 3 * MAX_DOCUMENT_BYTES;

/// The text fields of a multipart form, and its file: `Err` with the message
/// key when it is too large, `Ok(None)` when none was chosen.
pub struct Upload {
    pub fields: HashMap<String, String>,
    pub file: Result<Option<Vec<u8>>, &'static str>,
    /// A text field held a character no field accepts (`web::text`).
    refused_text: bool,
}

impl Upload {
    /// The form, unless a text field holds a refused character: then the
    /// same 422 as any other form ([`super::security::invalid_text`]).
    pub fn checked(self) -> crate::error::AppResult<Upload> {
        if self.refused_text {
            return Err(super::security::invalid_text("a multipart form"));
        }
        Ok(self)
    }

    /// A text field, trimmed and cut to `max` characters (empty if absent).
    pub fn field(&self, name: &str, max: usize) -> String {
        self.fields.get(name).map(|v| v.trim().chars().take(max).collect()).unwrap_or_default()
    }
}

/// Reads a multipart form whose file field is `file_field`; the file is cut
/// off past [`MAX_DOCUMENT_BYTES`].
pub async fn read(mut multipart: Multipart, file_field: &str) -> Upload {
    let mut fields = HashMap::new();
    let mut file: Result<Option<Vec<u8>>, &'static str> = Ok(None);
    let mut refused_text = false;
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            // A body over the limit ends the stream: what was read is kept.
            Err(_) => {
                file = Err("reg-error-file-size");
                break;
            }
        };
        let name = field.name().unwrap_or("").to_string();
        if name != file_field {
            let value = field.text().await.unwrap_or_default();
            refused_text |= !super::text::clean_field(&name, &value);
            fields.insert(name, value);
            continue;
        }
        let mut bytes = Vec::new();
        let mut too_large = false;
        loop {
            match field.chunk().await {
                Ok(Some(chunk)) if !too_large && bytes.len() + chunk.len() <= MAX_DOCUMENT_BYTES => {
                    bytes.extend_from_slice(&chunk)
                }
                // Past the limit the file is dropped, but the rest of the form
                // is still read: only the file is wrong, not what follows it.
                Ok(Some(_)) => {
                    too_large = true;
                    bytes = Vec::new();
                }
                Ok(None) => {
                    file =
                        if too_large { Err("reg-error-file-size") } else { Ok((!bytes.is_empty()).then_some(bytes)) };
                    break;
                }
                Err(_) => {
                    file = Err("reg-error-file-size");
                    break;
                }
            }
        }
        if file.is_err() && !too_large {
            break;
        }
    }
    Upload { fields, file, refused_text }
}

/// PDF, JPEG or PNG, decided by the content, not by the name: (MIME type, extension).
pub fn sniff_document(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    if bytes.starts_with(b"%PDF-") {
        Some(("application/pdf", "pdf"))
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(("image/jpeg", "jpg"))
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(("image/png", "png"))
    } else {
        None
    }
}

/// The extension a stored document of `mime` is served with.
pub fn extension(mime: &str) -> &'static str {
    match mime {
        "application/pdf" => "pdf",
        "image/png" => "png",
        _ => "jpg",
    }
}

/// Writes `bytes` as a new file only the portal's user can read.
pub fn write_private(dir: &std::path::Path, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    std::fs::create_dir_all(dir)?;
    crate::db::private(dir, true);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(dir.join(name))?.write_all(bytes)
}

/// A stored document as a download that never runs as one of our pages.
pub fn download(mime: String, file_name: String, bytes: Vec<u8>) -> axum::response::Response {
    use axum::http::header;
    use axum::response::IntoResponse;
    (
        [
            (header::CONTENT_TYPE, mime),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file_name}\"")),
            (header::CONTENT_SECURITY_POLICY, "sandbox; default-src 'none'".to_string()),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        bytes,
    )
        .into_response()
}
